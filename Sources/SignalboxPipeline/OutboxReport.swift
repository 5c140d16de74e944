import Foundation
import SignalboxCore

/// Renders outbox messages for `signalbox outbox list` and `dead`.
public enum OutboxReport {
    public static func table(_ messages: [OutboxMessage]) -> String {
        var rows = [["ID", "STATUS", "DESTINATION", "ACCOUNT", "ROUTE", "ATTEMPTS", "NEXT / DELIVERED", "LAST ERROR"]]
        for message in messages {
            let when = message.status == .delivered ? message.deliveredAt : message.status == .pending ? message.nextAttemptAt : nil
            rows.append([
                String(message.id), message.status.rawValue, message.destination, message.decision.accountId, message.decision.route,
                String(message.attempts), when.map(Timestamp.format) ?? "-", message.lastError ?? "",
            ])
        }
        return TextTable.render(rows)
    }
}

/// Outbox messages counted by status.
public struct OutboxCounts: Sendable, Equatable {
    public var pending = 0
    public var delivered = 0
    public var dead = 0

    public init(_ messages: [OutboxMessage]) {
        for message in messages {
            switch message.status {
            case .pending: pending += 1
            case .delivered: delivered += 1
            case .dead: dead += 1
            }
        }
    }

    public var summary: String { "outbox: \(delivered) delivered, \(pending) pending, \(dead) dead" }
}
