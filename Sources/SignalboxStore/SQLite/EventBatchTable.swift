import Foundation
import GRDB
import SignalboxCore

/// Stored events: each append is one row holding its new events as ``EventRecords``, with the
/// time range they cover so replays up to a moment can skip later batches.
enum EventBatchTable {
    /// Keeps the events of `events` not seen before from `source` and returns them, in order.
    static func append(_ events: [Event], source: String, in db: Database) throws -> [Event] {
        guard !events.isEmpty else { return [] }
        let keys = events.map { MessageKeyTable.Key(source: source, messageId: $0.messageId) }
        // Inserting keys in order keeps the index's pages hot; ties keep input order, so the first copy wins.
        let order = keys.indices.sorted { (keys[$0].slot, $0) < (keys[$1].slot, $1) }
        let table = try MessageKeyTable(db)
        var isNew = [Bool](repeating: false, count: events.count)
        for index in order { isNew[index] = try table.insertIfNew(keys[index]) }
        let fresh = isNew.allSatisfy { $0 } ? events : events.indices.filter { isNew[$0] }.map { events[$0] }
        guard let first = fresh.first else { return [] }
        let times = fresh.lazy.map(\.timestamp.timeIntervalSince1970)
        try db.execute(
            sql: "INSERT INTO event_batches (source, count, first_ts, last_ts, records) VALUES (?, ?, ?, ?, ?)",
            arguments: [source, fresh.count, times.min() ?? first.timestamp.timeIntervalSince1970,
                        times.max() ?? first.timestamp.timeIntervalSince1970, Data(Deflate.compress(EventRecords.encode(fresh)))]
        )
        return fresh
    }

    /// Every stored event up to `until` (all when nil), in stored order.
    static func forEach(until: Date?, in db: Database, _ body: (Event) throws -> Void) throws {
        let limit = until?.timeIntervalSince1970 ?? .greatestFiniteMagnitude
        let cursor = try Row.fetchCursor(db, sql: "SELECT records FROM event_batches WHERE first_ts <= ? ORDER BY id", arguments: [limit])
        // Up to two batches decode ahead of the one being delivered.
        var decoding: [BatchDecoding] = []
        func deliver(_ batch: BatchDecoding) throws {
            for event in try batch.events() where event.timestamp.timeIntervalSince1970 <= limit { try body(event) }
        }
        while let row = try cursor.next() {
            decoding.append(BatchDecoding([UInt8](row["records"] as Data)))
            if decoding.count > 2 { try deliver(decoding.removeFirst()) }
        }
        for batch in decoding { try deliver(batch) }
    }
}
