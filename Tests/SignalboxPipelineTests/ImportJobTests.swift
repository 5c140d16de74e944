import Foundation
import SignalboxCore
import SignalboxPipeline
import SignalboxStore
import XCTest

final class ImportJobTests: XCTestCase {
    private var directory: URL!
    private let model = CompiledModel(try! Preset.weighted.config())
    private let asOf = Timestamp.parse("2026-11-01T00:00:00Z")!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private let lines = [
        #"{"type":"identify","userId":"u1","anonymousId":"a1","messageId":"1","timestamp":"2026-10-20T10:00:00Z","traits":{"email":"jo@acme.com","title":"VP Engineering"}}"#,
        #"{"type":"group","userId":"u1","groupId":"ws1","messageId":"2","timestamp":"2026-10-20T10:00:01Z","traits":{"name":"Acme","domain":"acme.com"}}"#,
        #"{"type":"track","event":"Project Created","userId":"u1","messageId":"3","timestamp":"2026-10-25T10:00:00Z","context":{"groupId":"ws1"}}"#,
        #"{"type":"track","event":"Project Created","userId":"u1","messageId":"3","timestamp":"2026-10-25T10:00:00Z","context":{"groupId":"ws1"}}"#,
        #"{"type":"track","event":"Teammate Invited","userId":"u1","messageId":"4","timestamp":"2026-10-26T10:00:00+00:00"}"#,
        #"{"type":"track","userId":"u1","messageId":"5","timestamp":"2026-10-26T10:00:00Z"}"#,
        #"{this is not json"#,
        "",
        #"{"batch":[{"type":"page","name":"Pricing","anonymousId":"a1","messageId":"6","timestamp":"2026-10-27T10:00:00Z"},{"type":"track","event":"Contact Sales Requested","userId":"u1","messageId":"7","timestamp":"2026-10-30T10:00:00Z"}],"sentAt":"2026-10-30T10:00:00Z"}"#,
    ]

