import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// Issue-level acceptance on the demo world: the learned model beats the preset on held-out time,
/// ships as a config, and in a backtest with tuned thresholds meets the published goals of a first
/// PQL model (precision at least 25%, recall at least 60%, flagged at least 14 days before converting).
final class LearningAcceptanceTests: ScratchDirectoryTestCase {
    private static let end = Timestamp.parse("2026-11-01T00:00:00Z")!
    private static let day: TimeInterval = 86_400

    func testTheLearnedModelBeatsThePresetAndMeetsTheGoalsOfAFirstPQLModel() throws {
        var options = DemoWorld.Options(end: Self.end)
        options.workspaces = 800
        let world = try DemoJob(directory: directory + "/demo", options: options).run()
        let store = try SQLiteStore(path: world.files[4])
        let current = CompiledModel(try ProjectFiles.loadConfig(path: world.files[3]))
        _ = try store.recordOutcomes(try OutcomesFile.parse(try ProjectFiles.readText(path: world.files[2]), file: "outcomes.csv"), source: "file")
        let engine = try store.loadEngine(model: current)
        let outcomes = try store.learningOutcomes(config: current.config, engine: engine)

        let horizon = 30 * Self.day
        let times = TrainingSnapshots.weeklyTimes(asOf: Self.end.addingTimeInterval(horizon + 3 * Self.day), horizon: horizon, count: 8)
        let rows = try TrainingSnapshots(store: store, model: current, companies: engine.companies).rows(at: times, outcomes: outcomes, horizon: horizon)
        let space = FeatureSpace(model: current)
        let (model, report) = try Trainer().train(rows, names: space.names, nonPositive: space.nonPositive)
        XCTAssertGreaterThan(report.challenger.auc ?? 0, report.champion.auc ?? 1, "validation AUC")
        XCTAssertGreaterThan(report.challengerAtEqualRecall?.precision ?? 0, report.championSalesReady.precision ?? 1, "precision at equal recall")

        let thresholds = try XCTUnwrap(report.thresholds)
        let learned = space.config(model, name: "learned", horizon: horizon, pqlScore: thresholds.pqlScore, salesReadyScore: thresholds.salesReadyScore)
        let yaml = try learned.yaml(over: try ProjectFiles.readText(path: world.files[3]), file: "signalbox.yaml", header: [])
        let shipped = CompiledModel(try ConfigLoader.load(yaml: yaml, file: "learned.yaml"))
        let history = try TrainingSnapshots(store: store, model: shipped, companies: engine.companies)
            .backtestHistory(from: Self.end.addingTimeInterval(-45 * Self.day), to: Self.end, outcomes: outcomes)
        let tuning = ThresholdTuning(history: history, horizon: horizon, targetPrecision: 0.3, pqlRate: 0.05...0.15)
        let chosen = try XCTUnwrap(tuning.options.first { $0.salesReady == tuning.salesReady }, "a threshold reaches 30% precision")
        XCTAssertGreaterThanOrEqual(chosen.precision ?? 0, 0.25)
        XCTAssertGreaterThanOrEqual(chosen.recall ?? 0, 0.6)
        XCTAssertGreaterThanOrEqual(chosen.medianLeadDays ?? 0, 14)
    }
}
