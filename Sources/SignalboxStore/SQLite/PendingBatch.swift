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
    private let codec: BatchCodec
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting on it.
    private var records: [UInt8] = []
    /// The events' earliest and latest times, found by the same background pass that encodes them.
    private var times: ClosedRange<Double> = 0...0

    /// Starts encoding and compressing `events` (not empty) at once.
    init(_ events: [Event], source: String, codec: BatchCodec = .preferred) {
        self.source = source
        self.codec = codec
        count = events.count
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let encoded = EventRecords.encode(events)
            times = encoded.times ?? 0...0
            records = BatchCompression.compress(encoded.records, codec: codec)
            done.signal()
        }
    }

    /// Inserts the batch's row once its records are compressed.
    func insert(in db: Database) throws {
        done.wait()
        done.signal()
        // zlib is the column's default, so a zlib batch is written the way schema v2 wrote it.
        if codec == .zlib {
            try db.execute(
                sql: "INSERT INTO event_batches (source, count, first_ts, last_ts, records) VALUES (?, ?, ?, ?, ?)",
                arguments: [source, count, times.lowerBound, times.upperBound, Data(records)]
            )
        } else {
            try db.execute(
                sql: "INSERT INTO event_batches (source, count, first_ts, last_ts, codec, records) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [source, count, times.lowerBound, times.upperBound, codec.rawValue, Data(records)]
            )
        }
    }
}
