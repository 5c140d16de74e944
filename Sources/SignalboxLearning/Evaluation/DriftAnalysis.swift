import Foundation
import SignalboxCore

/// Compares a baseline period's account snapshots with a current period's: the total score
/// distribution over fixed bins (0–10, 10–20, …, 90–100) and the stage mix by PSI, each signal's
/// presence by PSI and its conversion rate by a two-proportion z-score.
///
/// ```swift
/// let analysis = DriftAnalysis(names: FeatureSpace(model: model).names, horizon: 30 * 86_400)
/// let report = try analysis.compare(baseline: old, current: new, baselinePeriod: q3, currentPeriod: q4, outcomesKnownUntil: asOf)
/// ```
public struct DriftAnalysis: Sendable {
    /// Feature column names (`signal.<id>` columns are compared).
    public var names: [String]
    public var horizon: TimeInterval
    /// Fewest snapshots with a signal present, in each period, before its conversion rates are compared.
    public static let minimumRowsForConversion = 10
    static let stages: [Stage] = [.notPQL, .pql, .salesReady]

    public init(names: [String], horizon: TimeInterval) {
        self.names = names
        self.horizon = horizon
    }

    public func compare(
        baseline: [TrainingRow], current: [TrainingRow], baselinePeriod: DateInterval, currentPeriod: DateInterval, outcomesKnownUntil: Date
    ) throws(DriftRefusal) -> DriftReport {
        guard !baseline.isEmpty else { throw .emptyPeriod(name: "baseline") }
        guard !current.isEmpty else { throw .emptyPeriod(name: "current") }
        let scores = distribution(bins: Self.scoreBinNames, baseline: Self.scoreHistogram(baseline), current: Self.scoreHistogram(current))
        let stages = distribution(bins: Self.stages.map(\.rawValue), baseline: Self.stageHistogram(baseline), current: Self.stageHistogram(current))
        let verdict = max(scores.level, stages.level)
        let unsettled = Set(current.map(\.at)).filter { $0.addingTimeInterval(horizon) > outcomesKnownUntil }.count
        var report = DriftReport(
            baseline: Self.period(baselinePeriod, baseline), current: Self.period(currentPeriod, current), horizonDays: Int((horizon / 86_400).rounded()),
            scores: scores, stages: stages, signals: signalShifts(baseline, current), verdict: verdict, retrain: verdict == .significant,
            unsettledSnapshotTimes: unsettled, summary: []
        )
        report.summary = DriftSummary.sentences(report)
        return report
    }

    /// `0–10`, `10–20`, …, `90–100`.
    static let scoreBinNames = (0..<10).map { "\($0 * 10)–\($0 * 10 + 10)" }

    /// Totals in ten bins of width 10; a total of exactly 100 falls in the last.
    static func scoreHistogram(_ rows: [TrainingRow]) -> [Int] {
        var counts = [Int](repeating: 0, count: 10)
        for row in rows { counts[min(9, max(0, Int(row.currentScore / 10)))] += 1 }
        return counts
    }

    static func stageHistogram(_ rows: [TrainingRow]) -> [Int] {
        stages.map { stage in rows.filter { $0.currentStage == stage }.count }
    }

    /// Two-proportion z-score with the pooled rate; nil when either side is too small or the
    /// pooled rate is 0 or 1.
    public static func zScore(converted first: Int, of firstTotal: Int, converted second: Int, of secondTotal: Int) -> Double? {
        guard firstTotal >= minimumRowsForConversion, secondTotal >= minimumRowsForConversion else { return nil }
        let pooled = Double(first + second) / Double(firstTotal + secondTotal)
        guard pooled > 0, pooled < 1 else { return nil }
        let error = (pooled * (1 - pooled) * (1 / Double(firstTotal) + 1 / Double(secondTotal))).squareRoot()
        return (Double(second) / Double(secondTotal) - Double(first) / Double(firstTotal)) / error
    }

    private func distribution(bins: [String], baseline: [Int], current: [Int]) -> DriftReport.Distribution {
        let psi = PopulationStability.index(baseline: baseline, current: current)
        return DriftReport.Distribution(bins: bins, baseline: baseline, current: current, psi: psi, level: PopulationStability.Level(psi))
    }

    private static func period(_ interval: DateInterval, _ rows: [TrainingRow]) -> DriftReport.Period {
        DriftReport.Period(
            from: interval.start, to: interval.end, snapshotTimes: Set(rows.map(\.at)).count, accountSnapshots: rows.count,
            conversions: rows.filter(\.converted).count, meanScore: rows.map(\.currentScore).reduce(0, +) / Double(rows.count)
        )
    }

    private func signalShifts(_ baseline: [TrainingRow], _ current: [TrainingRow]) -> [DriftReport.SignalShift] {
        let prefix = "signal."
        let shifts = names.indices.filter { names[$0].hasPrefix(prefix) }.compactMap { column -> DriftReport.SignalShift? in
            let before = baseline.filter { $0.features[column] != 0 }
            let after = current.filter { $0.features[column] != 0 }
            guard !before.isEmpty || !after.isEmpty else { return nil }
            let beforeConverted = before.filter(\.converted).count
            let afterConverted = after.filter(\.converted).count
            return DriftReport.SignalShift(
                signal: String(names[column].dropFirst(prefix.count)), baselinePresent: before.count, currentPresent: after.count,
                baselinePresenceRate: Double(before.count) / Double(baseline.count), currentPresenceRate: Double(after.count) / Double(current.count),
                presencePSI: PopulationStability.index(baseline: [before.count, baseline.count - before.count], current: [after.count, current.count - after.count]),
                baselineConverted: beforeConverted, currentConverted: afterConverted,
                baselineConversionRate: before.isEmpty ? nil : Double(beforeConverted) / Double(before.count),
                currentConversionRate: after.isEmpty ? nil : Double(afterConverted) / Double(after.count),
                conversionZ: Self.zScore(converted: beforeConverted, of: before.count, converted: afterConverted, of: after.count)
            )
        }
        return shifts.sorted { ($1.presencePSI, $0.signal) < ($0.presencePSI, $1.signal) }
    }
}
