import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore

/// Generates a demo world (untimed) and imports it, then times a 90-day backtest over all its
/// events, weekly training snapshots, and the fit on 100,000 accounts × 8 snapshots (the world's
/// real snapshot rows repeated until they cover that many accounts). Writes the real training
/// matrix and the validation AUC to `matrixPath` for the scikit-learn check in
/// `Benchmarks/learning.sh`.
func runLearningBenchmark(workspaces: Int, matrixPath: String?) throws {
    let directory = try scratchDirectory("learn")
    defer { try? FileManager.default.removeItem(atPath: directory) }

    let end = Timestamp.parse("2026-11-01T00:00:00Z")!
    var options = DemoWorld.Options(end: end)
    options.workspaces = workspaces
    options.days = 150
    let world = try BenchWorld(options, in: directory)
    let model = CompiledModel(try Preset.weighted.config())
    let (job, summary, importTime) = try world.importInto(directory + "/bench.sqlite", model: model)
    let store = job.store
    let outcomes = try OutcomesFile.parse(world.summary.outcomesCSV, file: "outcomes.csv")
    _ = try store.recordOutcomes(outcomes, source: "bench")
    print("world: \(workspaces) workspaces, \(options.days) days, \(summary.imported) events stored (import \(String(format: "%.1f", importTime)) s), \(outcomes.count) conversions")

    let horizon: TimeInterval = 30 * 86_400
    let replay = TrainingSnapshots(store: store, model: model, companies: job.engine.companies)
    var history: BacktestHistory!
    let replayTime = try seconds { history = try replay.backtestHistory(from: end.addingTimeInterval(-90 * 86_400), to: end, outcomes: outcomes) }
    var report: BacktestReport!
    let evaluateTime = seconds { report = Backtest.evaluate(history, horizon: horizon) }
    var tuning: ThresholdTuning!
    let tuneTime = seconds { tuning = ThresholdTuning(history: history, horizon: horizon, targetPrecision: 0.3, pqlRate: 0.05...0.15) }
    print(String(
        format: "backtest 90 days     %.2f s replay + %.2f s metrics (%d account-days); --tune %.2f s (%d thresholds)",
        replayTime, evaluateTime, history.observations.count, tuneTime, tuning.options.count + tuning.pqlOptions.count
    ))
    print(String(
        format: "  preset: precision %.1f%%, recall %.1f%%, median lead %.0f days",
        (report.precision ?? 0) * 100, (report.recall ?? 0) * 100, report.medianLeadDays ?? 0
    ))

    let times = TrainingSnapshots.weeklyTimes(asOf: end.addingTimeInterval(horizon), horizon: horizon, count: 8)
    var rows: [TrainingRow] = []
    let snapshotTime = try seconds {
        rows = try TrainingSnapshots(store: store, model: model, companies: job.engine.companies).rows(at: times, outcomes: outcomes, horizon: horizon)
    }
    let accounts = Set(rows.map(\.accountId)).count
    print(String(format: "snapshots            %.2f s for %d account snapshots (%d accounts × 8 weeks)", snapshotTime, rows.count, accounts))

    let space = FeatureSpace(model: model)
    let trainer = Trainer()
    let copies = max(1, Int((100_000 / Double(max(1, accounts))).rounded(.up)))
    let tiled = (0..<copies).flatMap { copy in rows.map { row in
        var tiledRow = row
        tiledRow.accountId = "\(row.accountId)#\(copy)"
        return tiledRow
    } }
    var tiledReport: TrainingReport!
    let fitTime = try seconds { tiledReport = try trainer.train(tiled, names: space.names, nonPositive: space.nonPositive).report }
    print(String(
        format: "train                %.2f s for %d rows (%d accounts × 8 weeks, %d features), validation AUC %.4f",
        fitTime, tiled.count, accounts * copies, space.names.count, tiledReport.challenger.auc ?? 0
    ))

    let real = try trainer.train(rows, names: space.names, nonPositive: space.nonPositive).report
    print(String(format: "  on the world's own rows: AUC %.4f learned vs %.4f preset", real.challenger.auc ?? 0, real.champion.auc ?? 0))
    if let matrixPath {
        let cut = trainer.split(rows).validation.map(\.at).min()
        try TrainingReportText.featuresCSV(rows, names: space.names, validationFrom: cut).write(toFile: matrixPath, atomically: true, encoding: .utf8)
        let dropped = real.dropped.joined(separator: ";")
        try "auc=\(real.challenger.auc ?? 0)\nl2=\(trainer.l2)\ndropped=\(dropped)\n".write(toFile: matrixPath + ".signalbox", atomically: true, encoding: .utf8)
        print("matrix               \(matrixPath)")
    }
    print(String(format: "peak memory          %.0f MiB", peakResidentMegabytes()))
}
