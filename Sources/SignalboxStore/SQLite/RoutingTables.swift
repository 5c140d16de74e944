import Foundation
import GRDB
import SignalboxCore

/// The `route_decisions` and `routing_credits` tables: what routing decided, and the state it continues
/// from. Recording a handoff also enqueues it in the `outbox` for each of its destinations.
enum RoutingTables {
    static func record(_ decisions: [RouteDecision], credits: [String: [String: Double]], in db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO route_decisions (account_id, routing_key, at, route, stage, outcome, owner, owner_day, sla_due, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let enqueue = try db.cachedStatement(sql: """
            INSERT INTO outbox (decision_id, destination, idempotency_key, status, next_attempt_at, created_at)
            VALUES (?, ?, ?, 'pending', ?, ?)
            """)
        for decision in decisions {
            try insert.execute(arguments: [
                decision.accountId, decision.routingKey, decision.at.timeIntervalSince1970, decision.route, decision.stage.rawValue,
                decision.outcome.rawValue, decision.owner?.email, decision.owner?.day,
                decision.outcome == .handoff ? decision.slaDue?.timeIntervalSince1970 : nil,
                String(decoding: try StoredJSON.encoder.encode(decision), as: UTF8.self),
            ])
            guard decision.outcome == .handoff else { continue }
            let decisionId = db.lastInsertedRowID
            for destination in decision.destinations {
                let at = decision.at.timeIntervalSince1970
                try enqueue.execute(arguments: [decisionId, destination, "handoff-\(decisionId)-\(destination)", at, at])
            }
        }
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO routing_credits (team, rep, credit) VALUES (?, ?, ?)")
        for (team, reps) in credits.sorted(by: { $0.key < $1.key }) {
            for (rep, credit) in reps.sorted(by: { $0.key < $1.key }) { try upsert.execute(arguments: [team, rep, credit]) }
        }
    }

    /// The ledger routing continues from. Day counts are read for the last few days only: capacity
    /// is per local day, and no time zone is more than a day from UTC.
    static func ledger(asOf: Date, in db: Database) throws -> RoutingLedger {
        var ledger = RoutingLedger()
        for row in try Row.fetchAll(db, sql: "SELECT team, rep, credit FROM routing_credits") {
            ledger.credits[row["team"], default: [:]][row["rep"]] = row["credit"]
        }
        let since = asOf.addingTimeInterval(-3 * 86_400).timeIntervalSince1970
        for row in try Row.fetchAll(db, sql: """
            SELECT owner, owner_day, count(*) AS handoffs FROM route_decisions
            WHERE outcome = 'handoff' AND owner IS NOT NULL AND at >= ? GROUP BY owner, owner_day
            """, arguments: [since]) {
            ledger.daily[row["owner"], default: [:]][row["owner_day"]] = row["handoffs"]
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT routing_key, owner FROM route_decisions WHERE id IN
                (SELECT max(id) FROM route_decisions WHERE outcome = 'handoff' AND owner IS NOT NULL GROUP BY routing_key)
            """) {
            ledger.owners[row["routing_key"]] = row["owner"]
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT routing_key, route, at, stage FROM route_decisions WHERE id IN
                (SELECT max(id) FROM route_decisions WHERE outcome = 'handoff' GROUP BY routing_key, route)
            """) {
            let name: String = row["stage"]
            guard let stage = Stage(rawValue: name) else { throw StoreCorruption("route_decisions names an unknown stage \"\(name)\"") }
            ledger.lastHandoffs[row["routing_key"], default: [:]][row["route"]] = PastHandoff(
                at: Date(timeIntervalSince1970: row["at"]), stage: stage
            )
        }
        return ledger
    }

    /// Accounts whose latest routing decision deferred them for lack of rep capacity.
    static func deferred(in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: """
            SELECT account_id FROM route_decisions WHERE id IN (SELECT max(id) FROM route_decisions GROUP BY account_id) AND outcome = 'deferred'
            """))
    }

    static func decisions(after id: Int64, account: String?, limit: Int, in db: Database) throws -> [RecordedDecision] {
        let rows = if let account {
            try Row.fetchAll(db, sql: "SELECT id, record FROM route_decisions WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?", arguments: [account, id, limit])
        } else {
            try Row.fetchAll(db, sql: "SELECT id, record FROM route_decisions WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit])
        }
        return try rows.map { row in
            RecordedDecision(id: row["id"], decision: try StoredJSON.decoder.decode(RouteDecision.self, from: Data((row["record"] as String).utf8)))
        }
    }
}

/// A routing decision as stored, with its position in the feed.
public struct RecordedDecision: Sendable, Equatable {
    /// Increasing; pass the last one seen as `after` to read on.
    public var id: Int64
    public var decision: RouteDecision
}
