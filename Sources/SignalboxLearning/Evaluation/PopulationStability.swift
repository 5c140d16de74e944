import Foundation

/// The population stability index (PSI): how far a distribution over fixed bins moved from a
/// baseline period to a current one, `Σ (current share − baseline share) · ln(current share / baseline share)`.
///
/// An empty bin would make the logarithm infinite, so shares are floored at 0.0001 (the usual
/// practice in credit scoring, where PSI comes from).
///
/// ```swift
/// let psi = PopulationStability.index(baseline: [50, 30, 20], current: [40, 30, 30])   // ≈ 0.0629
/// PopulationStability.Level(psi)                                                       // .stable
/// ```
public enum PopulationStability {
    static let shareFloor = 0.0001

    /// The PSI of two histograms over the same bins.
    public static func index(baseline: [Int], current: [Int]) -> Double {
        precondition(baseline.count == current.count, "PSI compares histograms over the same bins")
        let baselineTotal = Double(max(1, baseline.reduce(0, +)))
        let currentTotal = Double(max(1, current.reduce(0, +)))
        return zip(baseline, current).reduce(0.0) { sum, counts in
            let before = max(shareFloor, Double(counts.0) / baselineTotal)
            let after = max(shareFloor, Double(counts.1) / currentTotal)
            return sum + (after - before) * log(after / before)
        }
    }

    /// The conventional reading of a PSI.
    public enum Level: String, Sendable, Codable, Comparable {
        /// Below 0.1: no meaningful change.
        case stable
        /// 0.1 to 0.25: a change worth watching.
        case moderate
        /// Above 0.25: the population has moved; retrain.
        case significant

        public init(_ psi: Double) {
            self = psi < 0.1 ? .stable : psi <= 0.25 ? .moderate : .significant
        }

        private var rank: Int {
            switch self {
            case .stable: 0
            case .moderate: 1
            case .significant: 2
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }
}
