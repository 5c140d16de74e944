import Foundation
import SignalboxCore

/// Appends each handoff as one JSON line to a file: a dry run a person can read, or an audit trail.
public struct FileAdapter: DestinationAdapter {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func send(_ message: OutboxMessage) async -> DeliveryOutcome {
        var line = HandoffJSON.encode(message)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
            return .retry(after: nil, reason: "cannot create \(path)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return .retry(after: nil, reason: "cannot open \(path) for writing") }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
            return .delivered
        } catch {
            return .retry(after: nil, reason: "cannot write \(path): \(error)")
        }
    }
}
