import Foundation
import SignalboxCore
import SignalboxLearning

extension TrainingSnapshots {
    /// `signalbox drift`: weekly snapshots of both periods (each holding only the history up to its
    /// time) compared by ``DriftAnalysis``, each snapshot labelled with the `outcomes` known by
    /// `asOf` within `horizon`.
    ///
    /// ```swift
    /// let report = try TrainingSnapshots(store: store, model: model, companies: companies)
    ///     .drift(baseline: september, current: november, horizon: 30 * 86_400, asOf: asOf, outcomes: outcomes)
    /// ```
    public func drift(baseline: DateInterval, current: DateInterval, horizon: TimeInterval, asOf: Date, outcomes: [Outcome]) throws -> DriftReport {
        let known = outcomes.map { $0.known(asOf: asOf) }.filter { $0.convertedAt != nil || $0.lostAt != nil }
        let baselineTimes = Self.weeklyTimes(from: baseline.start, through: baseline.end)
        let currentTimes = Self.weeklyTimes(from: current.start, through: current.end)
        let rows = try rows(at: baselineTimes + currentTimes, outcomes: known, horizon: horizon)
        let inBaseline = Set(baselineTimes)
        let analysis = DriftAnalysis(names: FeatureSpace(model: model).names, horizon: horizon)
        return try analysis.compare(
            baseline: rows.filter { inBaseline.contains($0.at) }, current: rows.filter { !inBaseline.contains($0.at) },
            baselinePeriod: baseline, currentPeriod: current, outcomesKnownUntil: asOf
        )
    }
}
