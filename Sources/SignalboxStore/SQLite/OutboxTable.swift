import Foundation
import GRDB
import SignalboxCore

/// The `outbox` table: handoffs waiting for, or done with, delivery.
enum OutboxTable {
    private static let columns = """
        outbox.id, outbox.kind, outbox.note, outbox.destination, outbox.idempotency_key, outbox.status, outbox.attempts,
        outbox.next_attempt_at, outbox.last_error, outbox.created_at, outbox.delivered_at, route_decisions.record
        """

    static func due(asOf: Date, limit: Int, in db: Database) throws -> [OutboxMessage] {
        try messages(db, where: "outbox.status = 'pending' AND outbox.next_attempt_at <= ? ORDER BY outbox.next_attempt_at, outbox.id LIMIT ?",
                     arguments: [asOf.timeIntervalSince1970, limit])
    }

    static func list(status: OutboxMessage.Status?, limit: Int, in db: Database) throws -> [OutboxMessage] {
        if let status {
            return try messages(db, where: "outbox.status = ? ORDER BY outbox.id DESC LIMIT ?", arguments: [status.rawValue, limit])
        }
        return try messages(db, where: "1 ORDER BY outbox.id DESC LIMIT ?", arguments: [limit])
    }

    static func forDecision(_ id: Int64, in db: Database) throws -> [OutboxMessage] {
        try messages(db, where: "outbox.decision_id = ? ORDER BY outbox.id", arguments: [id])
    }

    /// The earliest time a pending message may be attempted, if any is pending.
    static func nextAttempt(in db: Database) throws -> Date? {
        try Double.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'").map(Date.init(timeIntervalSince1970:))
    }

    static func record(_ attempt: DeliveryAttempt, in db: Database) throws {
        switch attempt.result {
        case .delivered(let at):
            try db.execute(sql: "UPDATE outbox SET status = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL WHERE id = ?",
                           arguments: [attempt.attempts, at.timeIntervalSince1970, attempt.messageId])
        case .retry(let at, let error):
            try db.execute(sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
                           arguments: [attempt.attempts, at.timeIntervalSince1970, error, attempt.messageId])
        case .dead(let error):
            try db.execute(sql: "UPDATE outbox SET status = 'dead', attempts = ?, last_error = ? WHERE id = ?",
                           arguments: [attempt.attempts, error, attempt.messageId])
        }
    }

    /// Puts messages in `status` back in line at `at`: all of them, or those with `ids`. A delivered
    /// message sent again gets a new idempotency key, since its receiver already has the old one.
    static func requeue(ids: [Int64]?, from status: OutboxMessage.Status, at: Date, in db: Database) throws -> Int {
        let rekey = status == .delivered ? ", idempotency_key = idempotency_key || '-replay-' || CAST(? AS TEXT)" : ""
        var arguments: StatementArguments = [at.timeIntervalSince1970]
        if status == .delivered { arguments += [Int64(at.timeIntervalSince1970 * 1000)] }
        arguments += [status.rawValue]
        var sql = "UPDATE outbox SET status = 'pending', attempts = 0, last_error = NULL, delivered_at = NULL, next_attempt_at = ?\(rekey) WHERE status = ?"
        if let ids {
            sql += " AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(ids)
        }
        try db.execute(sql: sql, arguments: arguments)
        return db.changesCount
    }

    private static func messages(_ db: Database, where clause: String, arguments: StatementArguments) throws -> [OutboxMessage] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM outbox JOIN route_decisions ON route_decisions.id = outbox.decision_id WHERE \(clause)", arguments: arguments)
        return try rows.map { row in
            let statusName: String = row["status"]
            guard let status = OutboxMessage.Status(rawValue: statusName) else { throw StoreCorruption("outbox names an unknown status \"\(statusName)\"") }
            let kindName: String = row["kind"]
            guard let kind = OutboxMessage.Kind(rawValue: kindName) else { throw StoreCorruption("outbox names an unknown kind \"\(kindName)\"") }
            return OutboxMessage(
                id: row["id"], kind: kind, note: row["note"], destination: row["destination"], idempotencyKey: row["idempotency_key"],
                decision: try StoredJSON.decoder.decode(RouteDecision.self, from: Data((row["record"] as String).utf8)),
                status: status, attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
                lastError: row["last_error"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:))
            )
        }
    }
}
