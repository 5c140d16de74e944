import Foundation
import SignalboxCore
import SignalboxStore

/// Bulk import of event history: read → decode → dedupe → resolve identity → update state, in one
/// transaction, through the same ``Engine`` live ingest uses.
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
    /// Lines decoded together across cores.
    static let blockSize = 8_192
    /// Messages decoded before they are committed to the engine together.
    public var chunkSize: Int

    public init(store: any SignalStore, engine: Engine, source: String = "default", strict: Bool = false, rejectsPath: String? = nil, chunkSize: Int = 50_000) {
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
        var touched = Set<String>()
        let decoder = EventDecoder()
        let displayName = path == "-" ? "stdin" : path
        let rejectsFile = try rejectsPath.map(RejectsFile.init(path:))

        func flush() throws {
            let fresh = try store.appendEvents(chunk, source: source)
            summary.imported += fresh.count
            summary.duplicates += chunk.count - fresh.count
            touched.formUnion(engine.ingest(fresh))
            chunk.removeAll(keepingCapacity: true)
            progress(summary)
        }

        /// Decodes a block of lines on every core, then applies the results in line order.
        func process(_ block: [(number: Int, bytes: [UInt8])]) throws {
            let decoded = ParallelDecoder.decode(block.map(\.bytes), with: decoder)
            for (line, results) in zip(block, decoded) {
                for result in results {
                    summary.messages += 1
                    switch result {
                    case .success(let event):
                        chunk.append(event)
                    case .failure(let rejection):
                        summary.rejected[rejection.code.rawValue, default: 0] += 1
                        let location = "\(displayName):\(line.number)"
                        if strict { throw ImportError.rejected(location: location, rejection: rejection) }
                        let payload = String(decoding: line.bytes, as: UTF8.self)
                        rejects.append(RejectedMessage(source: source, location: location, code: rejection.code.rawValue, message: rejection.message, payload: payload))
                        try rejectsFile?.write(line: line.number, rejection: rejection, payload: payload)
                    }
                }
                if chunk.count >= chunkSize { try flush() }
            }
        }

        try store.transaction {
            var block: [(number: Int, bytes: [UInt8])] = []
            block.reserveCapacity(ImportJob.blockSize)
            try LineReader(path: path).forEachLine { lineNumber, bytes in
                summary.lines += 1
                guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return }
                block.append((lineNumber, Array(bytes)))
                if block.count == ImportJob.blockSize {
                    try process(block)
                    block.removeAll(keepingCapacity: true)
                }
            }
            try process(block)
            try flush()
            try store.recordRejects(rejects)
            try store.saveEngine(engine, workspaces: touched)
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
        FileManager.default.createFile(atPath: path, contents: nil)
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
