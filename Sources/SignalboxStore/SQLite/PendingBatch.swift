import Dispatch
import Foundation
import GRDB
import SignalboxCore

/// New events whose records compress in the background. Inside a transaction the row is inserted
/// when the next events are appended or the transaction commits, so compressing one chunk
/// overlaps with deduplicating and applying the next.
final class PendingBatch: @unchecked Sendable {
    private let source: String
    private let count: Int
    private let firstTime: Double
    private let lastTime: Double
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting on it.
    private var records: [UInt8] = []

    /// Starts encoding and compressing `events` (not empty) at once.
    init(_ events: [Event], source: String) {
        let times = events.map(\.timestamp.timeIntervalSince1970)
        self.source = source
        count = events.count
        firstTime = times.min() ?? 0
        lastTime = times.max() ?? 0
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            records = Deflate.compress(EventRecords.encode(events))
            done.signal()
        }
    }

    /// Inserts the batch's row once its records are compressed.
    func insert(in db: Database) throws {
        done.wait()
        done.signal()
        try db.execute(
            sql: "INSERT INTO event_batches (source, count, first_ts, last_ts, records) VALUES (?, ?, ?, ?, ?)",
            arguments: [source, count, firstTime, lastTime, Data(records)]
        )
    }
}
