import Foundation

/// What a backtest measured over one period.
public struct BacktestReport: Sendable, Equatable, Codable {
    /// Accounts of one stage (the highest each reached) or one fit tier.
    public struct Group: Sendable, Equatable, Codable {
        public var name: String
        public var accounts = 0
        /// Sales-ready flags among them (fit tiers only).
        public var flagged = 0
        /// By stage: converted within the horizon after first reaching it. By tier: flags that converted.
        public var converted = 0
        /// Converters in the period, and how many were flagged first (fit tiers only).
        public var converters = 0
        public var caught = 0

        public init(name: String) {
            self.name = name
        }
    }

    /// Converters whose first sales-ready flag came this many days before they converted.
    public struct LeadBucket: Sendable, Equatable, Codable {
        public var fromDays: Double
        /// Nil for the last, open bucket.
        public var toDays: Double?
        public var converters: Int
    }

    public var from: Date
    public var to: Date
    public var horizon: TimeInterval
    /// Accounts that were open prospects on at least one day.
    public var accounts: Int
    /// Accounts that became sales-ready, and those that converted within the horizon after.
    public var flagged: Int
    public var flaggedConverted: Int
    /// Accounts that converted in the period, and those flagged sales-ready before converting.
    public var converters: Int
    public var convertersFlagged: Int
    /// Days from first sales-ready to conversion, over flagged converters.
    public var medianLeadDays: Double?
    public var leadDistribution: [LeadBucket]
    /// Accounts first seen in the period, and those that reached PQL or better.
    public var newSignups: Int
    public var newSignupsPQL: Int
    /// Accounts first flagged sales-ready in each week of the period.
    public var weeklySalesReady: [Int]
    public var byStage: [Group]
    public var byFitTier: [Group]

    public var precision: Double? { flagged == 0 ? nil : Double(flaggedConverted) / Double(flagged) }
    public var recall: Double? { converters == 0 ? nil : Double(convertersFlagged) / Double(converters) }
    public var pqlRate: Double? { newSignups == 0 ? nil : Double(newSignupsPQL) / Double(newSignups) }
    /// Mean new sales-ready accounts per full week.
    public var salesReadyPerWeek: Double {
        let days = to.timeIntervalSince(from) / 86_400
        return days <= 0 ? 0 : Double(flagged) / days * 7
    }
}
