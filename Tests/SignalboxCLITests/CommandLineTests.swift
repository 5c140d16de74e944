import Foundation
import XCTest

/// Drives the real `signalbox` binary the way a user or a script does: arguments in, exit code,
/// stdout and stderr out.
final class CommandLineTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// The binary sits in the build folder: the test bundle's folder on Linux, its parent on macOS.
    private var binary: URL {
        let bundle = Bundle(for: Self.self).bundleURL
        let candidates = [bundle.appendingPathComponent("signalbox"), bundle.deletingLastPathComponent().appendingPathComponent("signalbox")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    @discardableResult
    private func signalbox(_ arguments: String..., input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        } else {
            try process.run()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    private let events = """
    {"type":"identify","userId":"u1","messageId":"1","timestamp":"2026-10-20T10:00:00Z","traits":{"email":"jo@acme.com","title":"Head of Data"}}
    {"type":"group","userId":"u1","groupId":"ws1","messageId":"2","timestamp":"2026-10-20T10:00:01Z","traits":{"name":"Acme","domain":"acme.com"}}
    {"type":"track","event":"Project Created","userId":"u1","messageId":"3","timestamp":"2026-10-25T10:00:00Z","context":{"groupId":"ws1"}}
    {"type":"track","event":"Contact Sales Requested","userId":"u1","messageId":"4","timestamp":"2026-10-30T10:00:00Z","context":{"groupId":"ws1"}}
    {"type":"track","userId":"u1","messageId":"5","timestamp":"2026-10-30T10:00:00Z"}
    """

    func testInitCheckImportScoreExplain() throws {
        XCTAssertEqual(try signalbox("init", "--preset", "tier-matrix").status, 0)
        XCTAssertEqual(try signalbox("init").status, 73, "init never overwrites without --force")
        XCTAssertEqual(try signalbox("init", "--preset", "weighted", "--force").status, 0)
        let check = try signalbox("check")
        XCTAssertEqual(check.status, 0, check.errors)
        XCTAssertTrue(check.output.contains("OK: model weighted"), check.output)
        XCTAssertTrue(check.output.contains("routing: 7 routes, 3 teams with 7 reps, 8 plays; 1 destinations"), check.output)

        try "domain,name,employees,industry,country\nacme.com,Acme,200,Software,US\n".write(to: directory.appendingPathComponent("companies.csv"), atomically: true, encoding: .utf8)
        let imported = try signalbox("import", "-", "--firmographics", "companies.csv", input: events)
        XCTAssertEqual(imported.status, 0, imported.errors)
        XCTAssertTrue(imported.output.contains("Imported    4"), imported.output)
        XCTAssertTrue(imported.output.contains("missing_event_name: 1"), imported.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("signalbox-rejects.ndjson").path))

        let csv = try signalbox("score", "--as-of", "2026-11-01", "--format", "csv")
        XCTAssertEqual(csv.status, 0, csv.errors)
        let rows = csv.output.split(separator: "\n")
        XCTAssertTrue(rows[0].hasPrefix("account_id,name,domain,stage,band,score,fit,value,intent,trend,reasons"), String(rows[0]))
        XCTAssertTrue(rows[1].hasPrefix("ws1,Acme,acme.com,sales_ready,"), String(rows[1]))

        let json = try signalbox("score", "--as-of", "2026-11-01", "--format", "json", "--stage", "sales_ready")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.first?["stage"] as? String, "sales_ready")

        let explain = try signalbox("explain", "ws1", "--as-of", "2026-11-01")
        XCTAssertEqual(explain.status, 0, explain.errors)
        XCTAssertTrue(explain.output.contains("Fast lane: Contact sales"), explain.output)
        XCTAssertTrue(explain.output.contains("company_size"), explain.output)

        XCTAssertEqual(try signalbox("explain", "ws404").status, 66)
    }

    func testRouteShowsTheHandoffRecordsItAndThenHoldsItBack() throws {
        XCTAssertEqual(try signalbox("init", "--preset", "weighted").status, 0)
        try "domain,name,employees,industry,country\nacme.com,Acme,200,Software,US\n".write(to: directory.appendingPathComponent("companies.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try signalbox("import", "-", "--firmographics", "companies.csv", input: events).status, 0)

        let dryRun = try signalbox("route", "--dry-run", "--as-of", "2026-11-02T15:00:00Z", "--format", "json")
        XCTAssertEqual(dryRun.status, 0, dryRun.errors)
        let handoffs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dryRun.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(handoffs.count, 1)
        let handoff = handoffs[0]
        XCTAssertEqual(handoff["account_id"] as? String, "ws1")
        XCTAssertEqual(handoff["route"] as? String, "hand_raiser")
        XCTAssertEqual(handoff["motion"] as? String, "ae")
        XCTAssertEqual(handoff["owner"] as? String, "dana.reyes@example.com", "the heaviest-weighted rep takes the first turn")
        XCTAssertFalse((handoff["reasons"] as? [String] ?? []).isEmpty)
        XCTAssertEqual(handoff["sla_due"] as? String, "2026-11-02T17:00:00Z", "two working hours in New York")

        let brief = try signalbox("route", "--dry-run", "--as-of", "2026-11-02T15:00:00Z", "--format", "brief")
        XCTAssertTrue(brief.output.contains("Champion: u1, Head of Data <jo@acme.com>"), brief.output)
        XCTAssertTrue(brief.output.contains("Play: Answer the hand-raise."), brief.output)
        XCTAssertTrue(brief.output.contains("dry run, nothing recorded: 1 handoffs"), brief.output)

        let recorded = try signalbox("route", "--as-of", "2026-11-02T15:00:00Z")
        XCTAssertTrue(recorded.output.contains("recorded: 1 handoffs"), recorded.output)
        XCTAssertTrue(recorded.output.contains("1 outbox messages queued"), recorded.output)
        let pending = try signalbox("outbox", "list", "--status", "pending")
        XCTAssertTrue(pending.output.contains("handoff_log"), pending.output)
        let delivery = try signalbox("outbox", "deliver")
        XCTAssertEqual(delivery.status, 0, delivery.errors)
        XCTAssertTrue(delivery.output.contains("outbox: 1 delivered, 0 pending, 0 dead"), delivery.output)
        let log = try String(contentsOf: directory.appendingPathComponent("handoffs.ndjson"), encoding: .utf8)
        let line = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [String: Any])
        XCTAssertEqual(line["idempotency_key"] as? String, "handoff-1-handoff_log")
        let delivered = try XCTUnwrap(line["handoff"] as? [String: Any])
        XCTAssertEqual(delivered["account_id"] as? String, handoff["account_id"] as? String, "the destination receives what the dry run promised")
        XCTAssertEqual(delivered["route"] as? String, handoff["route"] as? String)
        XCTAssertEqual((delivered["owner"] as? [String: Any])?["email"] as? String, handoff["owner"] as? String)
        XCTAssertEqual(try signalbox("outbox", "deliver").output, "outbox: 1 delivered, 0 pending, 0 dead\n", "a second run sends nothing again")
        let nextDay = try signalbox("route", "--dry-run", "--all", "--as-of", "2026-11-03T15:00:00Z", "--format", "json")
        let held = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(nextDay.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(held.map { $0["outcome"] as? String }, ["cooldown"])
        XCTAssertEqual(try signalbox("route", "--format", "yaml").status, 64)

        try "account_id,converted_at,acv\nws1,2026-11-20,9000\nws404,2026-11-21,100\n".write(to: directory.appendingPathComponent("outcomes.csv"), atomically: true, encoding: .utf8)
        let outcomes = try signalbox("outcomes", "import", "outcomes.csv")
        XCTAssertEqual(outcomes.status, 0, outcomes.errors)
        XCTAssertTrue(outcomes.output.contains("Read 2 outcomes (2 new): 1 accounts converted, 0 lost"), outcomes.output)
        XCTAssertTrue(outcomes.output.contains("No account matches 1 of them (account ws404)"), outcomes.output)
        XCTAssertTrue(try signalbox("outcomes", "import", "outcomes.csv").output.contains("(0 new)"))
        XCTAssertEqual(try signalbox("outcomes", "import", "missing.csv").status, 66)
        let train = try signalbox("train", "--as-of", "2026-12-31", "--export-features", "features.csv")
        XCTAssertEqual(train.status, 65)
        XCTAssertTrue(train.errors.contains("a model needs at least 40 of each"), train.errors)
        let matrix = try String(contentsOf: directory.appendingPathComponent("features.csv"), encoding: .utf8)
        XCTAssertTrue(matrix.hasPrefix("account_id,snapshot_at,split,converted,signal.projects_created,"), String(matrix.prefix(200)))
    }

    func testBadInputGetsAClearErrorAndAScriptableExitCode() throws {
        try "signals:\n  a:\n    category: value\n    event: A\n    points: lots\n".write(to: directory.appendingPathComponent("signalbox.yaml"), atomically: true, encoding: .utf8)
        let check = try signalbox("check")
        XCTAssertEqual(check.status, 65)
        XCTAssertEqual(check.errors, "error: signalbox.yaml:5: signals.a.points: must be a number, got \"lots\"\n")

        XCTAssertEqual(try signalbox("check", "--config", "missing.yaml").status, 66)
        XCTAssertEqual(try signalbox("score", "--as-of", "someday").status, 64)
        XCTAssertEqual(try signalbox("import", "nowhere.ndjson").status, 66)

        XCTAssertEqual(try signalbox("init", "--force").status, 0)
        let strict = try signalbox("import", "-", "--strict", input: events)
        XCTAssertEqual(strict.status, 65)
        XCTAssertEqual(strict.errors, "error: stdin:5: missing_event_name: $.event is required on a track call (strict import: nothing was committed)\n")
    }

    func testDiscoverRefusesTooFewConvertersAndDriftNamesABadPeriod() throws {
        XCTAssertEqual(try signalbox("init").status, 0)
        XCTAssertEqual(try signalbox("import", "-", input: events).status, 0)
        try "workspace_id,converted_at\nws1,2026-11-02\n".write(to: directory.appendingPathComponent("outcomes.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try signalbox("outcomes", "import", "outcomes.csv").status, 0)

        let discover = try signalbox("signals", "discover", "--as-of", "2026-12-01")
        XCTAssertEqual(discover.status, 65)
        XCTAssertTrue(discover.errors.hasPrefix("error: only 1 converting accounts were active before converting; discovery needs at least 10."), discover.errors)

        let drift = try signalbox("drift", "--baseline", "2026-10-01..2026-10-15", "--current", "2026-10-10..2026-10-30", "--as-of", "2026-12-01")
        XCTAssertEqual(drift.status, 64)
        XCTAssertTrue(drift.errors.contains("--baseline must end before --current starts"), drift.errors)
        XCTAssertEqual(try signalbox("drift", "--baseline", "October", "--current", "2026-10-10..2026-10-30").status, 64)

        let json = try signalbox("drift", "--baseline", "2026-10-20T12:00:00Z..2026-10-21", "--current", "2026-10-22..2026-10-30", "--as-of", "2026-12-15", "--format", "json")
        XCTAssertEqual(json.status, 0, json.errors)
        let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        XCTAssertEqual((report?["current"] as? [String: Any])?["snapshot_times"] as? Int, 2)
        XCTAssertNotNil(report?["verdict"] as? String)
    }

    func testBacktestReportsAsJSONAndShadowAndTrainNameWhatIsWrong() throws {
        XCTAssertEqual(try signalbox("init").status, 0)
        XCTAssertEqual(try signalbox("import", "-", input: events).status, 0)
        let noOutcomes = try signalbox("backtest", "--from", "2026-10-01", "--to", "2026-10-08")
        XCTAssertEqual(noOutcomes.status, 65)
        XCTAssertTrue(noOutcomes.errors.contains("no conversions to learn from"), noOutcomes.errors)
        try "workspace_id,converted_at\nws1,2026-11-02\n".write(to: directory.appendingPathComponent("outcomes.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try signalbox("outcomes", "import", "outcomes.csv").status, 0)

        let backwards = try signalbox("backtest", "--from", "2026-10-08", "--to", "2026-10-01")
        XCTAssertEqual(backwards.status, 64)
        XCTAssertTrue(backwards.errors.contains("--to must be after --from"), backwards.errors)
        XCTAssertEqual(try signalbox("backtest", "--from", "2026-10-01", "--to", "2026-10-08", "--pql-rate", "15-5").status, 64)

        let json = try signalbox("backtest", "--from", "2026-10-25", "--to", "2026-11-05", "--format", "json", "--tune")
        XCTAssertEqual(json.status, 0, json.errors)
        let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        XCTAssertEqual(report?["model"] as? String, "weighted")
        XCTAssertNotNil((report?["report"] as? [String: Any])?["weekly_sales_ready"] as? [Int])
        XCTAssertNotNil((report?["tuning"] as? [String: Any])?["options"] as? [[String: Any]])

        let missing = try signalbox("shadow", "nowhere.yaml")
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(try signalbox("train", "--half-lives", "soon").status, 64)
        let refused = try signalbox("train", "--as-of", "2026-12-01")
        XCTAssertEqual(refused.status, 65)
        XCTAssertTrue(refused.errors.contains("keep the rule-based model"), refused.errors)
    }
}
