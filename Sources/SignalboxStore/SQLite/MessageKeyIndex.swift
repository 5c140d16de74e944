import Foundation
import GRDB
import SignalboxCore

/// Dedupe on `(source, messageId)` in two levels, so neither imports nor live ingest pay for the
/// other's shape:
///
/// - **rows** (`message_keys`, ``MessageKeyTable``): one B-tree row per key. Small appends, such as
///   live requests, add their keys here: one insert per event.
/// - **runs** (`message_key_runs`, ``MessageKeyRuns``): runs of keys per bucket. The first append of
///   at least ``bulkThreshold`` events in a transaction moves every row into runs, and from then on
///   the transaction dedupes against the runs in memory and writes its keys as runs.
///
/// A small append must also look in the runs. It asks a Bloom filter of them first (under 0.5% false
/// positives) and reads the key's bucket only when the filter says maybe. The filter lives across
/// transactions and is rebuilt when `message_key_runs_version` moves, which every bulk write does,
/// in this process or another.
struct MessageKeyIndex {
    /// Events in one append that make its transaction a bulk one.
    let bulkThreshold: Int
    private var runs = MessageKeyRuns()
    /// Whether this transaction moved the rows into runs and dedupes against the runs.
    private var bulk = false
    private var filter: RunsFilter?

    init(bulkThreshold: Int) {
        self.bulkThreshold = bulkThreshold
    }

    /// Records the keys of `events` and removes the events seen before from `source`, keeping the
    /// rest in order (the first copy of a repeat stays).
    mutating func keepNew(_ events: inout [Event], source: String, in db: Database) throws {
        guard !events.isEmpty else { return }
        if !bulk, events.count >= bulkThreshold {
            try MessageKeyRuns.fold(in: db)
            bulk = true
        }
        if bulk {
            // Each key's slot is announced a few keys ahead, so the cache misses of the probes overlap.
            let keys = events.indices.map { index in
                events.prefetch(after: index)
                return MessageKeyTable.Key(source: source, event: events[index])
            }
            // New events move down over the repeats before them, in place and through a buffer
            // pointer, whose swaps move events without retaining them: a batch with a repeat is not
            // copied, and none of its events is retained again.
            let kept = try events.withUnsafeMutableBufferPointer { buffer in
                var kept = 0
                for index in buffer.indices {
                    let ahead = index + Event.prefetchDistance
                    guard try runs.insertIfNew(keys[index], announcing: ahead < keys.count ? keys[ahead] : nil, in: db) else { continue }
                    if kept != index { buffer.swapAt(kept, index) }
                    kept += 1
                }
                return kept
            }
            events.removeLast(events.count - kept)
            return
        }
        let filter = try currentFilter(in: db)
        var inRows: [Event] = []
        for event in events {
            let key = MessageKeyTable.Key(source: source, event: event)
            if filter.mayContain(key), try MessageKeyRuns.contains(key, in: db) { continue }
            inRows.append(event)
        }
        events = try EventBatchTable.newEvents(inRows, source: source, in: db)
    }

    /// Writes the keys a bulk transaction added so far as runs; more may be added after.
    mutating func writeAdded(in db: Database) throws {
        guard bulk else { return }
        try runs.write(in: db)
    }

    /// Writes what the transaction added to the runs, before it commits.
    mutating func finish(in db: Database) throws {
        guard bulk else { return }
        try writeAdded(in: db)
        try db.execute(sql: "UPDATE message_key_runs_version SET version = version + 1")
    }

    /// Forgets the transaction's state once it committed or rolled back.
    mutating func reset() {
        // A bulk transaction that committed moved the version; one that rolled back left the runs as
        // the filter knows them. Either way the filter checks the version before it is used again.
        // Only a bulk transaction touched the runs' state, so small ones leave it as it is.
        if bulk { runs.reset() }
        bulk = false
    }

    /// Builds the filter of the runs now, unless it is current.
    mutating func prepareFilter(in db: Database) throws {
        _ = try currentFilter(in: db)
    }

    private mutating func currentFilter(in db: Database) throws -> RunsFilter {
        let version = try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM message_key_runs_version")) ?? 0
        if let filter, filter.version == version { return filter }
        var rebuilt = RunsFilter(version: version, keys: try MessageKeyRuns.storedCount(in: db))
        try MessageKeyRuns.forEachStored(in: db) { rebuilt.insert($0) }
        filter = rebuilt
        return rebuilt
    }
}

/// A Bloom filter of the keys in runs: at least 12 bits and 7 probes a key, under 0.5% false
/// positives, never a false negative. Probes come from the key's two hashes (double hashing).
private struct RunsFilter {
    let version: Int
    private var bits: [UInt64]
    private let mask: UInt64

    init(version: Int, keys: Int) {
        self.version = version
        var size = 1 << 12
        while size < keys * 12 { size <<= 1 }
        bits = [UInt64](repeating: 0, count: size / 64)
        mask = UInt64(size - 1)
    }

    mutating func insert(_ key: MessageKeyTable.Key) {
        for probe in 0..<Self.probes {
            let bit = self.bit(probe, of: key)
            bits[Int(bit >> 6)] |= 1 << (bit & 63)
        }
    }

    func mayContain(_ key: MessageKeyTable.Key) -> Bool {
        for probe in 0..<Self.probes {
            let bit = self.bit(probe, of: key)
            if bits[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    private static let probes: UInt64 = 7

    private func bit(_ probe: UInt64, of key: MessageKeyTable.Key) -> UInt64 {
        (UInt64(bitPattern: key.check) &+ probe &* (UInt64(bitPattern: key.slot) | 1)) & mask
    }
}
