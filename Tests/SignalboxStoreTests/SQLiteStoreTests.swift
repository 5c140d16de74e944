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

    func testAppendKeepsOneCopyPerSourceAndMessageId() throws { try conformance.appendKeepsOneCopyPerSourceAndMessageId() }
    func testEventsReplayInStoredOrderUpToAMoment() throws { try conformance.eventsReplayInStoredOrderUpToAMoment() }
    func testEngineRoundTripsThroughTheStore() throws { try conformance.engineRoundTripsThroughTheStore() }
    func testIdentitySavedInStepsReloadsWhole() throws { try conformance.identitySavedInStepsReloadsWhole() }
    func testChangedModelRebuildsStateFromStoredEvents() throws { try conformance.changedModelRebuildsStateFromStoredEvents() }
    func testAppendsInsideOneTransactionAreAllKeptInOrder() throws { try conformance.appendsInsideOneTransactionAreAllKeptInOrder() }
    func testFailedTransactionKeepsNothing() throws { try conformance.failedTransactionKeepsNothing() }
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

    func testMessagesWhoseFirstHashCollidesAreBothKept() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("collide.sqlite").path)
        let fresh = try store.write { db in
            let table = try MessageKeyTable(db)
            return try [
                MessageKeyTable.Key(slot: 7, check: 1), MessageKeyTable.Key(slot: 7, check: 2),
                MessageKeyTable.Key(slot: 7, check: 1), MessageKeyTable.Key(slot: 8, check: 3),
            ].map(table.insertIfNew)
        }
        XCTAssertEqual(fresh, [true, true, false, true], "same slot, other message: kept in the next slot; same message: a duplicate")
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
            try PendingBatch(try EventBatchTable.newEvents(old, source: "web", in: db), source: "web", codec: .zlib).insert(in: db)
        }
        _ = try store.appendEvents([SignalStoreConformance.event("s1")], source: "web")
        let codecs = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT codec FROM event_batches ORDER BY id") }
        XCTAssertEqual(codecs, ["zlib", "zstd"])
        var replayed: [String] = []
        try store.forEachEvent(until: nil) { replayed.append($0.messageId) }
        XCTAssertEqual(replayed, ["z1", "z2", "s1"])
    }
}