    private func write(_ lines: [String], to name: String) throws -> String {
        try lines.joined(separator: "\n").write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    private func runImport(_ file: String, store: SQLiteStore, strict: Bool = false) throws -> (ImportSummary, Engine) {
        var engine = try store.loadEngine(model: model)
        engine.companies["acme.com"] = Company(domain: "acme.com", name: "Acme", employees: 200, industry: "Software", country: "US")
        var job = ImportJob(store: store, engine: engine, strict: strict, rejectsPath: file + ".rejects.ndjson")
        let summary = try job.run(path: file)
        return (summary, job.engine)
    }

    func testImportCountsDuplicatesAndRejectsAndKeepsGoing() throws {
        let file = try write(lines, to: "events.ndjson")
        let store = try SQLiteStore(path: path("db.sqlite"))
        let (summary, engine) = try runImport(file, store: store)
        XCTAssertEqual(summary.lines, 9)
        XCTAssertEqual(summary.messages, 9)
        XCTAssertEqual(summary.imported, 6)
        XCTAssertEqual(summary.duplicates, 1)
        XCTAssertEqual(summary.rejected, ["missing_event_name": 1, "invalid_json": 1])
        XCTAssertEqual(summary.accounts, 1)

        let rejects = try String(contentsOfFile: file + ".rejects.ndjson", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rejects.count, 2)
        let first = try JSONParser.parse(String(rejects[0]))
        XCTAssertEqual(first["line"], 6)
        XCTAssertEqual(first["code"], "missing_event_name")
        XCTAssertEqual(first["payload"]?.stringValue, lines[5])
        XCTAssertEqual(try store.rejects(limit: 10).map(\.location), ["events.ndjson:7", "events.ndjson:6"].map { directory.appendingPathComponent($0).path })

        let score = try XCTUnwrap(engine.score(account: "ws1", asOf: asOf))
        XCTAssertEqual(score.stage, .salesReady, score.stageReason)
        XCTAssertTrue(score.stageReason.hasPrefix("Fast lane: Contact sales"), score.stageReason)
        XCTAssertEqual(score.contributions.first { $0.signal == "pricing_viewed" }?.rawCount, 1, "the anonymous pricing view belongs to u1")
    }

    func testImportScoresEveryAccountAsOfItsMomentAndReplaysForAnEarlierOne() throws {
        let file = try write(lines, to: "events.ndjson")
        let store = try SQLiteStore(path: path("db.sqlite"))
        var engine = try store.loadEngine(model: model)
        engine.companies["acme.com"] = Company(domain: "acme.com", name: "Acme", employees: 200, industry: "Software", country: "US")
        var job = ImportJob(store: store, engine: engine, rejectsPath: file + ".rejects.ndjson")
        job.scoreAsOf = asOf
        let summary = try job.run(path: file)
        XCTAssertEqual(job.scores, job.engine.scoreAll(asOf: asOf))
        XCTAssertEqual(job.scores.map(\.stage), [.salesReady])
        XCTAssertEqual(summary.stages, ["sales_ready": 1])
        XCTAssertEqual(summary.stagesAsOf, asOf)
        XCTAssertTrue(ImportText(summary: summary, seconds: 1).text.contains("Stages      sales_ready 1, pql 0, not_pql 0, excluded 0 (as of 2026-11-01T00:00:00.000Z)"))

        // Before the contact-sales request and the pricing view, the account is not yet sales-ready:
        // the import's scores come from history up to then, not from the engine that holds them.
        let before = Timestamp.parse("2026-10-26T12:00:00Z")!
        var again = ImportJob(store: store, engine: job.engine)
        again.scoreAsOf = before
        let rerun = try again.run(path: file)
        XCTAssertEqual(rerun.imported, 0)
        XCTAssertEqual(again.scores, try ScoringRun(store: store, engine: again.engine).engine(asOf: before).scoreAll(asOf: before))
        XCTAssertNotEqual(again.scores.first?.stage, .salesReady)
        XCTAssertNotEqual(again.scores, again.engine.scoreAll(asOf: before))
    }

    func testImportWithoutAnAsOfScoresNothing() throws {
        let file = try write(lines, to: "events.ndjson")
        let (summary, _) = try runImport(file, store: try SQLiteStore(path: path("db.sqlite")))
        XCTAssertEqual(summary.stages, [:])
        XCTAssertNil(summary.stagesAsOf)
        XCTAssertFalse(ImportText(summary: summary, seconds: 1).text.contains("Stages"))
    }

    func testReimportIsIdempotent() throws {
        let file = try write(lines, to: "events.ndjson")
        let store = try SQLiteStore(path: path("db.sqlite"))
        let (_, first) = try runImport(file, store: store)
        let (again, second) = try runImport(file, store: store)
        XCTAssertEqual(again.imported, 0)
        XCTAssertEqual(again.duplicates, 7)
        XCTAssertEqual(first.scoreAll(asOf: asOf), second.scoreAll(asOf: asOf))
        XCTAssertEqual(try store.statistics().events, 6)
    }

    func testStrictImportAbortsWithNothingCommitted() throws {
        let file = try write(lines, to: "events.ndjson")
        let store = try SQLiteStore(path: path("db.sqlite"))
        XCTAssertThrowsError(try runImport(file, store: store, strict: true)) { error in
            XCTAssertEqual(String(describing: error), "\(file):6: missing_event_name: $.event is required on a track call (strict import: nothing was committed)")
        }
        XCTAssertEqual(try store.statistics().events, 0)
        XCTAssertEqual(try store.statistics().workspaces, 0)
    }

    func testGzipImportMatchesPlainImport() throws {
        let plain = try write(lines, to: "events.ndjson")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(plain)' > '\(plain).gz'"]
        try gzip.run()
        gzip.waitUntilExit()
        let (plainSummary, plainEngine) = try runImport(plain, store: try SQLiteStore(path: path("a.sqlite")))
        let (gzipSummary, gzipEngine) = try runImport(plain + ".gz", store: try SQLiteStore(path: path("b.sqlite")))
        XCTAssertEqual(gzipSummary.imported, plainSummary.imported)
        XCTAssertEqual(gzipEngine.scoreAll(asOf: asOf), plainEngine.scoreAll(asOf: asOf))
    }

    func testTruncatedGzipIsAnError() throws {
        let gz = path("broken.ndjson.gz")
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x00]).write(to: URL(fileURLWithPath: gz))
        XCTAssertThrowsError(try runImport(gz, store: try SQLiteStore(path: path("c.sqlite"))))
    }

    func testPastAsOfReplaysHistoryExactly() throws {
        let file = try write(lines, to: "events.ndjson")
        let store = try SQLiteStore(path: path("db.sqlite"))
        let (_, engine) = try runImport(file, store: store)
        let past = Timestamp.parse("2026-10-28T00:00:00Z")!
        let replayed = try ScoringRun(store: store, engine: engine).score(account: "ws1", asOf: past)
        XCTAssertNotEqual(replayed?.score.stage, .salesReady, "the hand-raise on Oct 30 had not happened yet")
        var onlyBefore = Engine(model: model, companies: engine.companies)
        var events: [Event] = []
        try store.forEachEvent(until: past) { events.append($0) }
        onlyBefore.ingest(events)
        XCTAssertEqual(replayed?.score, onlyBefore.score(account: "ws1", asOf: past))
    }
}
