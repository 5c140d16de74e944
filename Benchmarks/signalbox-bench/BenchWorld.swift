import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxPipeline
import SignalboxStore

/// A new scratch directory for one benchmark run, named after it and this process.
func scratchDirectory(_ name: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-\(name)-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory
}

/// A demo world written into `directory` as `events.ndjson` and `companies.csv`.
struct BenchWorld {
    let summary: DemoWorldSummary
    let eventsPath: String
    let companiesPath: String
    /// Seconds spent generating and writing it.
    let generationSeconds: Double

    init(_ options: DemoWorld.Options, in directory: String) throws {
        eventsPath = directory + "/events.ndjson"
        companiesPath = directory + "/companies.csv"
        var summary: DemoWorldSummary!
        let path = eventsPath
        generationSeconds = try seconds {
            let writer = try BufferedFileWriter(path: path)
            summary = DemoWorld.generate(options) { writer.write($0) }
            try writer.close()
        }
        self.summary = summary
        try summary.companiesCSV.write(toFile: companiesPath, atomically: true, encoding: .utf8)
        // The world is written back to disk now, untimed, instead of by the kernel during the
        // measurements after it (a gigabyte of dirty pages for 15,000 workspaces).
        sync()
    }

    /// The world imported into a new store at `path` with `model`, and every account scored at
    /// `scoreAsOf` when given, as `signalbox import` does: the real `ImportJob`, timed.
    func importInto(_ path: String, model: CompiledModel, scoreAsOf: Date? = nil) throws -> (job: ImportJob, summary: ImportSummary, seconds: Double) {
        let store = try SQLiteStore(path: path)
        var engine = try store.loadEngine(model: model)
        _ = try ProjectFiles.importFirmographics(path: companiesPath, store: store, engine: &engine)
        var job = ImportJob(store: store, engine: engine)
        job.scoreAsOf = scoreAsOf
        var summary = ImportSummary()
        let time = try seconds { summary = try job.run(path: eventsPath) }
        return (job, summary, time)
    }
}
