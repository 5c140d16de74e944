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

    func testDryRunRoutesAQueueARevOpsLeadWouldSignOff() throws {
        let result = try runDemo()
        let config = try ProjectFiles.loadConfig(path: directory + "/signalbox.yaml")
        let store = try SQLiteStore(path: directory + "/signalbox.sqlite")
        let run = RoutingRun(scoring: ScoringRun(store: store, engine: try store.loadEngine(model: CompiledModel(config))))
        let plan = try run.plan(asOf: Self.end)
        let archetypes = Dictionary(uniqueKeysWithValues: result.world.accounts.map { ($0.workspaceId, $0.archetype) })
        XCTAssertGreaterThan(plan.handoffs.count, 50)
        for handoff in plan.handoffs {
            let archetype = try XCTUnwrap(archetypes[handoff.accountId])
            let brief = try XCTUnwrap(handoff.brief)
            XCTAssertFalse(archetype.isNeverSalesReady, "\(handoff.accountId) is \(archetype) and was routed: \(handoff.reason)")
            if archetype == .expansionReady { XCTAssertEqual(handoff.motion, .expansion, "a paying customer goes to expansion: \(handoff.reason)") }
            if handoff.motion == .expansion { XCTAssertEqual(archetype, .expansionReady) }
            if let employees = brief.company?.employees, employees < 20 {
                XCTAssertEqual(handoff.motion, .selfServe, "\(handoff.accountId) has \(employees) employees: \(handoff.reason)")
            }
            if handoff.motion.isHuman { XCTAssertNotNil(handoff.owner, handoff.reason) }
            XCTAssertFalse(brief.reasons.isEmpty)
            XCTAssertNotNil(brief.play, "every handoff recommends a play")
        }
        XCTAssertTrue(Set(plan.handoffs.map(\.motion)).isSuperset(of: [.ae, .sdr, .expansion, .selfServe]))
        XCTAssertTrue(try store.routeDecisions(after: 0, account: nil, limit: 1).isEmpty, "a dry run records nothing")

        try run.commit(plan)
        XCTAssertEqual(try store.routeDecisions(after: 0, account: nil, limit: 10_000).map(\.decision), plan.decisions)
        let nextDay = try run.plan(asOf: Self.end.addingTimeInterval(86_400))
        let held = nextDay.decisions.filter { $0.outcome == .cooldown }
        XCTAssertGreaterThan(held.count, plan.handoffs.count / 2, "yesterday's handoffs are held back by their cooldown")
        for handoff in nextDay.handoffs {
            guard let before = plan.handoffs.first(where: { $0.routingKey == handoff.routingKey && $0.route == handoff.route }) else { continue }
            XCTAssertGreaterThan(handoff.stage, before.stage, "only a rise in stage re-routes inside the cooldown: \(handoff.reason)")
        }
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
        // Backtests and snapshots score without reasons: same numbers, same stages, same fast lane.
        let lean = job.engine.scoreAll(asOf: Self.end, explained: false)
        XCTAssertEqual(visible(lean), visible(shuffled))
        XCTAssertEqual(lean.filter(\.isFastLane).map(\.accountId).sorted(), shuffled.filter(\.isFastLane).map(\.accountId).sorted())
        XCTAssertTrue(lean.allSatisfy { $0.reasons.isEmpty })
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
