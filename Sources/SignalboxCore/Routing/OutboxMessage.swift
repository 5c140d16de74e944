import Foundation

/// One handoff on its way to one destination, as the transactional outbox keeps it.
///
/// Written in the same transaction as the routing decision it carries, then delivered at least once
/// by the outbox worker; the idempotency key lets a receiver drop a repeat.
public struct OutboxMessage: Sendable, Equatable {
    /// Where a message is in its life.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Waiting for its next attempt.
        case pending
        case delivered
        /// Failed permanently, or too many times; kept with the reason until retried.
        case dead
    }

    /// What the message says about its handoff.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The handoff itself: the brief for the owner.
        case handoff
        /// The owner's SLA fell due without a first touch.
        case reminder
        /// The SLA was missed again after a reassignment (or nobody could take it over).
        case escalation
    }

    public var id: Int64
    public var kind: Kind
    /// What a reminder or an escalation says, in words.
    public var note: String?
    public var destination: String
    /// Stable across retries: `<kind>-<decision id>-<destination>`.
    public var idempotencyKey: String
    public var decision: RouteDecision
    public var status: Status
    public var attempts: Int
    /// When the next attempt may start.
    public var nextAttemptAt: Date
    /// Why the last attempt failed.
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: Int64, kind: Kind = .handoff, note: String? = nil, destination: String, idempotencyKey: String, decision: RouteDecision,
        status: Status, attempts: Int, nextAttemptAt: Date, lastError: String?, createdAt: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.kind = kind
        self.note = note
        self.destination = destination
        self.idempotencyKey = idempotencyKey
        self.decision = decision
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// What one delivery attempt of an outbox message came to.
public struct DeliveryAttempt: Sendable, Equatable {
    /// The attempt's result, as the outbox records it.
    public enum Result: Sendable, Equatable {
        case delivered(at: Date)
        /// Try again at this time.
        case retry(at: Date, error: String)
        /// Stop trying: a permanent error, or too many attempts.
        case dead(error: String)
    }

    public var messageId: Int64
    /// Attempts made so far, this one included.
    public var attempts: Int
    public var result: Result

    public init(messageId: Int64, attempts: Int, result: Result) {
        self.messageId = messageId
        self.attempts = attempts
        self.result = result
    }
}
