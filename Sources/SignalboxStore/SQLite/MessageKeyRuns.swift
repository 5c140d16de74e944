import CPrefetch
import Foundation
import GRDB
import SignalboxCore

/// The bulk level of the dedupe index (see ``MessageKeyIndex``): keys kept as runs per bucket (the
/// top 14 bits of the well-mixed second hash) in `message_key_runs`. A run is read whole into a hash
/// set, so the keys in it are in no particular order.
///
/// A bulk transaction reads each bucket it touches once into an in-memory hash set, checks and adds
/// keys there, and writes the keys it added as one new run per bucket. So an import costs a bucket
/// read and a bucket write per 16,384 buckets, not a B-tree insert per event. A bucket whose runs
/// pile up is merged back into one run when it is written.
///
/// Memory is bounded: added keys are written every ``addedBeforeWrite``, and past
/// ``heldKeysLimit`` keys held the buckets are dropped and read again when next touched.
struct MessageKeyRuns {
    typealias Key = MessageKeyTable.Key

    static let bucketBits = 14
    /// Runs a bucket may have before a write merges them into one.
    static let runsBeforeMerge = 8
    /// Keys added before they are written as runs without waiting for the commit (about 64 a
    /// bucket), so a large import holds 16 MiB of them at most.
    let addedBeforeWrite: Int
    /// Keys held in memory (read and added) before the added ones are written and all are dropped:
    /// up to 48 bytes each in the hash set while it grows, so at most 384 MiB.
    let heldKeysLimit: Int

    /// Every key read or added since the last reset.
    private var held = KeySet()
    /// Per bucket: nil until read, then the number of runs it has stored.
    private var runs = [Int?](repeating: nil, count: 1 << MessageKeyRuns.bucketBits)
    /// Keys added since the last write, in the order they came.
    private var added: [Key] = []

    init(addedBeforeWrite: Int = 1 << 20, heldKeysLimit: Int = 8 << 20) {
        self.addedBeforeWrite = addedBeforeWrite
        self.heldKeysLimit = heldKeysLimit
    }

    /// Records `key`; false when the same message was recorded before, stored or earlier in this
    /// transaction.
    mutating func insertIfNew(_ key: Key, in db: Database) throws -> Bool {
        let bucket = key.bucket
        if runs[bucket] == nil {
            if held.count > heldKeysLimit {
                try write(in: db)
                reset()
            }
            let stored = try Self.read(bucket: bucket, in: db)
            for run in stored { for key in run { _ = held.insert(key) } }
            runs[bucket] = stored.count
        }
        guard held.insert(key) else { return false }
        added.append(key)
        if added.count >= addedBeforeWrite { try write(in: db) }
        return true
    }

    /// Records `key` as ``insertIfNew(_:in:)`` does, after hinting that `next` is probed soon (it
    /// may be in a bucket not read yet; then the hint is wasted). One mutating call does both, so a
    /// loop over many keys never copies the runs (and retains their tables) just to hint.
    mutating func insertIfNew(_ key: Key, announcing next: Key?, in db: Database) throws -> Bool {
        if let next { held.prefetch(next) }
        return try insertIfNew(key, in: db)
    }

    /// Writes the keys added since the last write: one new run per bucket, or one merged run in
    /// place of a bucket's runs when it has ``runsBeforeMerge``.
    mutating func write(in db: Database) throws {
        guard !added.isEmpty else { return }
        let insert = try db.cachedStatement(sql: "INSERT INTO message_key_runs (bucket, keys) VALUES (?, ?)")
        for (bucket, keys) in Self.byBucket(added) {
            let count = runs[bucket] ?? 0
            if count + 1 > Self.runsBeforeMerge {
                let merged = try Self.read(bucket: bucket, in: db).joined() + keys
                try db.cachedStatement(sql: "DELETE FROM message_key_runs WHERE bucket = ?").execute(arguments: [bucket])
                try insert.execute(arguments: [bucket, Self.blob(merged)])
                runs[bucket] = 1
            } else {
                try insert.execute(arguments: [bucket, Self.blob(keys)])
                runs[bucket] = count + 1
            }
        }
        added = []
    }

    /// Forgets every bucket read: after a commit or a rollback, the stored runs are the truth.
    mutating func reset() {
        held = KeySet()
        runs = [Int?](repeating: nil, count: 1 << Self.bucketBits)
        added = []
    }

