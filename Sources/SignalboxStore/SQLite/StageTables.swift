import Foundation
import GRDB
import SignalboxCore

/// The `account_stages` and `stage_transitions` tables written by live scoring.
enum StageTables {
    static func current(in db: Database) throws -> [String: Stage] {
        var stages: [String: Stage] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, stage FROM account_stages")
        while let row = try cursor.next() {
            let name: String = row["stage"]
            guard let stage = Stage(rawValue: name) else { throw StoreCorruption("account_stages names an unknown stage \"\(name)\"") }
            stages[row["account_id"]] = stage
        }
        return stages
    }

    static func record(_ observation: StageObservation, in db: Database) throws {
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO account_stages (account_id, stage) VALUES (?, ?)")
        for (account, stage) in observation.stages.sorted(by: { $0.key < $1.key }) {
            try upsert.execute(arguments: [account, stage.rawValue])
        }
        let insert = try db.cachedStatement(
            sql: "INSERT INTO stage_transitions (account_id, at, from_stage, to_stage, record) VALUES (?, ?, ?, ?, ?)"
        )
        for transition in observation.transitions {
            try insert.execute(arguments: [
                transition.accountId, transition.at.timeIntervalSince1970, transition.from?.rawValue, transition.to.rawValue,
                String(decoding: try StoredJSON.encoder.encode(transition), as: UTF8.self),
            ])
        }
    }

    static func transitions(after id: Int64, account: String?, limit: Int, in db: Database) throws -> [RecordedTransition] {
        let rows = if let account {
            try Row.fetchAll(db, sql: "SELECT id, record FROM stage_transitions WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?", arguments: [account, id, limit])
        } else {
            try Row.fetchAll(db, sql: "SELECT id, record FROM stage_transitions WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit])
        }
        return try rows.map { row in
            RecordedTransition(id: row["id"], transition: try StoredJSON.decoder.decode(StageTransition.self, from: Data((row["record"] as String).utf8)))
        }
    }
}

/// A stage transition as stored, with its position in the feed.
public struct RecordedTransition: Sendable, Equatable {
    /// Increasing; pass the last one seen as `after` to read on.
    public var id: Int64
    public var transition: StageTransition
}
