import Foundation

/// Spaces requests to one destination: at most `perSecond`, with bursts up to `burst`.
///
/// A token bucket on an injected clock; `wait(now:)` says how long to wait before the next request
/// and books it.
struct RateLimiter: Sendable {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var updatedAt: Date?

    init(perSecond: Double, burst: Double = 1) {
        self.perSecond = perSecond
        self.burst = max(burst, 1)
        tokens = self.burst
    }

    /// Seconds to wait before sending at `now`; the request is counted as sent after that wait.
    mutating func reserve(now: Date) -> TimeInterval {
        if let updatedAt { tokens = min(burst, tokens + max(0, now.timeIntervalSince(updatedAt)) * perSecond) }
        updatedAt = now
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / perSecond
    }
}
