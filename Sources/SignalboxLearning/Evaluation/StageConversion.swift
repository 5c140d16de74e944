import Foundation
import SignalboxCore

/// How often accounts in each stage went on to convert, against the base rate: the first check that
/// a model is worth routing on.
public struct StageConversion: Sendable, Equatable {
    /// One stage's accounts and conversions.
    public struct Row: Sendable, Equatable {
        public var stage: Stage
        public var accounts: Int
        public var converted: Int
        public var rate: Double { accounts == 0 ? 0 : Double(converted) / Double(accounts) }
    }

    public var rows: [Row]
    /// Conversion rate over all scorable (not excluded) accounts.
    public var baseRate: Double

    /// Counts conversions inside `horizon` after each score's as-of time.
    public init(scores: [AccountScore], outcomes: [AccountOutcome], horizon: TimeInterval) {
        let firstConversion = outcomes.firstTimes.conversions
        func converted(_ score: AccountScore) -> Bool {
            guard let time = firstConversion[score.accountId] else { return false }
            return time > score.asOf && time <= score.asOf.addingTimeInterval(horizon)
        }
        rows = Stage.allCases.reversed().map { stage in
            let inStage = scores.filter { $0.stage == stage }
            return Row(stage: stage, accounts: inStage.count, converted: inStage.filter(converted).count)
        }
        let scorable = scores.filter { $0.stage != .excluded }
        baseRate = scorable.isEmpty ? 0 : Double(scorable.filter(converted).count) / Double(scorable.count)
    }

    /// A stage's conversion rate divided by the base rate.
    public func lift(_ stage: Stage) -> Double {
        guard baseRate > 0, let row = rows.first(where: { $0.stage == stage }) else { return 0 }
        return row.rate / baseRate
    }
}
