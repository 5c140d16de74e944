import Foundation

/// Stage thresholds that meet a precision target and a PQL-rate band on a backtest's history, with
/// the trade-off behind them. Gates and the fast lane stay as the model has them.
public struct ThresholdTuning: Sendable, Equatable, Codable {
    /// What one sales-ready threshold would have done.
    public struct Option: Sendable, Equatable, Codable {
        public var salesReady: Double
        public var flagged: Int
        public var precision: Double?
        public var recall: Double?
        public var medianLeadDays: Double?
        public var perWeek: Double
    }

    /// The PQL rate of new signups one PQL threshold would have given.
    public struct PQLOption: Sendable, Equatable, Codable {
        public var pql: Double
        public var pqlRate: Double?
    }

    public var targetPrecision: Double
    public var pqlRateLow: Double
    public var pqlRateHigh: Double
    public var options: [Option]
    public var pqlOptions: [PQLOption]
    /// The lowest sales-ready threshold whose precision meets the target (so the most converters
    /// caught at that precision); nil when none does.
    public var salesReady: Double?
    /// The PQL threshold (at most sales-ready) whose PQL rate is nearest the middle of the band,
    /// among those inside it; nil when none is.
    public var pql: Double?

    /// Candidate thresholds: half points up to 20 (where probability scores live), whole points above.
    public static let candidates: [Double] = stride(from: 0.5, through: 20, by: 0.5).map { $0 } + (21...100).map(Double.init)

    public init(history: BacktestHistory, horizon: TimeInterval, targetPrecision: Double, pqlRate: ClosedRange<Double>, candidates: [Double] = ThresholdTuning.candidates) {
        self.targetPrecision = targetPrecision
        pqlRateLow = pqlRate.lowerBound
        pqlRateHigh = pqlRate.upperBound
        options = candidates.map { threshold in
            let report = Backtest.evaluate(history, rule: .thresholds(pql: threshold, salesReady: threshold), horizon: horizon)
            return Option(
                salesReady: threshold, flagged: report.flagged, precision: report.precision, recall: report.recall,
                medianLeadDays: report.medianLeadDays, perWeek: report.salesReadyPerWeek
            )
        }
        let ready = options.first { ($0.precision ?? 0) >= targetPrecision && $0.flagged > 0 }?.salesReady
        salesReady = ready
        let ceiling = ready ?? candidates.last ?? 100
        pqlOptions = candidates.filter { $0 <= ceiling }.map { threshold in
            PQLOption(pql: threshold, pqlRate: Backtest.evaluate(history, rule: .thresholds(pql: threshold, salesReady: ceiling), horizon: horizon).pqlRate)
        }
        let middle = (pqlRate.lowerBound + pqlRate.upperBound) / 2
        pql = pqlOptions.filter { $0.pqlRate.map(pqlRate.contains) ?? false }
            .min { abs($0.pqlRate! - middle) < abs($1.pqlRate! - middle) }?.pql
    }
}
