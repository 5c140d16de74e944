import XCTest
@testable import SignalboxCore

final class ScoringTests: XCTestCase {
    private func score(_ yaml: String, events: [Event], profile: AccountProfile = AccountProfile(accountId: "ws1"), asOf: Date = referenceDate) throws -> AccountScore {
        let model = CompiledModel(try config(yaml))
        var engine = Engine(model: model)
        engine.ingest([group("u1", "ws1")] + events)
        let state = engine.state(ofWorkspaces: ["ws1"])
        return Scorer(model: model).score(state, profile: profile, asOf: asOf)
    }

    func testPointsPerOccurrenceAreCapped() throws {
        let result = try score("""
        signals:
          invites: { category: value, event: Teammate Invited, window: 14d, points: 5, cap: 12, reason: "Invited {count} teammates in {window}" }
        \(simpleStages)
        """, events: (1...5).map { track("Teammate Invited", at: daysBefore(Double($0))) })
        let invites = try XCTUnwrap(result.contributions.first { $0.signal == "invites" })
        XCTAssertEqual(invites.rawCount, 5)
        XCTAssertEqual(invites.points, 12)
        XCTAssertTrue(invites.capped)
        XCTAssertEqual(invites.reason, "Invited 5 teammates in 14 days")
        XCTAssertEqual(result.value, 12)
    }

    func testReasonsReadNaturallyForOne() {
        XCTAssertEqual(ReasonText.singularized("Viewed pricing 1 times in 14 days"), "Viewed pricing 1 time in 14 days")
        XCTAssertEqual(ReasonText.singularized("1 people active; 1 class; 11 projects"), "1 person active; 1 class; 11 projects")
        XCTAssertEqual(ReasonText.singularized("Invited 21 teammates, 1 admins"), "Invited 21 teammates, 1 admin")
        XCTAssertEqual(ReasonText.singularized("1 1 items and 1 façades élues"), "1 1 item and 1 façade élues")
        XCTAssertEqual(ReasonText.singularized("1 projects"), "1 project")
        for unchanged in ["Viewed pricing 21 times", "1st projects", "v1 builds", "Rows synced: 1", "Active on 1", "1  days", "1 ss", "1 ass", "1 "] {
            XCTAssertEqual(ReasonText.singularized(unchanged), unchanged)
        }
    }

    func testReasonTemplatesFillKnownPlaceholdersAndKeepTheRest() {
        let values: [String: String] = ["count": "5", "window": "14 days"]
        XCTAssertEqual(ReasonText.filled("Invited {count} teammates in {window}", { values[$0] }), "Invited 5 teammates in 14 days")
        XCTAssertEqual(ReasonText.filled("{count}{count} {other} {open", { values[$0] }), "55 {other} {open")
        XCTAssertEqual(ReasonText.filled("Invité {count} coéquipiers — {window} {}", { values[$0] }), "Invité 5 coéquipiers — 14 days {}")
        XCTAssertEqual(ReasonText.filled("", { values[$0] }), "")
    }

