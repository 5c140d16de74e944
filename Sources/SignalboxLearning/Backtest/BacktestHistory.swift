import Foundation
import SignalboxCore

/// What a model said about every scored account on every day of a backtest, and what happened.
///
/// Collected by replaying history one day at a time, so each day's scores read only events up to
/// that day. Converted, lost and excluded accounts are recorded too; ``Backtest`` decides which
/// observations were open prospects.
public struct BacktestHistory: Sendable {
    /// One account on one day.
    public struct Observation: Sendable, Equatable {
        /// Index into ``BacktestHistory/accounts``.
        public var account: Int32
        /// Days since ``BacktestHistory/start``.
        public var day: Int32
        public var total: Double
        public var stage: Stage
        /// A hand-raise made the account sales-ready, whatever its score.
        public var fastLane: Bool
        /// Whether the model's sales-ready and PQL gates (not their score thresholds) held.
        public var readyGates: Bool
        public var pqlGates: Bool

        public init(account: Int32, day: Int32, total: Double, stage: Stage, fastLane: Bool, readyGates: Bool, pqlGates: Bool) {
            self.account = account
            self.day = day
            self.total = total
            self.stage = stage
            self.fastLane = fastLane
            self.readyGates = readyGates
            self.pqlGates = pqlGates
        }
    }

    /// The first day's snapshot time; day `d` is scored as of `start + d days`.
    public var start: Date
    public var days: Int
    public var accounts: [String]
    /// The day each account first appeared, or nil when it existed before the start.
    public var firstSeenDay: [Int?]
    /// Fit tier at the account's last observation ("unknown" without fit).
    public var fitTier: [String]
    public var observations: [Observation]
    /// Conversion and loss times by account index.
    public var convertedAt: [Int: Date]
    public var lostAt: [Int: Date]

    public init(
        start: Date, days: Int, accounts: [String], firstSeenDay: [Int?], fitTier: [String],
        observations: [Observation], convertedAt: [Int: Date], lostAt: [Int: Date]
    ) {
        self.start = start
        self.days = days
        self.accounts = accounts
        self.firstSeenDay = firstSeenDay
        self.fitTier = fitTier
        self.observations = observations
        self.convertedAt = convertedAt
        self.lostAt = lostAt
    }

    /// The snapshot time of a day.
    public func time(ofDay day: Int32) -> Date { start.addingTimeInterval(Double(day) * 86_400) }

    /// Whether the account was still a prospect at the observation: not excluded, not yet converted or lost.
    public func isOpen(_ observation: Observation) -> Bool {
        guard observation.stage != .excluded else { return false }
        let time = time(ofDay: observation.day)
        let account = Int(observation.account)
        if let converted = convertedAt[account], converted <= time { return false }
        if let lost = lostAt[account], lost <= time { return false }
        return true
    }
}
