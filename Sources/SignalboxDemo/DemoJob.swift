import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore

/// `signalbox demo` end to end: write a synthetic PLG world to a folder, import it, score it, and
/// check the scores against the world's known conversions.
public struct DemoJob {
    public var directory: String
    public var options: DemoWorld.Options
    public var preset: Preset

    public init(directory: String, options: DemoWorld.Options, preset: Preset = .weighted) {
        self.directory = directory
        self.options = options
        self.preset = preset
    }

    /// What the demo produced.
    public struct Result {
        public var files: [String]
        public var events: Int
        public var companies: Int
        public var importSummary: ImportSummary
        public var importSeconds: Double
        public var scores: [ScoredAccount]
        public var conversion: StageConversion
        public var world: DemoWorldSummary
        /// What routing would do with the world right now (a dry run: nothing recorded).
        public var routing: RoutingPlan
    }

    public var eventsPath: String { directory + "/events.ndjson" }
    public var configPath: String { directory + "/signalbox.yaml" }
    public var databasePath: String { directory + "/signalbox.sqlite" }

    /// Runs the demo; the world is rebuilt from scratch each time, so the result depends only on the options.
    public func run(now clock: () -> Date = Date.init) throws -> Result {
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] { try? files.removeItem(atPath: databasePath + suffix) }

        let writer = try BufferedFileWriter(path: eventsPath)
        let world = DemoWorld.generate(options) { line in writer.write(line) }
        try writer.close()
        try world.companiesCSV.write(toFile: directory + "/companies.csv", atomically: true, encoding: .utf8)
        try world.outcomesCSV.write(toFile: directory + "/outcomes.csv", atomically: true, encoding: .utf8)
        try preset.yaml.write(toFile: configPath, atomically: true, encoding: .utf8)

        let config = try ProjectFiles.loadConfig(path: configPath)
        let store = try SQLiteStore(path: databasePath)
        var engine = try store.loadEngine(model: CompiledModel(config))
        let companies = try ProjectFiles.importFirmographics(path: directory + "/companies.csv", store: store, engine: &engine)
        let started = clock()
        var job = ImportJob(store: store, engine: engine, rejectsPath: eventsPath + ".rejects.ndjson")
        let summary = try job.run(path: eventsPath)
        let importSeconds = clock().timeIntervalSince(started)

        // Weekly snapshots before the end give every account a score history, so trends show.
        let run = ScoringRun(store: store, engine: job.engine)
        for weeksBack in [2.0, 1.0] {
            _ = try run.scoreAll(asOf: options.end.addingTimeInterval(-weeksBack * 7 * 86_400), record: true)
        }
        let scores = try run.scoreAll(asOf: options.end, record: true)
        let outcomes = OutcomeResolver.resolve(try OutcomesFile.parse(world.outcomesCSV, file: directory + "/outcomes.csv"), engine: job.engine).outcomes
        let conversion = StageConversion(scores: scores.map(\.score), outcomes: outcomes, horizon: 30 * 86_400)
        let routing = try RoutingRun(scoring: run).plan(scores.map(\.score), engine: job.engine)
        return Result(
            files: [eventsPath, directory + "/companies.csv", directory + "/outcomes.csv", configPath, databasePath],
            events: world.events, companies: companies, importSummary: summary, importSeconds: importSeconds,
            scores: scores, conversion: conversion, world: world, routing: routing
        )
    }
}
