import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline

/// `signalbox train`: learn what precedes conversions and measure it on held-out time.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a conversion model on history and compare it with the current one on held-out time.",
        discussion: """
            Every open, non-excluded account is snapshotted weekly before --as-of (history replayed up to \
            each snapshot, so no feature reads a later event); the label is a conversion within the \
            horizon after it. The older snapshots train an L2 logistic regression on the signals' \
            measured quantities and the fit rules; the most recent validate it beside the current model. \
            Outcomes come from `signalbox outcomes import` or POST /api/outcomes.
            """
    )

    @Option(help: "How far ahead a conversion counts (e.g. 30d).")
    var horizon: String = "30d"

    @OptionGroup var asOf: AsOfOption

    @Option(help: "Weekly snapshot times.")
    var snapshots = 8

    @Option(help: "L2 penalty on the standardised weights.")
    var l2 = 0.01

    @Option(help: "What a positive label is: conversion (imported outcomes and outcomes.conversion_event), or accepted (also handoffs reps accepted).")
    var label: LabelSource = .conversion

    @Option(help: "Write the training matrix to this CSV, to check the fit in another tool.")
    var exportFeatures: String?

    @Option(help: "Write the report as JSON to this file.")
    var report: String?

    @Option(help: "Write the learned model as a complete config to this file (use it with --config).")
    var out: String?

    @Option(help: "Half-lives tried for each decaying signal, comma-separated (e.g. 7d,14d,30d,60d), or none to keep the configured ones.")
    var halfLives = "7d,14d,30d,60d"

    @Option(help: "Precision the recommended sales-ready threshold must reach on validation.")
    var targetPrecision = 0.3

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard DurationText.seconds(horizon) != nil else { throw ValidationError("--horizon \"\(horizon)\" is not a duration such as 30d") }
        guard (2...104).contains(snapshots) else { throw ValidationError("--snapshots must be from 2 to 104") }
        guard l2 > 0 else { throw ValidationError("--l2 must be greater than 0") }
        guard targetPrecision > 0, targetPrecision < 1 else { throw ValidationError("--target-precision must be between 0 and 1, e.g. 0.3") }
        guard grid != nil else { throw ValidationError("--half-lives \"\(halfLives)\" is not a list of durations such as 7d,14d,30d, or none") }
    }

    /// `--half-lives` in seconds; empty for none.
    private var grid: [TimeInterval]? {
        if halfLives.lowercased() == "none" { return [] }
        let values = halfLives.split(separator: ",").map { DurationText.seconds(String($0)) }
        return values.contains(nil) || values.isEmpty ? nil : values.compactMap { $0 }
    }

    func run() throws {
        let window = DurationText.seconds(horizon)!
        let end = try asOf.resolve()
        let (config, run) = try project.openScoringRun()
        let outcomes = try reportingFailures { try run.store.learningOutcomes(config: config, engine: run.engine, labels: label) }
        guard outcomes.contains(where: { $0.convertedAt != nil }) else { throw fail(ProjectFiles.noOutcomes, code: 65) }
        let times = TrainingSnapshots.weeklyTimes(asOf: end, horizon: window, count: snapshots)
        let builder = TrainingSnapshots(store: run.store, model: run.engine.model, companies: run.engine.companies)
        let trainer = Trainer(l2: l2)
        let (rows, chosenHalfLives) = try reportingFailures {
            let rows = try builder.rows(at: times, outcomes: outcomes, horizon: window)
            return try builder.rowsChoosingHalfLives(rows, at: times, outcomes: outcomes, horizon: window, grid: grid!, trainer: trainer)
        }
        let space = FeatureSpace(model: run.engine.model)
        let names = space.names
        if let exportFeatures {
            let cut = trainer.split(rows).validation.map(\.at).min()
            try reportingFailures { try TrainingReportText.featuresCSV(rows, names: names, validationFrom: cut).write(toFile: exportFeatures, atomically: true, encoding: .utf8) }
        }
        var result: (model: LearnedModel, report: TrainingReport)
        do {
            result = try trainer.train(rows, names: names, nonPositive: space.nonPositive, targetPrecision: targetPrecision)
        } catch {
            throw fail(error.description, code: 65)
        }
        result.report.halfLives = chosenHalfLives
        result.report.configuredHalfLives = Dictionary(uniqueKeysWithValues: config.signals.compactMap { signal in
            signal.halfLife.flatMap { chosenHalfLives[signal.id] == nil ? nil : (signal.id, $0) }
        })
        print(TrainingReportText.render(result.report), terminator: "")
        if let out {
            try write(result, space: space, rows: rows, config: config, horizon: window, to: out)
            print("\nWrote the learned model to \(out); try it with `signalbox backtest --model \(out)` or score with `--config \(out)`.")
        }
        if let report {
            try reportingFailures { try ReportJSON.encode(result.report).write(toFile: report, atomically: true, encoding: .utf8) }
        }
    }

    /// Writes the learned model as a config next to the current one and checks that it loads.
    private func write(
        _ result: (model: LearnedModel, report: TrainingReport), space: FeatureSpace, rows: [TrainingRow], config: ModelConfig,
        horizon window: TimeInterval, to path: String
    ) throws {
        guard let thresholds = result.report.thresholds else {
            throw fail("no account converted in the validation period, so no stage thresholds can be recommended; train with a later --as-of or more --snapshots", code: 65)
        }
        let fit = space.carriedFitThresholds(of: config, rows: rows, model: result.model)
        let learned = space.config(
            result.model, name: config.name.hasSuffix("-learned") ? config.name : config.name + "-learned", horizon: window,
            halfLives: result.report.halfLives, fitTiers: fit.tiers, minimumFit: fit.minimumFit,
            pqlScore: thresholds.pqlScore, salesReadyScore: thresholds.salesReadyScore
        )
        let source = try reportingFailures { try ProjectFiles.readText(path: project.config) }
        let yaml = try reportingFailures {
            try learned.yaml(over: source, file: project.config, header: TrainingReportText.configHeader(result.report, horizon: horizon, source: project.config))
        }
        // What is written must load as is.
        _ = try reportingFailures { try ConfigLoader.load(yaml: yaml, file: path) }
        try reportingFailures { try yaml.write(toFile: path, atomically: true, encoding: .utf8) }
    }
}
