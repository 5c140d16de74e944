import Foundation

/// How scores, stages and signals moved between a baseline period and a current one, and whether
/// to retrain. Counts are account snapshots: each open account once per weekly snapshot time.
public struct DriftReport: Sendable, Equatable, Codable {
    /// One period's snapshots and how they converted.
    public struct Period: Sendable, Equatable, Codable {
        public var from: Date
        public var to: Date
        public var snapshotTimes: Int
        public var accountSnapshots: Int
        /// Account snapshots that converted within the horizon after.
        public var conversions: Int
        public var meanScore: Double?
    }

    /// Two histograms over the same bins and the PSI between them.
    public struct Distribution: Sendable, Equatable, Codable {
        public var bins: [String]
        public var baseline: [Int]
        public var current: [Int]
        public var psi: Double
        public var level: PopulationStability.Level

        /// Each bin's share of the baseline period.
        public var baselineShares: [Double] { Self.shares(baseline) }
        /// Each bin's share of the current period.
        public var currentShares: [Double] { Self.shares(current) }

        private static func shares(_ counts: [Int]) -> [Double] {
            let total = Double(max(1, counts.reduce(0, +)))
            return counts.map { Double($0) / total }
        }
    }

    /// One signal in both periods: how often it is present, and how accounts with it converted.
    public struct SignalShift: Sendable, Equatable, Codable {
        public var signal: String
        public var baselinePresent: Int
        public var currentPresent: Int
        public var baselinePresenceRate: Double
        public var currentPresenceRate: Double
        /// PSI over the two bins present / absent.
        public var presencePSI: Double
        /// Of the snapshots with the signal present, how many converted.
        public var baselineConverted: Int
        public var currentConverted: Int
        public var baselineConversionRate: Double?
        public var currentConversionRate: Double?
        /// Two-proportion z-score of the change in conversion rate; nil with fewer than
        /// ``DriftAnalysis/minimumRowsForConversion`` present snapshots on either side.
        public var conversionZ: Double?
    }

    public var baseline: Period
    public var current: Period
    public var horizonDays: Int
    public var scores: Distribution
    public var stages: Distribution
    /// Signals present in either period, the most moved first.
    public var signals: [SignalShift]
    /// The larger of the score and stage levels.
    public var verdict: PopulationStability.Level
    public var retrain: Bool
    /// Current-period snapshot times whose horizon ends after the last known outcome: their
    /// conversions are not all in yet.
    public var unsettledSnapshotTimes: Int
    /// What moved and what to do, in words.
    public var summary: [String]
}

/// Why two periods cannot be compared.
public enum DriftRefusal: Error, Equatable, CustomStringConvertible {
    case emptyPeriod(name: String)

    public var description: String {
        switch self {
        case .emptyPeriod(let name):
            "the \(name) period has no open accounts at any weekly snapshot; choose dates inside the stored history"
        }
    }
}
