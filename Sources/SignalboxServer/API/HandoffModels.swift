import Foundation
import SignalboxCore

/// A page of the routing decisions feed.
struct HandoffFeed: Encodable {
    let handoffs: [HandoffItem]
    /// Pass as `after` to read on.
    let nextAfter: Int64
}

/// One routing decision with its id (a handoff's id).
struct HandoffItem: Encodable {
    let id: Int64
    let decision: RouteDecision
}

/// One handoff with where its deliveries stand and the latest verdict on it.
struct HandoffDetail: Encodable {
    let id: Int64
    let decision: RouteDecision
    let deliveries: [DeliveryItem]
    let disposition: Disposition?
}

/// An outbox message as the API shows it.
struct DeliveryItem: Encodable {
    let id: Int64
    let handoffId: Int64?
    let accountId: String
    let destination: String
    let idempotencyKey: String
    let status: OutboxMessage.Status
    let attempts: Int
    let nextAttemptAt: Date?
    let lastError: String?
    let deliveredAt: Date?

    init(_ message: OutboxMessage, handoffId: Int64? = nil) {
        id = message.id
        self.handoffId = handoffId
        accountId = message.decision.accountId
        destination = message.destination
        idempotencyKey = message.idempotencyKey
        status = message.status
        attempts = message.attempts
        nextAttemptAt = message.status == .pending ? message.nextAttemptAt : nil
        lastError = message.lastError
        deliveredAt = message.deliveredAt
    }
}

struct OutboxList: Encodable {
    let messages: [DeliveryItem]
}

/// `POST /api/handoffs/{id}/disposition`.
struct DispositionUpload: Decodable {
    let disposition: Disposition.Verdict
    let reason: Disposition.Reason?
    let note: String?
    let firstTouchAt: Date?
    let by: String?
}

/// `POST /api/outbox/retry`: dead letters to put back in line, or all of them.
struct OutboxRetry: Decodable {
    let ids: [Int64]?
}

struct OutboxRetryResult: Encodable {
    let requeued: Int
}
