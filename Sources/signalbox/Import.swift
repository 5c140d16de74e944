import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxPipeline

/// `signalbox import`: loads event history (and firmographics) into the store.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import Segment-format events from NDJSON (a file, .gz, or - for stdin).",
        discussion: """
            Bad lines go to a rejects file with their line number and reason; the import goes on unless --strict. \
            The summary ends with how many accounts are in each stage as of --as-of (default: now); `signalbox score` lists them.
            """
    )

    @Argument(help: "NDJSON events: a path, a .gz path, or - for standard input.")
    var events: String

    @Option(help: "Firmographics CSV keyed by domain.")
    var firmographics: String?

    @Option(help: "Dedupe scope: a message id counts once per source.")
    var source: String = "default"

    @Option(help: "Where rejected lines go (default: EVENTS.rejects.ndjson, or signalbox-rejects.ndjson for stdin).")
    var rejects: String?

    @Flag(help: "Abort at the first bad message and commit nothing.")
    var strict = false

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if events != "-", !FileManager.default.fileExists(atPath: events) {
            throw fail("\(events): not found", code: 66)
        }
    }

    func run() throws {
        let config = try project.loadConfig()
        let store = try project.openStore(config: config)
        try reportingFailures {
            var engine = try store.loadEngine(model: CompiledModel(config))
            if let firmographics {
                let count = try ProjectFiles.importFirmographics(path: firmographics, store: store, engine: &engine)
                print("Firmographics: \(count) companies from \(firmographics)")
            }
            let rejectsPath = rejects ?? (events == "-" ? "signalbox-rejects.ndjson" : events + ".rejects.ndjson")
            var job = ImportJob(store: store, engine: engine, source: source, strict: strict, rejectsPath: rejectsPath)
            job.scoreAsOf = try asOf.resolve()
            let started = Date()
            let terminal = isatty(STDERR_FILENO) != 0
            let summary = try job.run(path: events) { progress in
                guard terminal else { return }
                FileHandle.standardError.write(Data("\rRead \(progress.lines) lines, imported \(progress.imported)…".utf8))
            }
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(ImportText(summary: summary, seconds: Date().timeIntervalSince(started)).text)
        }
    }
}
