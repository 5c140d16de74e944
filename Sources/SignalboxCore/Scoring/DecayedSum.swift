import Foundation

/// An exponentially decayed sum kept exactly and incrementally: no nightly recomputation.
///
/// The sum is stored with the time it was last brought up to date; reading it later multiplies by
/// `2^(-(t - t0) / halfLife)` (the closed form of exponential decay). Adding an older event
/// decays that event instead, so the result does not depend on arrival order.
/// ```swift
/// var sum = DecayedSum()
/// sum.add(1, at: monday, halfLife: week)
/// sum.value(at: nextMonday, halfLife: week) // 0.5
/// ```
public struct DecayedSum: Sendable, Equatable, Codable {
    public private(set) var amount: Double
    public private(set) var asOf: Date?

    public init() {
        amount = 0
        asOf = nil
    }

    /// A sum as stored: `amount` as of `asOf`.
    init(amount: Double, asOf: Date?) {
        self.amount = amount
        self.asOf = asOf
    }

    /// Adds `weight` happening at `time`.
    public mutating func add(_ weight: Double, at time: Date, halfLife: TimeInterval) {
        guard let reference = asOf else {
            amount = weight
            asOf = time
            return
        }
        if time >= reference {
            amount = amount * DecayedSum.factor(elapsed: time.timeIntervalSince(reference), halfLife: halfLife) + weight
            asOf = time
        } else {
            amount += weight * DecayedSum.factor(elapsed: reference.timeIntervalSince(time), halfLife: halfLife)
        }
    }

    /// The sum as read at `time`; never more than the undecayed amount for times before the last update.
    public func value(at time: Date, halfLife: TimeInterval) -> Double {
        guard let reference = asOf else { return 0 }
        return amount * DecayedSum.factor(elapsed: max(0, time.timeIntervalSince(reference)), halfLife: halfLife)
    }

    /// `2^(-elapsed / halfLife)`: the share of a weight left after `elapsed` seconds.
    public static func factor(elapsed: TimeInterval, halfLife: TimeInterval) -> Double {
        exp2(-elapsed / halfLife)
    }
}