    func testNumbersWithOneDecimalMatchPrintf() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0.5, 0.55, 0.95, 1.05, 1.25, 2.25, 2.75, 0.35, 12.35, 99.95, 37.4, -0.25, -1.75, -12.35, 0.049, 0.25, -0.04, 1e14, 123_456_789.15]
        values += (0..<2_000).map { _ in Double.random(in: 0.5..<100, using: &generator).rounded(toPlaces: 1) }
        values += (0..<2_000).map { _ in Double.random(in: -1e6..<1e6, using: &generator) }
        values += (0..<2_000).map { _ in Double(Int.random(in: -100_000..<100_000, using: &generator)) / 20 }
        for value in values {
            XCTAssertEqual(ReasonText.oneDecimal(value), String(format: "%.1f", value), "\(value)")
        }
        XCTAssertEqual(ReasonText.format(37.4), "37.4")
        XCTAssertEqual(ReasonText.format(12), "12")
    }

    func testPropertyFiltersSelectMatchingEvents() throws {
        let result = try score("""
        signals:
          warehouse: { category: value, event: Integration Connected, where: { integration: [snowflake, bigquery] }, points: 10 }
        \(simpleStages)
        """, events: [
            track("Integration Connected", at: daysBefore(1), properties: ["integration": "snowflake"]),
            track("Integration Connected", at: daysBefore(1), properties: ["integration": "hubspot"]),
        ])
        XCTAssertEqual(result.value, 10)
    }

    func testSummedPropertyWithThreshold() throws {
        let yaml = """
        signals:
          rows: { category: value, event: Rows Synced, sum: rows, window: 30d, at_least: 1000000, points: 10, reason: "Synced {count} rows in {window}" }
        \(simpleStages)
        """
        let below = try score(yaml, events: [track("Rows Synced", at: daysBefore(2), properties: ["rows": 600_000])])
        XCTAssertEqual(below.value, 0)
        let above = try score(yaml, events: [
            track("Rows Synced", at: daysBefore(2), properties: ["rows": 600_000]),
            track("Rows Synced", at: daysBefore(3), properties: ["rows": .string("500000")]),
        ])
        XCTAssertEqual(above.value, 10)
        XCTAssertEqual(above.reasons.first?.text, "Synced 1100000 rows in 30 days")
    }

    func testTheModelNamesThePropertiesItReads() throws {
        let model = CompiledModel(try config("""
        signals:
          warehouse: { category: value, event: Integration Connected, where: { integration: [snowflake] }, points: 10 }
          rows: { category: value, event: Rows Synced, sum: rows, window: 30d, points: 1 }
        \(simpleStages)
        """))
        let line = #"{"type":"track","event":"Rows Synced","userId":"u","timestamp":"2024-05-01","properties":{"integration":"snowflake","rows":5,"url":"x","name":"n"}}"#
        let event = try EventDecoder(properties: model.propertiesRead).decode(line: Array(line.utf8))[0].get()
        XCTAssertEqual(Set(event.properties.keys), ["integration", "rows", "name"])
        XCTAssertEqual(model.matches(event), [SignalHit(signal: 1, amount: 5)])
        var reused = [SignalHit(signal: 0, amount: 9)]
        model.matches(event, into: &reused)
        XCTAssertEqual(reused, [SignalHit(signal: 1, amount: 5)], "an earlier event's hits are replaced, not kept")
    }

    func testCompoundNeedsAllConditionsInsideItsWindow() throws {
        let yaml = """
        signals:
          projects: { category: value, event: Project Created, points: 0 }
          invites: { category: value, event: Teammate Invited, points: 0 }
          team: { category: value, all: { projects: 3, invites: 2 }, window: 14d, points: 25 }
        \(simpleStages)
        """
        let projects = (1...3).map { track("Project Created", at: daysBefore(Double($0))) }
        let recentInvites = [track("Teammate Invited", at: daysBefore(2)), track("Teammate Invited", at: daysBefore(5))]
        XCTAssertEqual(try score(yaml, events: projects + recentInvites).value, 25)
        let oneOldInvite = [track("Teammate Invited", at: daysBefore(2)), track("Teammate Invited", at: daysBefore(20))]
        XCTAssertEqual(try score(yaml, events: projects + oneOldInvite).value, 0)
    }

    func testAnyCompoundNeedsOneCondition() throws {
        let result = try score("""
        signals:
          projects: { category: value, event: Project Created, points: 0 }
          invites: { category: value, event: Teammate Invited, points: 0 }
          either: { category: intent, any: { projects: 5, invites: 1 }, window: 7d, points: 20 }
        \(simpleStages)
        """, events: [track("Teammate Invited", at: daysBefore(1))])
        XCTAssertEqual(result.intent, 20)
    }

    func testOnceSignalDecaysWithAgeOfLastOccurrence() throws {
        let result = try score("""
        signals:
          upgrade: { category: intent, event: Upgrade Started, once: true, half_life: 10d, points: 40 }
        \(simpleStages)
        """, events: [track("Upgrade Started", at: daysBefore(30)), track("Upgrade Started", at: daysBefore(10))])
        XCTAssertEqual(result.intent, 20, accuracy: 0.01)
    }

    func testCoolingSignalSubtractsAfterInactivity() throws {
        let yaml = """
        signals:
          projects: { category: value, event: Project Created, points: 30 }
          quiet: { category: negative, metric: days_since_last_active, at_least: 14, points: 20, reason: "No activity for {count} days" }
        \(simpleStages)
        """
        let fresh = try score(yaml, events: [track("Project Created", at: daysBefore(3))])
        XCTAssertEqual(fresh.value, 30)
        let stale = try score(yaml, events: [track("Project Created", at: daysBefore(20))])
        XCTAssertEqual(stale.value, 10)
        XCTAssertTrue(stale.reasons.contains { $0.text == "No activity for 20 days" && $0.points == -20 })
    }

    func testUnknownFitIsNotLowFitAndSaysWhy() throws {
        let yaml = """
        signals:
          projects: { category: value, event: Project Created, points: 50 }
        fit:
          size: { field: employees, between: [50, 5000], points: 60 }
        \(simpleStages)
        """
        let unknown = try score(yaml, events: [track("Project Created", at: daysBefore(1))],
                                profile: AccountProfile(accountId: "ws1", personalDomains: ["gmail.com"]))
        XCTAssertNil(unknown.fit)
        XCTAssertTrue(unknown.reasons.contains { $0.text == "Fit unknown: no company data for gmail.com users" })
        // Weights renormalise over value and intent: 0.45·50 / 0.65.
        XCTAssertEqual(unknown.total, 34.6, accuracy: 0.05)

        let small = try score(yaml, events: [track("Project Created", at: daysBefore(1))],
                              profile: AccountProfile(accountId: "ws1", company: Company(domain: "tiny.io", employees: 3)))
        XCTAssertEqual(small.fit, 0)
        XCTAssertEqual(small.total, 22.5, accuracy: 0.05)
    }

    func testFitRulesReadCompanyThenTraitsThenPeople() throws {
        let yaml = """
        signals:
          projects: { category: value, event: Project Created, points: 1 }
        fit:
          size: { field: employees, between: [50, null], points: 30 }
          stack: { field: tech_stack, contains: [snowflake], points: 20 }
          persona: { field: user.title, contains: [head, vp], points: 25 }
          plan: { field: workspace.plan, equals: team, points: 10 }
        \(simpleStages)
        """
        let profile = AccountProfile(
            accountId: "ws1", domain: "acme.com",
            company: Company(domain: "acme.com", employees: 300, techStack: ["snowflake", "dbt"]),
            workspaceTraits: ["plan": "team"], memberTraits: ["u1": ["title": "Head of Data"], "u2": ["title": "Analyst"]]
        )
        let result = try score(yaml, events: [], profile: profile)
        XCTAssertEqual(result.fit, 85)
        XCTAssertEqual(Set(result.fitMatches.map(\.rule)), ["size", "stack", "persona", "plan"])
        XCTAssertEqual(result.fitMatches.first { $0.rule == "persona" }?.source, "user u1")
    }
}
