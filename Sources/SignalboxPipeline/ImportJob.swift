import Foundation
import SignalboxCore
import SignalboxStore

/// Bulk import of event history: read → decode → dedupe → resolve identity → update state, in one
/// transaction, through the same ``Engine`` live ingest uses. Decoding, storing and applying run
/// as overlapping stages: the next block decodes and the next chunk is stored while the engine
/// applies the chunk before.
///
/// ```swift
/// let summary = try ImportJob(store: store, engine: engine).run(path: "events.ndjson.gz")
/// ```
public struct ImportJob {
    public let store: any SignalStore
    public private(set) var engine: Engine
    /// Dedupe scope: a message id counts once per source.
    public var source: String
    /// Abort on the first bad message, keeping nothing.
    public var strict: Bool
    /// Where rejected lines are written; nil to skip the file.
    public var rejectsPath: String?
    /// Messages decoded before they are stored and handed to the engine together (a chunk takes
    /// whole runs of a block, so it may be somewhat larger).
    public var chunkSize: Int
    /// When set, every account is scored as of this moment once the events are in, while the store
    /// commits them: into ``scores`` and the summary's stage counts. Nothing is recorded in the
    /// score history.
    public var scoreAsOf: Date?
    /// Every account's score at ``scoreAsOf`` after ``run(path:progress:)``, best first; empty when
    /// no scores were asked for.
    public private(set) var scores: [AccountScore] = []

    /// Chunks stored and waiting for the engine before storing waits for it: about 400,000 events
    /// held, so a large import's memory stays bounded.
    static let chunksWaitingToApply = 16
    /// Blocks decoding ahead of the one being stored: while storing waits for the engine, the
    /// decoders still have these to work on, so both cores stay busy.
    static let blocksDecodedAhead = 6

    public init(store: any SignalStore, engine: Engine, source: String = "default", strict: Bool = false, rejectsPath: String? = nil, chunkSize: Int = 25_000) {
        self.store = store
        self.engine = engine
        self.source = source
        self.strict = strict
        self.rejectsPath = rejectsPath
        self.chunkSize = chunkSize
    }

