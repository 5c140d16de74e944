import Foundation

/// When a failed delivery is tried again: exponential backoff with full jitter, or the receiver's
/// `Retry-After` when it gave one, never sooner than it asked.
public struct RetryPolicy: Sendable {
    /// Delay cap before jitter on the first retry.
    public var base: TimeInterval = 2
    /// Longest wait between attempts.
    public var cap: TimeInterval = 3_600

    public init(base: TimeInterval = 2, cap: TimeInterval = 3_600) {
        self.base = base
        self.cap = cap
    }

    /// The wait before attempt `attempts + 1`, with `random` in `0..<1` choosing the jitter.
    public func delay(afterAttempts attempts: Int, retryAfter: TimeInterval?, random: Double) -> TimeInterval {
        let ceiling = min(cap, base * pow(2, Double(max(attempts - 1, 0))))
        let jittered = ceiling * random
        guard let retryAfter else { return jittered }
        // Honour the receiver's wait, plus a little jitter so many workers do not return at once.
        return min(max(retryAfter, 0) + jittered * 0.1, max(cap, retryAfter))
    }
}
