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
    func testChangedModelRebuildsStateFromStoredEvents() throws { try conformance.changedModelRebuildsStateFromStoredEvents() }
    func testFailedTransactionKeepsNothing() throws { try conformance.failedTransactionKeepsNothing() }
    func testScoresHistoryCompaniesAndRejectsPersist() throws { try conformance.scoresHistoryCompaniesAndRejectsPersist() }

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
}
