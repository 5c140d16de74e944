import Foundation
import SignalboxCore

/// What a destination said to one attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// A passing failure (429, 5xx, timeout, refused connection); `after` is the receiver's `Retry-After`.
    case retry(after: TimeInterval?, reason: String)
    /// The receiver will never accept this message as it is (4xx other than 408 and 429).
    case permanent(reason: String)
}

/// Sends one handoff to one kind of destination.
public protocol DestinationAdapter: Sendable {
    func send(_ message: OutboxMessage) async -> DeliveryOutcome
}
