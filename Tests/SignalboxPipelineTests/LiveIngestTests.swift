import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxPipeline
import SignalboxStore
import XCTest

/// Live ingest and import are one pipeline: the demo world sent as concurrent 100-message requests
/// (committed in groups, in whatever order they arrive) scores exactly as the bulk import of it does.
final class LiveIngestTests: XCTestCase {
    private static let end = Timestamp.parse("2026-11-01T00:00:00Z")!
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-live-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testConcurrentRequestsScoreExactlyLikeTheImportOfTheSameEvents() async throws {
        var options = DemoWorld.Options(end: Self.end)
        options.workspaces = 150
        let demo = DemoJob(directory: directory, options: options)
        let imported = try demo.run()

        let config = try ProjectFiles.loadConfig(path: demo.configPath)
        let store = try SQLiteStore(path: directory + "/live.sqlite")
        var engine = try store.loadEngine(model: CompiledModel(config))
        _ = try ProjectFiles.importFirmographics(path: directory + "/companies.csv", store: store, engine: &engine)
        let live = try LiveIngest(store: store, engine: engine, clock: { Self.end })
        defer { live.close() }

        var requests: [[Event]] = [[]]
        let decoder = EventDecoder()
        try LineReader(path: demo.eventsPath).forEachLine { _, line in
            for case .success(let event) in decoder.decode(line: line) {
                if requests[requests.count - 1].count == 100 { requests.append([]) }
                requests[requests.count - 1].append(event)
            }
        }
        let receipts = try await withThrowingTaskGroup(of: IngestReceipt.self) { group in
            for request in requests.shuffled() {
                group.addTask { try await live.submit(IngestSubmission(events: request, source: "default")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(receipts.reduce(0) { $0 + $1.accepted }, imported.importSummary.imported)
        XCTAssertEqual(receipts.reduce(0) { $0 + $1.duplicates }, imported.importSummary.duplicates)

        // Reloaded from what was committed, as a restarted server would see it.
        let served = try SQLiteStore(path: directory + "/live.sqlite").loadEngine(model: CompiledModel(config)).scoreAll(asOf: Self.end)
        let expected = imported.scores.map(\.score)
        XCTAssertEqual(served.count, expected.count)
        let byAccount = Dictionary(uniqueKeysWithValues: served.map { ($0.accountId, $0) })
        for score in expected {
            let live = try XCTUnwrap(byAccount[score.accountId], score.accountId)
            XCTAssertEqual(live.stage, score.stage, score.accountId)
            XCTAssertEqual(live.total, score.total, accuracy: 1e-6, score.accountId)
        }
        // Live scoring recorded every account's stage after the requests landed (a read waits for it).
        _ = try await live.read { _, _ in 0 }
        XCTAssertEqual(Set(try store.currentStages().keys), Set(served.map(\.accountId)))
    }
}