    /// Moves every key of the row level (`message_keys`) into runs, one more run per bucket, and
    /// empties it. Ordered by `check_hash`, each bucket's keys arrive together.
    static func fold(in db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO message_key_runs (bucket, keys) VALUES (?, ?)")
        var current: [Key] = []
        func flush() throws {
            guard let first = current.first else { return }
            try insert.execute(arguments: [first.bucket, blob(current)])
            current.removeAll(keepingCapacity: true)
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT slot, check_hash FROM message_keys ORDER BY check_hash")
        while let row = try rows.next() {
            let key = Key(slot: row[0], check: row[1])
            if let last = current.last, last.bucket != key.bucket { try flush() }
            current.append(key)
        }
        try flush()
        try db.execute(sql: "DELETE FROM message_keys")
    }

    /// Whether the runs hold `key`: reads its bucket.
    static func contains(_ key: Key, in db: Database) throws -> Bool {
        try read(bucket: key.bucket, in: db).contains { run in run.contains(key) }
    }

    /// Calls `body` with every key of every run, in no particular order.
    static func forEachStored(in db: Database, _ body: (Key) -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT bucket, keys FROM message_key_runs")
        while let row = try rows.next() {
            for key in try keys(of: row[1], bucket: row[0]) { body(key) }
        }
    }

    /// Keys stored in runs, from their byte lengths.
    static func storedCount(in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(length(keys)), 0) / 16 FROM message_key_runs") ?? 0
    }

    /// `keys` grouped by bucket, in bucket order (a counting sort by bucket).
    private static func byBucket(_ keys: [Key]) -> [(Int, ArraySlice<Key>)] {
        var starts = [Int](repeating: 0, count: (1 << bucketBits) + 1)
        for key in keys { starts[key.bucket + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var next = starts
        var grouped = keys
        for key in keys {
            grouped[next[key.bucket]] = key
            next[key.bucket] += 1
        }
        return (0..<(1 << bucketBits)).filter { starts[$0] < starts[$0 + 1] }.map { ($0, grouped[starts[$0]..<starts[$0 + 1]]) }
    }

    /// The stored runs of a bucket.
    private static func read(bucket: Int, in db: Database) throws -> [[Key]] {
        let select = try db.cachedStatement(sql: "SELECT keys FROM message_key_runs WHERE bucket = ?")
        return try Data.fetchAll(select, arguments: [bucket]).map { try keys(of: $0, bucket: bucket) }
    }

    /// The keys of one run's blob.
    private static func keys(of blob: Data, bucket: Int) throws -> [Key] {
        guard blob.count % 16 == 0 else {
            throw StoreCorruption("a run of message keys in bucket \(bucket) is \(blob.count) bytes, not a multiple of 16")
        }
        return blob.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count, by: 16).map { offset in
                Key(slot: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)),
                    check: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self)))
            }
        }
    }

    /// Keys as a run: 16 bytes each, slot then check, little-endian.
    private static func blob(_ keys: some Collection<Key>) -> Data {
        var bytes = [UInt8](repeating: 0, count: keys.count * 16)
        bytes.withUnsafeMutableBytes { buffer in
            for (index, key) in keys.enumerated() {
                buffer.storeBytes(of: key.slot.littleEndian, toByteOffset: index * 16, as: Int64.self)
                buffer.storeBytes(of: key.check.littleEndian, toByteOffset: index * 16 + 8, as: Int64.self)
            }
        }
        return Data(bytes)
    }
}

/// An open-addressing hash set of keys: one probe, usually one cache line, per lookup. `check` is
/// already well mixed, so its low bits are the index. An all-zero slot is empty; the all-zero key
/// itself is remembered apart.
private struct KeySet {
    private static let empty = MessageKeyRuns.Key(slot: 0, check: 0)
    private var slots = [MessageKeyRuns.Key](repeating: KeySet.empty, count: 1 << 10)
    private var hasEmptyKey = false
    private(set) var count = 0

    /// Adds `key`; false when it was already there.
    mutating func insert(_ key: MessageKeyRuns.Key) -> Bool {
        if key == Self.empty {
            defer { hasEmptyKey = true }
            if !hasEmptyKey { count += 1 }
            return !hasEmptyKey
        }
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key.check) & mask
        while slots[index] != Self.empty {
            if slots[index] == key { return false }
            index = (index + 1) & mask
        }
        slots[index] = key
        count += 1
        return true
    }

    /// Starts loading the slot where a probe for `key` begins into the cache.
    func prefetch(_ key: MessageKeyRuns.Key) {
        slots.withUnsafeBufferPointer { buffer in
            signalbox_prefetch(buffer.baseAddress! + (Int(truncatingIfNeeded: key.check) & (buffer.count - 1)))
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [MessageKeyRuns.Key](repeating: Self.empty, count: old.count * 2)
        count = hasEmptyKey ? 1 : 0
        for key in old where key != Self.empty { _ = insert(key) }
    }
}

extension MessageKeyTable.Key {
    /// The bucket of runs the key is stored in: `check` went through a finalizer, so its top bits
    /// spread evenly even over ids that differ only at the end (`slot` is plain FNV-1a).
    var bucket: Int { Int(UInt64(bitPattern: check) >> UInt64(64 - MessageKeyRuns.bucketBits)) }
}
