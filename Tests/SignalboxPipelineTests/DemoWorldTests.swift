import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// The demo world end to end: generated, imported into SQLite, scored, and checked against what the
/// world really is.
final class DemoWorldTests: XCTestCase {
    private static let end = Timestamp.parse("2026-11-01T00:00:00Z")!
    private var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-demo-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func runDemo(workspaces: Int = 800, seed: UInt64 = 7) throws -> DemoJob.Result {
        var options = DemoWorld.Options(end: Self.end)
        options.workspaces = workspaces
        options.seed = seed
        return try DemoJob(directory: directory, options: options).run()
    }

    func testSalesReadyAccountsConvertAtSeveralTimesTheBaseRate() throws {
        let result = try runDemo()
        let ready = try XCTUnwrap(result.conversion.rows.first { $0.stage == .salesReady })
        XCTAssertGreaterThan(ready.accounts, 20)
        XCTAssertGreaterThanOrEqual(result.conversion.lift(.salesReady), 3, "sales-ready converts at \(ready.rate), base \(result.conversion.baseRate)")
        XCTAssertEqual(result.importSummary.rejectedTotal, 0)
        XCTAssertGreaterThan(result.importSummary.duplicates, 0)
    }

    func testAccountsThatMustNeverReachSalesAreNeverSalesReady() throws {
        let result = try runDemo()
        let archetypes = Dictionary(uniqueKeysWithValues: result.world.accounts.map { ($0.workspaceId, $0.archetype) })
        var checked = 0
        for scored in result.scores {
            guard let archetype = archetypes[scored.score.accountId] else { continue }
            if archetype.isNeverSalesReady || archetype == .heavyLoginNoValue {
                checked += 1
                XCTAssertNotEqual(scored.score.stage, .salesReady, "\(scored.score.accountId) is \(archetype): \(scored.score.stageReason)")
            }
            // Without a company domain (members on personal email only) nothing marks them; they still must not reach sales.
            if archetype.isNeverSalesReady, scored.score.domain != nil {
                XCTAssertEqual(scored.score.stage, .excluded, "\(scored.score.accountId) is \(archetype): \(scored.score.stageReason)")
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// Shuffled and applied in small chunks, so identity often arrives after the activity it explains.
    func testShuffledEventsInSmallChunksScoreTheSameAsTheOrderedStream() throws {
        let result = try runDemo(workspaces: 200)
        var lines = try String(contentsOfFile: result.files[0], encoding: .utf8).split(separator: "\n")
        var random = SystemRandomNumberGenerator()
        lines.shuffle(using: &random)
        let shuffledPath = directory + "/shuffled.ndjson"
        try lines.joined(separator: "\n").write(toFile: shuffledPath, atomically: true, encoding: .utf8)

        let config = try ProjectFiles.loadConfig(path: result.files[3])
        let store = try SQLiteStore(path: directory + "/shuffled.sqlite")
        var engine = try store.loadEngine(model: CompiledModel(config))
        _ = try ProjectFiles.importFirmographics(path: result.files[1], store: store, engine: &engine)
        var job = ImportJob(store: store, engine: engine, chunkSize: 2_000)
        _ = try job.run(path: shuffledPath)
        let shuffled = job.engine.scoreAll(asOf: Self.end)
        func visible(_ scores: [AccountScore]) -> [String] {
            scores.map { "\($0.accountId) \($0.stage) \($0.total) \($0.fit ?? -1) \($0.value) \($0.intent)" }.sorted()
        }
        XCTAssertEqual(visible(shuffled), visible(result.scores.map(\.score)))
    }

    func testSameSeedBuildsTheSameWorld() {
        var options = DemoWorld.Options(end: Self.end)
        options.workspaces = 50
        var first: [String] = []
        var second: [String] = []
        let summary = DemoWorld.generate(options) { first.append($0) }
        _ = DemoWorld.generate(options) { second.append($0) }
        XCTAssertEqual(first, second)
        XCTAssertEqual(summary.events, first.count)
        options.seed = 43
        var third: [String] = []
        _ = DemoWorld.generate(options) { third.append($0) }
        XCTAssertNotEqual(first, third)
    }
}
