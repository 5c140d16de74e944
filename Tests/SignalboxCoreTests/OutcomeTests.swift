import XCTest
@testable import SignalboxCore

final class OutcomeTests: XCTestCase {
    func testOutcomesAreKeyedByAccountWorkspaceOrDomainWithErrorsThatNameTheLine() throws {
        let byDomain = try OutcomesFile.parse("domain,converted_at,acv\nWWW.Acme.com,2026-10-02,12000\n", file: "o.csv")
        XCTAssertEqual(byDomain, [Outcome(key: .domain("acme.com"), convertedAt: Timestamp.parse("2026-10-02"), acv: 12_000)])
        let lost = try OutcomesFile.parse("group_id,converted_at,lost_at\nws9,,2026-10-05T00:00:00Z\n", file: "o.csv")
        XCTAssertEqual(lost.first?.key, .workspace("ws9"))
        XCTAssertNil(lost.first?.convertedAt)
        XCTAssertNotNil(lost.first?.lostAt)

        func failure(_ text: String) -> String {
            do {
                _ = try OutcomesFile.parse(text, file: "o.csv")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(failure("company,converted_at\nx,2026-01-01\n"), "o.csv:1: needs a key column: one of account_id, workspace_id, group_id, domain")
        XCTAssertEqual(failure("account_id,converted_at\nws1,yesterday\n"), "o.csv:2: converted_at \"yesterday\" is not a date or time")
        XCTAssertEqual(failure("account_id,converted_at,acv\nws1,2026-01-01,-5\n"), "o.csv:2: acv \"-5\" is not a non-negative number")
        XCTAssertEqual(failure("account_id,converted_at,lost_at\nws1,,\n"), "o.csv:2: has neither converted_at nor lost_at")
    }

    func testOutcomesResolveThroughTheIdentityGraph() throws {
        var engine = Engine(model: CompiledModel(try config("signals:\n  p: { category: value, event: Project Created, points: 5 }\n" + simpleStages)))
        engine.ingest([
            group("u1", "ws1", traits: ["domain": "acme.com"]), group("u2", "ws2", traits: ["domain": "acme.com"]),
            group("u3", "ws3", traits: ["domain": "other.io"]),
        ])
        let outcomes = [
            Outcome(key: .domain("acme.com"), convertedAt: referenceDate), Outcome(key: .workspace("ws3"), convertedAt: nil, lostAt: referenceDate),
            Outcome(key: .account("ws404"), convertedAt: referenceDate),
        ]
        let (resolved, unmatched) = OutcomeResolver.resolve(outcomes, engine: engine)
        XCTAssertEqual(resolved.map(\.accountId), ["ws1", "ws2", "ws3"], "a domain counts for every account of the company")
        XCTAssertEqual(unmatched, [.account("ws404")])
    }
}
