import Foundation
import GRDB
import SignalboxCore
@testable import SignalboxStore
import XCTest

/// Runs the store conformance suite against SQLite files in a temporary directory.
final class SQLiteStoreTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var conformance: SignalStoreConformance {
        SignalStoreConformance { [directory] in try SQLiteStore(path: directory!.appendingPathComponent("\(UUID().uuidString).sqlite").path) }
    }

    /// The same suite where every append dedupes in bulk (``MessageKeyIndex``'s runs).
    private var bulkConformance: SignalStoreConformance {
        SignalStoreConformance { [directory] in
            try SQLiteStore(path: directory!.appendingPathComponent("\(UUID().uuidString).sqlite").path, durability: .application, bulkAppendThreshold: 1)
        }
    }

    func testBulkAppendsKeepOneCopyPerSourceAndMessageId() throws { try bulkConformance.appendKeepsOneCopyPerSourceAndMessageId() }
    func testBulkAppendsInsideOneTransactionAreAllKeptInOrder() throws { try bulkConformance.appendsInsideOneTransactionAreAllKeptInOrder() }
    func testFailedBulkTransactionKeepsNothing() throws { try bulkConformance.failedTransactionKeepsNothing() }
    func testBulkAppendsReplayInStoredOrder() throws { try bulkConformance.eventsReplayInStoredOrderUpToAMoment() }
    func testBulkAppendsFinishedEarlyStayInTheirTransaction() throws { try bulkConformance.appendsFinishedEarlyStayInTheirTransaction() }

    func testAppendKeepsOneCopyPerSourceAndMessageId() throws { try conformance.appendKeepsOneCopyPerSourceAndMessageId() }
    func testEventsReplayInStoredOrderUpToAMoment() throws { try conformance.eventsReplayInStoredOrderUpToAMoment() }
    func testEngineRoundTripsThroughTheStore() throws { try conformance.engineRoundTripsThroughTheStore() }
    func testIdentitySavedInStepsReloadsWhole() throws { try conformance.identitySavedInStepsReloadsWhole() }
    func testChangedModelRebuildsStateFromStoredEvents() throws { try conformance.changedModelRebuildsStateFromStoredEvents() }
    func testAppendsInsideOneTransactionAreAllKeptInOrder() throws { try conformance.appendsInsideOneTransactionAreAllKeptInOrder() }
    func testFailedTransactionKeepsNothing() throws { try conformance.failedTransactionKeepsNothing() }
    func testAppendsFinishedEarlyStayInTheirTransaction() throws { try conformance.appendsFinishedEarlyStayInTheirTransaction() }
    func testScoresHistoryCompaniesAndRejectsPersist() throws { try conformance.scoresHistoryCompaniesAndRejectsPersist() }
    func testStagesTransitionsAndLatestScoresPersist() throws { try conformance.stagesTransitionsAndLatestScoresPersist() }
    func testRecentEventsComeNewestFirst() throws { try conformance.recentEventsComeNewestFirst() }
    func testRoutingDecisionsAndTheLedgerPersist() throws { try conformance.routingDecisionsAndTheLedgerPersist() }
    func testOutcomesAreKeptOnceAndTheirACVUpdated() throws { try conformance.outcomesAreKeptOnceAndTheirACVUpdated() }

    func testReopeningAnExistingDatabaseKeepsItsData() throws {
        let path = directory.appendingPathComponent("reopen.sqlite").path
        _ = try SQLiteStore(path: path).appendEvents([SignalStoreConformance.event("a")], source: "web")
        XCTAssertEqual(try SQLiteStore(path: path).statistics().events, 1)
    }

    func testDatabaseRunsInWALMode() throws {
        let path = directory.appendingPathComponent("wal.sqlite").path
        _ = try SQLiteStore(path: path)
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    func testDatabaseFromSchemaV1KeepsItsEventsAndTheirDedupe() throws {
        let path = directory.appendingPathComponent("v1.sqlite").path
        let v1 = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(v1, upTo: "v1")
        try v1.write { db in
            try db.execute(sql: """
                INSERT INTO events (key, source, message_id, type, user_id, group_id, name, ts, properties)
                VALUES (1, 'web', 'm1', 'track', 'u1', 'ws1', 'Project Created', 1793404800, '{"n":1}'),
                       (2, 'web', 'm2', 'group', 'u1', 'ws1', NULL, 1793404801, NULL)
                """)
        }
        try v1.close()
        let store = try SQLiteStore(path: path)
        var events: [Event] = []
        try store.forEachEvent(until: nil) { events.append($0) }
        XCTAssertEqual(events.map(\.messageId), ["m1", "m2"])
        XCTAssertEqual(events[0].properties["n"], 1)
        XCTAssertEqual(events[0].groupId, "ws1")
        XCTAssertEqual(events[1].type, .group)
        XCTAssertEqual(try store.appendEvents([SignalStoreConformance.event("m1")], source: "web").count, 0, "moved events still dedupe")
        XCTAssertEqual(try store.statistics().events, 2)
    }

    func testIdentityBlobOfSchemaV3MovesIntoRows() throws {
        var engine = Engine(model: SignalStoreConformance.model)
        engine.ingest([
            Event(messageId: "i1", type: .identify, userId: "u1", anonymousId: "anon-1", traits: ["email": "ada@acme.com"],
                  timestamp: SignalStoreConformance.start),
            SignalStoreConformance.event("g", type: .group), SignalStoreConformance.event("p"),
        ])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let path = directory.appendingPathComponent("v3.sqlite").path
        let v3 = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(v3, upTo: "v3")
        try v3.write { db in
            for (key, value) in [
                ("identity", try encoder.encode(engine.identity)), ("parked", try encoder.encode(engine.parked)),
                ("fingerprint", Data(SignalStoreConformance.model.stateFingerprint.utf8)),
            ] {
                try db.execute(sql: "INSERT INTO engine_meta (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            for (workspace, state) in engine.states {
                try db.execute(sql: "INSERT INTO workspace_states (workspace_id, state) VALUES (?, ?)", arguments: [workspace, try encoder.encode(state)])
            }
        }
        try v3.close()
        let store = try SQLiteStore(path: path)
        XCTAssertEqual(try store.loadEngine(model: SignalStoreConformance.model).identity, engine.identity)
        let blob = try DatabaseQueue(path: path).read { try Data.fetchOne($0, sql: "SELECT value FROM engine_meta WHERE key = 'identity'") }
        XCTAssertNil(blob, "the blob is gone once its rows are written")
    }

    func testMessageKeysAreTheStoredFormatsHashes() {
        // FNV-1a of source, 0xFF, message id; and FNV-1a (other basis) of message id, 0xFF, source
        // through MurmurHash3's finalizer. Stores written by any version hold these numbers.
        let cases: [(String, String, Int64, Int64)] = [
            ("web", "m1", 8_284_248_600_977_422_492, 1_267_794_694_549_437_050),
            ("default", "827d51c5-d3e7-7c30-c056-a8a4d8aa37e9", -3_319_313_344_808_065_324, 4_877_530_849_834_131_901),
            ("web", "é-ü", 4_545_912_724_946_477_854, -2_081_467_179_346_633_923),
        ]
        for (source, messageId, slot, check) in cases {
            let event = SignalStoreConformance.event(messageId)
            XCTAssertEqual(MessageKeyTable.Key(source: source, event: event), MessageKeyTable.Key(slot: slot, check: check), messageId)
        }
    }

    func testDecodedAndBuiltEventsOfOneMessageDedupe() throws {
        let line = #"{"type":"track","event":"Project Created","userId":"u1","messageId":"m-7","timestamp":"2026-11-02T10:00:00Z"}"#
        let decoded = try EventDecoder().decode(line: Array(line.utf8))[0].get()
        XCTAssertEqual(MessageKeyTable.Key(source: "web", event: decoded), MessageKeyTable.Key(source: "web", event: SignalStoreConformance.event("m-7")))
        for threshold in [1, 10_000] {
            let store = try SQLiteStore(
                path: directory.appendingPathComponent("mixed-\(threshold).sqlite").path, durability: .application, bulkAppendThreshold: threshold
            )
            XCTAssertEqual(try store.appendEvents([decoded], source: "web").count, 1)
            XCTAssertEqual(try store.appendEvents([SignalStoreConformance.event("m-7")], source: "web").count, 0, "bulk threshold \(threshold)")
        }
    }

    func testRowInsertsKeepEmptyValuesApartFromNull() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("rows.sqlite").path)
        let rows = try store.write { db -> [Row] in
            try db.execute(sql: "CREATE TABLE probe (name TEXT, value)")
            let insert = try RowInsert(sql: "INSERT INTO probe (name, value) VALUES (?, ?)", in: db)
            try insert.run("", "")
            try insert.run("none", nil)
            try insert.run("blob", [])
            try insert.run("bytes", [1, 2])
            try insert.run("é", "ü")
            return try Row.fetchAll(db, sql: "SELECT name, value, typeof(value) FROM probe ORDER BY rowid")
        }
        XCTAssertEqual(rows.map { $0[0] as String }, ["", "none", "blob", "bytes", "é"])
        XCTAssertEqual(rows.map { $0[2] as String }, ["text", "null", "blob", "blob", "text"])
        XCTAssertEqual(rows[0][1] as String, "")
        XCTAssertEqual(rows[2][1] as Data, Data())
        XCTAssertEqual(rows[3][1] as Data, Data([1, 2]))
        XCTAssertEqual(rows[4][1] as String, "ü")
    }

    func testMessagesWhoseFirstHashCollidesAreBothKept() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("collide.sqlite").path)
        let keys = [
            MessageKeyTable.Key(slot: 7, check: 1), MessageKeyTable.Key(slot: 7, check: 2),
            MessageKeyTable.Key(slot: 7, check: 1), MessageKeyTable.Key(slot: 8, check: 3),
        ]
        let (rows, runs) = try store.write { db in
            let table = try MessageKeyTable(db)
            var runs = MessageKeyRuns()
            return (try keys.map(table.insertIfNew), try keys.map { try runs.insertIfNew($0, in: db) })
        }
        XCTAssertEqual(rows, [true, true, false, true], "rows: same slot, other message: kept in the next slot; same message: a duplicate")
        XCTAssertEqual(runs, [true, true, false, true], "runs: the same")
    }

    func testKeyRunsOfManyWritesMergeAndStillDedupe() throws {
        let path = directory.appendingPathComponent("runs.sqlite").path
        let store = try SQLiteStore(path: path)
        // Every key lands in bucket 0 (the check's top bits are zero); each write adds one run.
        let rounds = MessageKeyRuns.runsBeforeMerge * 2 + 3
        for round in 0..<rounds {
            let fresh = try store.write { db in
                var keys = MessageKeyRuns()
                let added = try (0...round).map { try keys.insertIfNew(MessageKeyRuns.Key(slot: Int64($0), check: 0), in: db) }
                try keys.write(in: db)
                return added
            }
            XCTAssertEqual(fresh, (0...round).map { $0 == round }, "round \(round): only the newest key is new")
        }
        let runs = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_key_runs WHERE bucket = 0") ?? 0
        }
        XCTAssertLessThanOrEqual(runs, MessageKeyRuns.runsBeforeMerge, "runs are merged before they pile up")
        XCTAssertGreaterThan(runs, 0)
    }

    func testKeysWrittenAndDroppedMidTransactionStillDedupe() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("bounded.sqlite").path)
        let keys = (0..<3_000).map { MessageKeyRuns.Key(source: "web", event: SignalStoreConformance.event("m\($0)")) }
        let (first, second) = try store.write { db in
            // Small bounds: runs are written every 100 keys and everything held is dropped past 500.
            var runs = MessageKeyRuns(addedBeforeWrite: 100, heldKeysLimit: 500)
            let first = try keys.map { try runs.insertIfNew($0, in: db) }
            let second = try keys.map { try runs.insertIfNew($0, in: db) }
            try runs.write(in: db)
            return (first, second)
        }
        XCTAssertEqual(first.filter { $0 }.count, 3_000, "every key is new once")
        XCTAssertEqual(second.filter { $0 }.count, 0, "and a repeat after its bucket was dropped and read again")
        let again = try store.write { db in
            var runs = MessageKeyRuns()
            return try keys.filter { try runs.insertIfNew($0, in: db) }.count
        }
        XCTAssertEqual(again, 0)
    }

    func testAppendsAloneKeepTheirKeysAcrossWrites() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("alone.sqlite").path)
        XCTAssertEqual(try store.appendEvents([SignalStoreConformance.event("a"), SignalStoreConformance.event("b")], source: "web").count, 2)
        XCTAssertEqual(try store.appendEvents([SignalStoreConformance.event("b"), SignalStoreConformance.event("c")], source: "web").map(\.messageId), ["c"])
        XCTAssertEqual(try store.appendEvents([SignalStoreConformance.event("a")], source: "api").count, 1, "keys are per source")
        let reopened = try SQLiteStore(path: directory.appendingPathComponent("alone.sqlite").path)
        XCTAssertEqual(try reopened.appendEvents([SignalStoreConformance.event("c")], source: "web").count, 0)
    }

    func testBulkAndSmallAppendsDedupeAgainstEachOther() throws {
        let path = directory.appendingPathComponent("levels.sqlite").path
        func events(_ ids: String...) -> [Event] { ids.map { SignalStoreConformance.event($0) } }
        func fresh(_ store: SQLiteStore, _ batch: [Event]) throws -> [String] { try store.appendEvents(batch, source: "web").map(\.messageId) }
        let store = try SQLiteStore(path: path, durability: .application, bulkAppendThreshold: 3)
        XCTAssertEqual(try fresh(store, events("a", "b", "c")), ["a", "b", "c"], "bulk: into runs")
        XCTAssertEqual(try fresh(store, events("a", "d")), ["d"], "small: a is found in the runs, d goes into rows")
        XCTAssertEqual(try fresh(store, events("d", "e", "f")), ["e", "f"], "bulk: the rows move into runs first, so d is a repeat")
        let reopened = try SQLiteStore(path: path, durability: .application, bulkAppendThreshold: 3)
        XCTAssertEqual(try fresh(reopened, events("e", "a", "g")), ["g"], "bulk again, after a reopen")
        XCTAssertEqual(try fresh(reopened, events("f")), [], "small, with a filter built from the stored runs")
        XCTAssertEqual(try fresh(reopened, events("h")), ["h"])
        let (rows, runKeys) = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_keys") ?? 0, try MessageKeyRuns.storedCount(in: db))
        }
        XCTAssertEqual(rows, 1, "h, appended alone after the last bulk append")
        XCTAssertEqual(runKeys, 7)
        XCTAssertThrowsError(try reopened.transaction {
            _ = try reopened.appendEvents(events("x", "y", "z"), source: "web")
            throw TransactionAborted()
        })
        XCTAssertEqual(try fresh(reopened, events("x")), ["x"], "a rolled-back bulk append keeps no keys")
        XCTAssertEqual(try reopened.statistics().events, 9)
    }

    func testABulkAppendRemovesRepeatsInPlaceKeepingOrderAndLeavesTheCallersCopyAlone() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("in-place.sqlite").path, durability: .application, bulkAppendThreshold: 3)
        XCTAssertEqual(try store.appendEvents(["a", "b"].map { SignalStoreConformance.event($0) }, source: "web").count, 2)
        let ids = ["a", "c", "d", "c", "b", "e", "a", "f"]
        // The two copies of `c` differ in name, so which one is kept shows.
        let batch = ids.enumerated().map { SignalStoreConformance.event($1, "Event \($0)") }
        let fresh = try store.appendEvents(batch, source: "web")
        XCTAssertEqual(fresh.map(\.messageId), ["c", "d", "e", "f"], "stored repeats and a later copy of one in the batch go; the rest keep their order")
        XCTAssertEqual(fresh.map(\.name), ["Event 1", "Event 2", "Event 5", "Event 7"], "the first copy of a repeat stays")
        XCTAssertEqual(batch.map(\.messageId), ids, "a batch the caller still holds is not rearranged")
    }

    func testAFilterSeesAnotherStoresBulkAppend() throws {
        let path = directory.appendingPathComponent("shared.sqlite").path
        let live = try SQLiteStore(path: path, durability: .application, bulkAppendThreshold: 3)
        XCTAssertEqual(try live.appendEvents([SignalStoreConformance.event("first")], source: "web").count, 1, "builds the filter of (no) runs")
        let importer = try SQLiteStore(path: path, durability: .application, bulkAppendThreshold: 3)
        XCTAssertEqual(try importer.appendEvents(["p", "q", "r"].map { SignalStoreConformance.event($0) }, source: "web").count, 3)
        XCTAssertEqual(try live.appendEvents([SignalStoreConformance.event("q")], source: "web").count, 0, "the runs moved on: the filter is rebuilt")
        XCTAssertEqual(try live.appendEvents([SignalStoreConformance.event("first")], source: "web").count, 0, "folded into the runs by the bulk append")
        XCTAssertEqual(try live.appendEvents([SignalStoreConformance.event("second")], source: "web").count, 1)
        XCTAssertEqual(try importer.appendEvents(Array(repeating: SignalStoreConformance.event("second"), count: 3), source: "web").count, 0)
        XCTAssertEqual(try live.appendEvents([SignalStoreConformance.event("second")], source: "web").count, 0, "a bulk append of repeats still moves the version")
    }

    func testPreparingLiveAppendsReadsTheRunsUpFront() throws {
        let path = directory.appendingPathComponent("prepare.sqlite").path
        let importer = try SQLiteStore(path: path, durability: .application, bulkAppendThreshold: 3)
        XCTAssertEqual(try importer.appendEvents(["a", "b", "c"].map { SignalStoreConformance.event($0) }, source: "web").count, 3)
        let live = try SQLiteStore(path: path)
        try live.prepareLiveAppends()
        // Damage every run: a filter built up front no longer needs them for keys it knows are absent.
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "UPDATE message_key_runs SET keys = x'010203'") }
        XCTAssertEqual(try live.appendEvents([SignalStoreConformance.event("new")], source: "web").count, 1)
        XCTAssertThrowsError(try SQLiteStore(path: path).prepareLiveAppends(), "a store preparing now reads the damaged runs")
    }

    func testADamagedKeyRunIsReportedNotIgnored() throws {
        let path = directory.appendingPathComponent("damaged.sqlite").path
        let store = try SQLiteStore(path: path)
        let key = MessageKeyRuns.Key(source: "web", event: SignalStoreConformance.event("a"))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO message_key_runs (bucket, keys) VALUES (?, ?)", arguments: [key.bucket, Data([1, 2, 3])])
        }
        XCTAssertThrowsError(try store.appendEvents([SignalStoreConformance.event("a")], source: "web")) { error in
            XCTAssertTrue("\(error)".contains("not a multiple of 16"), "\(error)")
        }
        XCTAssertEqual(try store.statistics().events, 0)
    }

    func testCompressedBatchesRoundTripAcrossFramesAndRefuseTruncation() throws {
        XCTAssertNotNil(Zstd.system, "the zstd library loads on this machine")
        let bytes = (0..<(BatchCompression.frameSize * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }
        for codec in [BatchCodec.zlib, .zstd] {
            let compressed = BatchCompression.compress(bytes, codec: codec)
            XCTAssertLessThan(compressed.count, bytes.count / 2, "\(codec)")
            XCTAssertEqual(try BatchCompression.decompress(compressed, codec: codec), bytes, "\(codec)")
            XCTAssertThrowsError(try BatchCompression.decompress(Array(compressed.dropLast(3)), codec: codec)) { error in
                XCTAssertTrue(error is StoreCorruption, "\(codec): \(error)")
            }
            let other: BatchCodec = codec == .zlib ? .zstd : .zlib
            XCTAssertThrowsError(try BatchCompression.decompress(compressed, codec: other), "\(codec) read as \(other)")
        }
    }

    func testBatchesOfEitherCodecReplayFromOneStore() throws {
        let path = directory.appendingPathComponent("codecs.sqlite").path
        let store = try SQLiteStore(path: path)
        try store.write { db in
            let old = [SignalStoreConformance.event("z1"), SignalStoreConformance.event("z2")]
            try PendingBatch(old, source: "web", codec: .zlib).insert(in: db)
        }
        _ = try store.appendEvents([SignalStoreConformance.event("s1")], source: "web")
        let codecs = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT codec FROM event_batches ORDER BY id") }
        XCTAssertEqual(codecs, ["zlib", "zstd"])
        var replayed: [String] = []
        try store.forEachEvent(until: nil) { replayed.append($0.messageId) }
        XCTAssertEqual(replayed, ["z1", "z2", "s1"])
    }
}
