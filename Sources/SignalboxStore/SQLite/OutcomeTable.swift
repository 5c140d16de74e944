import Foundation
import GRDB
import SignalboxCore

/// The `outcomes` table: conversions and losses as imported, keyed as their source named them.
enum OutcomeTable {
    /// Stores outcomes; one already stored (same key and times) has its ACV updated instead. Returns how many were new.
    static func record(_ outcomes: [Outcome], source: String, in db: Database) throws -> Int {
        let insert = try db.cachedStatement(sql: "INSERT INTO outcomes (key_kind, key, converted_at, lost_at, acv, source) VALUES (?, ?, ?, ?, ?, ?)")
        let update = try db.cachedStatement(sql: """
            UPDATE outcomes SET acv = ?, source = ? WHERE key_kind = ? AND key = ? AND converted_at IS ? AND lost_at IS ?
            """)
        var fresh = 0
        for outcome in outcomes {
            let key: StatementArguments = [kind(outcome.key), name(outcome.key), outcome.convertedAt?.timeIntervalSince1970, outcome.lostAt?.timeIntervalSince1970]
            try update.execute(arguments: [outcome.acv, source] + key)
            if db.changesCount == 0 {
                try insert.execute(arguments: key + [outcome.acv, source])
                fresh += 1
            }
        }
        return fresh
    }

    static func all(in db: Database) throws -> [Outcome] {
        try Row.fetchAll(db, sql: "SELECT key_kind, key, converted_at, lost_at, acv FROM outcomes ORDER BY id").map { row in
            let key: String = row["key"]
            let kindName: String = row["key_kind"]
            let outcomeKey: Outcome.Key
            switch kindName {
            case "account": outcomeKey = .account(key)
            case "workspace": outcomeKey = .workspace(key)
            case "domain": outcomeKey = .domain(key)
            default: throw StoreCorruption("outcomes names an unknown key kind \"\(kindName)\"")
            }
            return Outcome(
                key: outcomeKey, convertedAt: (row["converted_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                lostAt: (row["lost_at"] as Double?).map(Date.init(timeIntervalSince1970:)), acv: row["acv"]
            )
        }
    }

    private static func kind(_ key: Outcome.Key) -> String {
        switch key {
        case .account: "account"
        case .workspace: "workspace"
        case .domain: "domain"
        }
    }

    private static func name(_ key: Outcome.Key) -> String {
        switch key {
        case .account(let id), .workspace(let id), .domain(let id): id
        }
    }
}