    /// Imports `path` (`-` for standard input). `progress` is called every chunk with lines read so far.
    public mutating func run(path: String, progress: (ImportSummary) -> Void = { _ in }) throws -> ImportSummary {
        var summary = ImportSummary()
        var rejects: [RejectedMessage] = []
        var chunk: [Event] = []
        let applier = BackgroundEngine(engine, maximumWaiting: Self.chunksWaitingToApply)
        // The engine reads only the properties its signals use; storage keeps each message's own bytes.
        let decoder = EventDecoder(properties: engine.model.propertiesRead)
        let displayName = path == "-" ? "stdin" : path
        let rejectsFile = try rejectsPath.map(RejectsFile.init(path:))

        func flush() throws {
            // The store gets the chunk's only copy, so it removes repeats in place.
            let decoded = chunk
            let count = decoded.count
            chunk = []
            let fresh = try store.appendEvents(consume decoded, source: source)
            summary.imported += fresh.count
            summary.duplicates += count - fresh.count
            applier.ingest(fresh)
            progress(summary)
        }

        /// Applies a decoded block's results in line order.
        func process(_ decoding: ParallelDecoder) throws {
            let block = decoding.block
            summary.lines += block.lines.count
            for run in decoding.runs() {
                summary.messages += run.messages
                for (offset, rejection) in run.rejected {
                    summary.rejected[rejection.code.rawValue, default: 0] += 1
                    let lineNumber = block.firstLineNumber + offset
                    let location = "\(displayName):\(lineNumber)"
                    if strict { throw ImportError.rejected(location: location, rejection: rejection) }
                    let payload = String(decoding: block[offset], as: UTF8.self)
                    rejects.append(RejectedMessage(source: source, location: location, code: rejection.code.rawValue, message: rejection.message, payload: payload))
                    try rejectsFile?.write(line: lineNumber, rejection: rejection, payload: payload)
                }
                if chunk.isEmpty { chunk = run.events } else { chunk += run.events }
                if chunk.count >= chunkSize { try flush() }
            }
        }

        var applied = engine
        var scoring: (pass: ScoringPass, helper: BackgroundTask<Void, Never>)?
        do {
            try store.transaction {
                // Each block starts decoding as soon as it is read, while the blocks before it are
                // stored and applied.
                var ahead: [ParallelDecoder] = []
                try LineReader(path: path).forEachBlock { block in
                    ahead.append(ParallelDecoder(block, decoder: decoder))
                    if ahead.count > Self.blocksDecodedAhead { try process(ahead.removeFirst()) }
                }
                for decoding in ahead { try process(decoding) }
                try flush()
                try store.recordRejects(rejects)
                // The engine applies its last chunks and encodes the rows it saves while the store
                // writes its own share of the commit; only the engine's writes are left for after.
                let saving = BackgroundTask { () throws -> (Engine, EngineRows) in
                    var engine = applier.finish()
                    let rows = try EngineRows(engine, changes: engine.takeChanges())
                    return (engine, rows)
                }
                try store.finishAppends()
                let rows: EngineRows
                (applied, rows) = try saving.value()
                // Scoring needs only the finished engine: one thread starts on it while this one
                // writes the rows and commits, then joins in.
                if let scoreAsOf {
                    let pass = applied.scoringPass(asOf: scoreAsOf)
                    scoring = (pass, BackgroundTask { pass.work() })
                }
                try store.saveEngine(rows)
            }
        } catch {
            // Nothing was committed: keep the engine as stored, once nothing is applying events any more.
            _ = applier.finish()
            scoring?.pass.cancel()
            scoring?.helper.value()
            throw error
        }
        engine = applied
        if let scoreAsOf, let scoring {
            let run = ScoringRun(store: store, engine: engine)
            let replays = try run.replays(asOf: scoreAsOf)
            if replays { scoring.pass.cancel() } else { scoring.pass.work() }
            scoring.helper.value()
            scores = replays ? try run.engine(asOf: scoreAsOf).scoreAll(asOf: scoreAsOf) : scoring.pass.scores()
            summary.stages = Dictionary(scores.map { ($0.stage.rawValue, 1) }, uniquingKeysWith: +)
            summary.stagesAsOf = scoreAsOf
        }
        try rejectsFile?.close()
        summary.accounts = engine.accounts().count
        summary.rejectsPath = summary.rejectedTotal > 0 ? rejectsPath : nil
        return summary
    }
}

/// Why an import stopped.
public enum ImportError: Error, CustomStringConvertible {
    /// `--strict` and a message could not be used.
    case rejected(location: String, rejection: EventRejection)

    public var description: String {
        switch self {
        case .rejected(let location, let rejection):
            return "\(location): \(rejection.code.rawValue): \(rejection.message) (strict import: nothing was committed)"
        }
    }
}

/// What an import read and did.
public struct ImportSummary: Sendable, Equatable, Codable {
    public var lines = 0
    /// Messages read (a batch line holds several).
    public var messages = 0
    public var imported = 0
    public var duplicates = 0
    /// Rejected messages by reason code.
    public var rejected: [String: Int] = [:]
    /// Accounts known after the import.
    public var accounts = 0
    /// Accounts by stage (`sales_ready`, `pql`, …) when the import scored them, and as of when.
    public var stages: [String: Int] = [:]
    public var stagesAsOf: Date?
    public var rejectsPath: String?

    public init() {}

    public var rejectedTotal: Int { rejected.values.reduce(0, +) }
}

/// The NDJSON file of rejected lines: line number, reason and the original payload.
final class RejectsFile {
    private let handle: FileHandle
    private var written = false
    let path: String

    init(path: String) throws {
        self.path = path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw FileError(file: path, line: nil, message: "cannot be opened for writing")
        }
        self.handle = handle
    }

    func write(line: Int, rejection: EventRejection, payload: String) throws {
        let record = JSONValue.object([
            "line": .number(Double(line)), "code": .string(rejection.code.rawValue),
            "message": .string(rejection.message), "payload": .string(payload),
        ])
        try handle.write(contentsOf: Data((record.serialized() + "\n").utf8))
        written = true
    }

    func close() throws {
        try handle.close()
        if !written { try? FileManager.default.removeItem(atPath: path) }
    }
}
