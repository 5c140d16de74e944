import Foundation
import SignalboxCore

/// The JSON a webhook or the file destination receives: the decision with its brief, keys in
/// snake_case like the rest of the API, dates in ISO 8601.
enum HandoffJSON {
    static func encode(_ message: OutboxMessage) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let envelope = Envelope(
            idempotencyKey: message.idempotencyKey, kind: message.kind.rawValue, note: message.note, destination: message.destination,
            handoff: message.decision
        )
        // A decision of plain values always encodes.
        return try! encoder.encode(envelope)
    }

    private struct Envelope: Encodable {
        let idempotencyKey: String
        /// `handoff`, `reminder` or `escalation`.
        let kind: String
        let note: String?
        let destination: String
        let handoff: RouteDecision
    }
}
