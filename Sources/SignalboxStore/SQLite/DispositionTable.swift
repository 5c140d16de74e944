import Foundation
import GRDB
import SignalboxCore

/// The `dispositions` table: reps' verdicts on handoffs.
enum DispositionTable {
    /// Records a verdict; false when no handoff has that id.
    static func record(_ disposition: Disposition, in db: Database) throws -> Bool {
        let outcome = try String.fetchOne(db, sql: "SELECT outcome FROM route_decisions WHERE id = ?", arguments: [disposition.handoffId])
        guard outcome == RouteDecision.Outcome.handoff.rawValue else { return false }
        try db.execute(
            sql: "INSERT INTO dispositions (decision_id, verdict, recorded_at, record) VALUES (?, ?, ?, ?)",
            arguments: [disposition.handoffId, disposition.verdict.rawValue, disposition.recordedAt.timeIntervalSince1970,
                        String(decoding: try StoredJSON.encoder.encode(disposition), as: UTF8.self)]
        )
        return true
    }

    /// Every handoff's latest verdict with the decision it judges, oldest handoff first.
    static func labels(in db: Database) throws -> [HandoffLabel] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT route_decisions.record AS decision, dispositions.record AS disposition
            FROM dispositions JOIN route_decisions ON route_decisions.id = dispositions.decision_id
            WHERE dispositions.id IN (SELECT max(id) FROM dispositions GROUP BY decision_id)
            ORDER BY dispositions.decision_id
            """)
        return try rows.map { row in
            HandoffLabel(
                decision: try StoredJSON.decoder.decode(RouteDecision.self, from: Data((row["decision"] as String).utf8)),
                disposition: try StoredJSON.decoder.decode(Disposition.self, from: Data((row["disposition"] as String).utf8))
            )
        }
    }

    static func latest(handoff id: Int64, in db: Database) throws -> Disposition? {
        try String.fetchOne(db, sql: "SELECT record FROM dispositions WHERE decision_id = ? ORDER BY id DESC LIMIT 1", arguments: [id])
            .map { try StoredJSON.decoder.decode(Disposition.self, from: Data($0.utf8)) }
    }
}

/// A handoff and the verdict on it: one training label.
public struct HandoffLabel: Sendable, Equatable {
    public var decision: RouteDecision
    public var disposition: Disposition
}
