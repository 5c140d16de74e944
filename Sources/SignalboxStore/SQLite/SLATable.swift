import Foundation
import GRDB
import SignalboxCore

/// The `sla_steps` table: which SLA steps each handoff has taken, and what a step writes.
enum SLATable {
    /// Handoffs whose SLA fell due by `now`, with no disposition and not yet reassigned or escalated.
    static func open(dueBy now: Date, in db: Database) throws -> [OpenHandoff] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT route_decisions.id, route_decisions.record, group_concat(sla_steps.step) AS steps
            FROM route_decisions LEFT JOIN sla_steps ON sla_steps.decision_id = route_decisions.id
            WHERE route_decisions.outcome = 'handoff' AND route_decisions.sla_due IS NOT NULL AND route_decisions.sla_due <= ?
              AND NOT EXISTS (SELECT 1 FROM dispositions WHERE dispositions.decision_id = route_decisions.id)
            GROUP BY route_decisions.id
            HAVING coalesce(sum(sla_steps.step IN ('reassignment', 'escalation')), 0) = 0
            ORDER BY route_decisions.id
            """, arguments: [now.timeIntervalSince1970])
        return try rows.map { row in
            let names = (row["steps"] as String?)?.split(separator: ",").map(String.init) ?? []
            return OpenHandoff(
                id: row["id"], decision: try StoredJSON.decoder.decode(RouteDecision.self, from: Data((row["record"] as String).utf8)),
                steps: Set(names.compactMap(SLAStep.init(rawValue:)))
            )
        }
    }

    /// Records a step; a reminder or an escalation also queues a notice to each of the handoff's destinations.
    static func record(_ taken: SLAStepTaken, in db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO sla_steps (decision_id, step, at, detail) VALUES (?, ?, ?, ?)",
                       arguments: [taken.handoffId, taken.step.rawValue, taken.at.timeIntervalSince1970, taken.detail])
        guard db.changesCount > 0, taken.step != .reassignment else { return }
        let destinations = try String.fetchOne(db, sql: "SELECT record FROM route_decisions WHERE id = ?", arguments: [taken.handoffId])
            .map { try StoredJSON.decoder.decode(RouteDecision.self, from: Data($0.utf8)).destinations } ?? []
        let kind = taken.step == .reminder ? OutboxMessage.Kind.reminder : .escalation
        for destination in destinations {
            try db.execute(sql: """
                INSERT INTO outbox (decision_id, destination, idempotency_key, kind, note, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                """, arguments: [taken.handoffId, destination, "\(kind.rawValue)-\(taken.handoffId)-\(destination)", kind.rawValue, taken.detail,
                                 taken.at.timeIntervalSince1970, taken.at.timeIntervalSince1970])
        }
    }
}

/// A handoff whose SLA is running out, with the steps it has taken.
public struct OpenHandoff: Sendable, Equatable {
    public var id: Int64
    public var decision: RouteDecision
    public var steps: Set<SLAStep>
}
