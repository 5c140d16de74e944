import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxStore

/// Feature snapshots for training and backtests: at each snapshot time the engine holds exactly the
/// events up to that moment (events after it are never read), every open account is scored, and
/// its row holds the features then and whether it converted within the horizon after.
public struct TrainingSnapshots {
    public let store: any SignalStore
    public let model: CompiledModel
    public let companies: [String: Company]

    public init(store: any SignalStore, model: CompiledModel, companies: [String: Company]) {
        self.store = store
        self.model = model
        self.companies = companies
    }

    /// Weekly snapshot times: the latest one horizon before `asOf` (so its labels are known), then
    /// `count - 1` more a week apart, oldest first.
    public static func weeklyTimes(asOf: Date, horizon: TimeInterval, count: Int) -> [Date] {
        (0..<count).reversed().map { asOf.addingTimeInterval(-horizon - Double($0) * 7 * 86_400) }
    }

    /// Weekly snapshot times from `start` through `end`, oldest first: a period seen week by week.
    public static func weeklyTimes(from start: Date, through end: Date) -> [Date] {
        Array(stride(from: start.timeIntervalSince1970, through: end.timeIntervalSince1970, by: 7 * 86_400).map(Date.init(timeIntervalSince1970:)))
    }

    /// Rows for every open, non-excluded account at each time, oldest snapshot first.
    public func rows(at times: [Date], outcomes: [Outcome], horizon: TimeInterval) throws -> [TrainingRow] {
        let space = FeatureSpace(model: model)
        var rows: [TrainingRow] = []
        // One engine steps forward from snapshot to snapshot, reading each event once.
        var engine = Engine(model: model, companies: companies)
        var previous: Date?
        for time in times.sorted() {
            if let previous {
                try store.advance(&engine, after: previous, until: time)
            } else {
                engine = try store.replay(model: model, companies: companies, until: time)
            }
            previous = time
            let labels = SnapshotLabels(outcomes: OutcomeResolver.resolve(outcomes, engine: engine).outcomes, horizon: horizon)
            for score in engine.scoreAll(asOf: time, explained: false) where labels.isOpen(score, at: time) {
                rows.append(TrainingRow(
                    accountId: score.accountId, at: time, features: space.row(score), currentScore: score.total,
                    currentStage: score.stage, currentFit: score.fit, converted: labels.converts(score.accountId, after: time)
                ))
            }
        }
        return rows
    }
}
