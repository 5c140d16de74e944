import Foundation
import GRDB
import SignalboxCore

/// Stored events: each append is one row (a ``PendingBatch``) holding its new events as
/// ``EventRecords``, with the time range they cover so replays up to a moment can skip later batches.
enum EventBatchTable {
    /// Records the message keys of `events` and returns the events not seen before from `source`,
    /// in order; the caller stores them as a ``PendingBatch``.
    static func newEvents(_ events: [Event], source: String, in db: Database) throws -> [Event] {
        guard !events.isEmpty else { return [] }
        let keys = events.map { MessageKeyTable.Key(source: source, event: $0) }
        // Inserting keys in order keeps the index's pages hot; ties keep input order, so the first copy wins.
        var order = keys.indices.map { InsertOrder(slot: keys[$0].slot, index: $0) }
        order.sort()
        let table = try MessageKeyTable(db)
        var isNew = [Bool](repeating: false, count: events.count)
        for entry in order { isNew[entry.index] = try table.insertIfNew(keys[entry.index]) }
        return isNew.allSatisfy { $0 } ? events : events.indices.filter { isNew[$0] }.map { events[$0] }
    }

    /// Every stored event up to `until` (all when nil), in stored order, with the `properties` selected.
    static func forEach(after: Date? = nil, until: Date?, properties: PropertySelection, in db: Database, _ body: (Event) throws -> Void) throws {
        let start = after?.timeIntervalSince1970 ?? -.greatestFiniteMagnitude
        let limit = until?.timeIntervalSince1970 ?? .greatestFiniteMagnitude
        // Only batches whose time range meets (after, until] are read.
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT codec, records FROM event_batches WHERE first_ts <= ? AND last_ts > ? ORDER BY id", arguments: [limit, start]
        )
        // Up to two batches decode ahead of the one being delivered.
        var decoding: [BatchDecoding] = []
        func deliver(_ batch: BatchDecoding) throws {
            for event in try batch.events() {
                let time = event.timestamp.timeIntervalSince1970
                if time > start, time <= limit { try body(event) }
            }
        }
        while let row = try cursor.next() {
            let codecName: String = row["codec"]
            guard let codec = BatchCodec(rawValue: codecName) else {
                throw StoreCorruption("a stored event batch names an unknown codec \"\(codecName)\"")
            }
            decoding.append(BatchDecoding([UInt8](row["records"] as Data), codec: codec, properties: properties))
            if decoding.count > 2 { try deliver(decoding.removeFirst()) }
        }
        for batch in decoding { try deliver(batch) }
    }

    /// Events decoded at most by ``recent(limit:in:matching:)``: recent events are in the last batches,
    /// and an imported batch can hold tens of thousands.
    static let recentEventsScanned = 100_000

    /// The newest stored events that `isWanted` accepts, newest first, from the last batches.
    static func recent(limit: Int, in db: Database, matching isWanted: (Event) -> Bool) throws -> [Event] {
        let rows = try Row.fetchCursor(db, sql: "SELECT codec, count, records FROM event_batches ORDER BY id DESC")
        var found: [Event] = []
        var scanned = 0
        while found.count < limit, scanned < recentEventsScanned, let row = try rows.next() {
            let codecName: String = row["codec"]
            guard let codec = BatchCodec(rawValue: codecName) else {
                throw StoreCorruption("a stored event batch names an unknown codec \"\(codecName)\"")
            }
            scanned += row["count"] as Int
            var batch: [Event] = []
            for event in try BatchDecoding([UInt8](row["records"] as Data), codec: codec, properties: .all).events() where isWanted(event) { batch.append(event) }
            found += batch.sorted { $0.timestamp > $1.timestamp }.prefix(limit - found.count)
        }
        return found
    }
}

/// Where a key goes in the order of inserts: by slot, then by position in the batch. Every entry
/// differs, so an unstable sort gives the one order.
private struct InsertOrder: Comparable {
    let slot: Int64
    let index: Int

    static func < (lhs: InsertOrder, rhs: InsertOrder) -> Bool {
        lhs.slot != rhs.slot ? lhs.slot < rhs.slot : lhs.index < rhs.index
    }
}
