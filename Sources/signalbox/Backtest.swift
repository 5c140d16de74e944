import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline

/// `signalbox backtest`: replay history day by day with a model and measure its flags.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay history day by day with a model and measure precision, recall, lead time and PQL rate.",
        discussion: """
            Every day from --from to --to the model scores every account on the events up to that day, \
            as it would have run. Precision: sales-ready accounts that converted within the horizon of \
            their first flag. Recall: converters in the period that were sales-ready before converting. \
            Time to flag: days from first sales-ready to conversion. PQL rate: new signups in the period \
            that reached PQL or sales-ready. --tune sweeps the stage thresholds (gates and fast lane as \
            configured) and recommends those meeting --target-precision and --pql-rate. Outcomes come \
            from `signalbox outcomes import`.
            """
    )

    @Option(help: "First day (ISO 8601).")
    var from: String

    @Option(help: "Last day (ISO 8601).")
    var to: String

    @Option(help: "The model to test (a signalbox.yaml, e.g. one `signalbox train --out` wrote). Default: --config.")
    var model: String?

    @Option(help: "How far after a flag a conversion counts (e.g. 30d).")
    var horizon: String = "30d"

    @Flag(help: "Recommend stage thresholds that meet the targets, with the trade-off table.")
    var tune = false

    @Option(help: "With --tune: precision the sales-ready threshold must reach.")
    var targetPrecision = 0.3

    @Option(help: "With --tune: the band of new signups that should become PQLs, in percent (e.g. 5-15).")
    var pqlRate = "5-15"

    @Option(help: "table or json.")
    var format: ReportFormat = .table

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard let start = Timestamp.parse(from) else { throw ValidationError("--from \"\(from)\" is not a date; use e.g. 2026-09-01") }
        guard let end = Timestamp.parse(to) else { throw ValidationError("--to \"\(to)\" is not a date; use e.g. 2026-12-01") }
        guard end > start else { throw ValidationError("--to must be after --from") }
        guard end.timeIntervalSince(start) <= 731 * 86_400 else { throw ValidationError("--from to --to may span at most two years") }
        guard DurationText.seconds(horizon) != nil else { throw ValidationError("--horizon \"\(horizon)\" is not a duration such as 30d") }
        guard targetPrecision > 0, targetPrecision < 1 else { throw ValidationError("--target-precision must be between 0 and 1, e.g. 0.3") }
        guard pqlBand != nil else { throw ValidationError("--pql-rate \"\(pqlRate)\" is not a percent range such as 5-15") }
    }

    /// `--pql-rate` as fractions.
    private var pqlBand: ClosedRange<Double>? {
        let parts = pqlRate.replacingOccurrences(of: "%", with: "").split(separator: "-").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] >= 0, parts[0] <= parts[1], parts[1] <= 100 else { return nil }
        return parts[0] / 100...parts[1] / 100
    }

    func run() throws {
        let window = DurationText.seconds(horizon)!
        let (config, run) = try project.openScoringRun()
        let tested = try model.map { path in try reportingFailures { try ProjectFiles.loadConfig(path: path) } } ?? config
        if tune, case .matrix = tested.stages {
            throw fail("--tune sweeps score thresholds; \(model ?? project.config) stages by a tier matrix, so edit its cells instead", code: 64)
        }
        let outcomes = try reportingFailures { try run.store.learningOutcomes(config: config, engine: run.engine) }
        guard outcomes.contains(where: { $0.convertedAt != nil }) else { throw fail(ProjectFiles.noOutcomes, code: 65) }
        let replay = TrainingSnapshots(store: run.store, model: CompiledModel(tested), companies: run.engine.companies)
        let terminal = isatty(STDERR_FILENO) != 0
        let history = try reportingFailures {
            try replay.backtestHistory(from: Timestamp.parse(from)!, to: Timestamp.parse(to)!, outcomes: outcomes) { day, days in
                if terminal { FileHandle.standardError.write(Data("\rday \(day) of \(days)".utf8)) }
            }
        }
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let report = Backtest.evaluate(history, horizon: window)
        let tuning = tune ? ThresholdTuning(history: history, horizon: window, targetPrecision: targetPrecision, pqlRate: pqlBand!) : nil
        var current: (pql: Double, salesReady: Double)?
        if case .thresholds(let pql, let ready) = tested.stages { current = (pql.minimumScore, ready.minimumScore) }
        switch format {
        case .table:
            print(BacktestReportText.render(report, model: tested.name, tuning: tuning, current: current), terminator: "")
        case .json:
            print(try ReportJSON.encode(BacktestOutput(
                model: tested.name, report: report, precision: report.precision, recall: report.recall, pqlRate: report.pqlRate, tuning: tuning
            )), terminator: "")
        }
    }
}

/// `backtest --format json`: the report with its derived rates, and the tuning when asked for.
private struct BacktestOutput: Encodable {
    var model: String
    var report: BacktestReport
    var precision: Double?
    var recall: Double?
    var pqlRate: Double?
    var tuning: ThresholdTuning?
}
