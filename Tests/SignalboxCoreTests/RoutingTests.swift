import XCTest
@testable import SignalboxCore

final class RoutingTests: XCTestCase {
    /// A Monday, 2026-11-02T15:00:00Z: 10:00 in New York, 16:00 in Berlin.
    private let monday = Date(timeIntervalSince1970: 1_793_631_600)

    private func model(_ routing: String) throws -> CompiledModel {
        CompiledModel(try config("""
        signals:
          invites: { category: value, event: Teammate Invited, points: 10, window: 14d }
          limit_hit: { category: intent, event: Plan Limit Hit, points: 20, window: 14d }
          contact_sales: { category: intent, event: Contact Sales Requested, points: 50, once: true, window: 14d }
        \(simpleStages)
        fast_lane: { signals: [contact_sales] }
        routing:
        \(routing.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        """))
    }

    private let standardRouting = """
    customer: { field: workspace.plan, in: [team] }
    segments:
      small: { field: employees, between: [null, 19] }
    routes:
      expansion: { when: { customer: true }, motion: expansion, team: am }
      hand_raiser: { when: { fast_lane: true }, motion: ae, team: ae, sla: 4h }
      qualify: { when: { fit: unknown }, motion: sdr, team: sdr }
      small: { when: { segment: small }, motion: self_serve }
      ae: { when: { stage: sales_ready, fit_tier: [A, B] }, motion: ae, team: ae, cooldown: 14d }
    default: { motion: nurture }
    teams:
      ae: { reps: [{ email: dana@example.com, name: Dana, timezone: America/New_York }] }
      sdr: { reps: [{ email: ari@example.com, name: Ari }] }
      am: { reps: [{ email: noor@example.com, name: Noor }] }
    """

    private func candidate(
        _ id: String, stage: Stage, total: Double = 70, fit: Double? = 80, domain: String? = nil, employees: Double? = 300,
        plan: String = "free", stageReason: String = "Sales-ready: total ≥ 60", at time: Date? = nil
    ) -> RoutingCandidate {
        let company = domain.map { Company(domain: $0, name: $0, employees: employees) }
        let score = AccountScore(
            accountId: id, name: id, domain: domain, asOf: time ?? monday, stage: stage, band: nil, total: total, fit: fit,
            value: 50, intent: 20, reasons: [], stageReason: stageReason, contributions: [], fitMatches: []
        )
        let profile = AccountProfile(accountId: id, domain: domain, company: company, workspaceTraits: ["plan": .string(plan)])
        return RoutingCandidate(score: score, state: AccountState(), profile: profile)
    }

    func testFirstMatchingRouteWinsAndTheDefaultTakesTheRest() throws {
        let router = Router(model: try model(standardRouting))
        var ledger = RoutingLedger()
        let decisions = router.route([
            candidate("customer", stage: .salesReady, domain: "paying.com", plan: "team"),
            candidate("raiser", stage: .salesReady, domain: "raiser.com", stageReason: "Fast lane: Contact sales today"),
            candidate("unknown", stage: .pql, fit: nil),
            candidate("tiny", stage: .salesReady, domain: "tiny.io", employees: 8),
            candidate("strong", stage: .salesReady, domain: "strong.com"),
            candidate("lowfit", stage: .pql, fit: 10, domain: "low.com"),
            candidate("cold", stage: .notPQL, domain: "cold.com"),
            candidate("out", stage: .excluded, domain: "student.edu"),
        ], ledger: &ledger)
        let routes = Dictionary(uniqueKeysWithValues: decisions.map { ($0.accountId, $0.route) })
        XCTAssertEqual(routes, [
            "customer": "expansion", "raiser": "hand_raiser", "unknown": "qualify", "tiny": "small", "strong": "ae", "lowfit": "default",
        ], "not_pql and excluded accounts are never routed")
        XCTAssertEqual(decisions.first { $0.accountId == "customer" }?.owner?.email, "noor@example.com")
        XCTAssertNil(decisions.first { $0.accountId == "tiny" }?.owner, "self-serve needs no person")
        XCTAssertTrue(decisions.first { $0.accountId == "lowfit" }!.reason.contains("no route matched"))
    }

    func testWeightedRoundRobinKeepsWithinOnePercentOfTheWeightsOverTenThousandAssignments() throws {
        let router = Router(model: try model("""
        routes:
          ae: { when: { stage: [pql, sales_ready] }, motion: ae, team: ae, cooldown: 1h }
        teams:
          ae:
            reps:
              - { email: a@example.com, weight: 3, hours: "00:00-24:00", days: [sun, mon, tue, wed, thu, fri, sat] }
              - { email: b@example.com, weight: 2, hours: "00:00-24:00", days: [sun, mon, tue, wed, thu, fri, sat] }
              - { email: c@example.com, weight: 1, hours: "00:00-24:00", days: [sun, mon, tue, wed, thu, fri, sat] }
        """))
        var ledger = RoutingLedger()
        var counts: [String: Int] = [:]
        for index in 0..<10_000 {
            let decision = router.route([candidate("acct\(index)", stage: .salesReady, domain: "d\(index).com", at: monday.addingTimeInterval(Double(index)))], ledger: &ledger)[0]
            counts[decision.owner!.email, default: 0] += 1
        }
        for (rep, weight) in [("a@example.com", 3.0), ("b@example.com", 2.0), ("c@example.com", 1.0)] {
            let share = Double(counts[rep] ?? 0) / 10_000
            XCTAssertEqual(share, weight / 6, accuracy: 0.01, "\(rep) got \(counts[rep] ?? 0)")
        }
    }

    func testRoundRobinIsDeterministicAndContinuesFromTheLedger() throws {
        let router = Router(model: try model(standardRouting.replacingOccurrences(
            of: "ae: { reps: [{ email: dana@example.com, name: Dana, timezone: America/New_York }] }",
            with: "ae: { reps: [{ email: dana@example.com }, { email: sam@example.com }, { email: lea@example.com, weight: 2 }] }"
        )))
        let accounts = (0..<12).map { candidate("a\($0)", stage: .salesReady, domain: "a\($0).com") }
        var once = RoutingLedger()
        let together = router.route(accounts, ledger: &once).map { $0.owner!.email }
        var split = RoutingLedger()
        let inParts = router.route(Array(accounts.prefix(5)), ledger: &split) + router.route(Array(accounts.dropFirst(5)), ledger: &split)
        XCTAssertEqual(Set(together), ["dana@example.com", "sam@example.com", "lea@example.com"])
        XCTAssertEqual(together.filter { $0 == "lea@example.com" }.count, 6)
        XCTAssertEqual(inParts.map { $0.owner!.email }, together)
    }

    func testAbsentInactiveAndFullRepsAreSkippedThenTheFallbackOwnerTakesOver() throws {
        let router = Router(model: try model("""
        routes:
          ae: { when: { stage: sales_ready }, motion: ae, team: ae }
        teams:
          ae:
            reps:
              - { email: away@example.com, out_of_office: ["2026-11-01..2026-11-06"] }
              - { email: gone@example.com, active: false }
              - { email: busy@example.com, daily_capacity: 2 }
        fallback_owner: { email: revops@example.com, name: RevOps queue }
        """))
        var ledger = RoutingLedger()
        let decisions = router.route((0..<4).map { candidate("a\($0)", stage: .salesReady, total: 90 - Double($0), domain: "a\($0).com") }, ledger: &ledger)
        XCTAssertEqual(decisions.map { $0.owner?.email }, ["busy@example.com", "busy@example.com", nil, nil])
        XCTAssertEqual(decisions.map(\.outcome), [.handoff, .handoff, .deferred, .deferred], "a full team makes accounts wait, strongest first")
        XCTAssertTrue(decisions[2].reason.contains("reached their daily capacity"), decisions[2].reason)
        let nextDay = router.route([candidate("a2", stage: .salesReady, domain: "a2.com", at: monday.addingTimeInterval(86_400))], ledger: &ledger)
        XCTAssertEqual(nextDay.first?.owner?.email, "busy@example.com", "capacity is per day")
        let busyAway = try model("""
        routes:
          ae: { when: { stage: sales_ready }, motion: ae, team: ae }
        teams:
          ae: { reps: [{ email: away@example.com, out_of_office: ["2026-11-01..2026-11-06"] }, { email: gone@example.com, active: false }] }
        fallback_owner: { email: revops@example.com, name: RevOps queue }
        """)
        let nobody = Router(model: busyAway).route([candidate("a4", stage: .salesReady, domain: "a4.com")], ledger: &ledger)
        XCTAssertEqual(nobody.first?.owner?.method, .fallback)
        XCTAssertTrue(nobody.first?.reason.contains("no rep of team ae is active and in office; fallback owner RevOps queue") ?? false, nobody.first?.reason ?? "")
    }

    func testCooldownHoldsAnAccountBackUntilItsStageRises() throws {
        let router = Router(model: try model("""
        routes:
          sdr: { when: { stage: [pql, sales_ready] }, motion: sdr, team: sdr, cooldown: 14d }
        teams:
          sdr: { reps: [{ email: ari@example.com }, { email: mia@example.com }] }
        """))
        var ledger = RoutingLedger()
        let first = router.route([candidate("acme", stage: .pql, domain: "acme.com")], ledger: &ledger)
        XCTAssertEqual(first.map(\.outcome), [.handoff])
        let again = router.route([candidate("acme", stage: .pql, domain: "acme.com", at: monday.addingTimeInterval(3 * 86_400))], ledger: &ledger)
        XCTAssertEqual(again.map(\.outcome), [.cooldown])
        XCTAssertTrue(again[0].reason.contains("handed to sdr 3 days ago as pql"), again[0].reason)
        let risen = router.route([candidate("acme", stage: .salesReady, domain: "acme.com", at: monday.addingTimeInterval(4 * 86_400))], ledger: &ledger)
        XCTAssertEqual(risen.map(\.outcome), [.handoff])
        XCTAssertTrue(risen[0].reason.contains("stage rose from pql to sales_ready"), risen[0].reason)
        XCTAssertEqual(risen[0].owner?.email, first[0].owner?.email, "the rep who had the account keeps it")
        let later = router.route([candidate("acme", stage: .salesReady, domain: "acme.com", at: monday.addingTimeInterval(19 * 86_400))], ledger: &ledger)
        XCTAssertEqual(later.map(\.outcome), [.handoff], "after the cooldown the route takes it again")
    }

    func testWorkspacesOfOneCompanyMakeOneHandoff() throws {
        let router = Router(model: try model(standardRouting))
        var ledger = RoutingLedger()
        let decisions = router.route([
            candidate("ws-small", stage: .pql, total: 45, domain: "acme.com"),
            candidate("ws-main", stage: .salesReady, total: 80, domain: "acme.com"),
        ], ledger: &ledger)
        XCTAssertEqual(decisions.filter { $0.outcome == .handoff }.map(\.accountId), ["ws-main"])
        XCTAssertEqual(decisions.first { $0.accountId == "ws-small" }?.outcome, .merged)
        XCTAssertEqual(Set(decisions.map(\.routingKey)), ["acme.com"])
    }

    func testSLADueTimeCountsOnlyWorkingHours() {
        let berlin = WorkingHours(timeZone: "Europe/Berlin", start: 9 * 60, end: 17 * 60)
        let fridayFourPM = Date(timeIntervalSince1970: 1_793_977_200)   // 2026-11-06T15:00:00Z = 16:00 Berlin
        XCTAssertEqual(Timestamp.format(berlin.adding(4 * 3_600, to: fridayFourPM)), "2026-11-09T11:00:00.000Z", "1h Friday, 3h Monday from 09:00 Berlin")
        XCTAssertEqual(Timestamp.format(berlin.adding(3_600, to: monday)), "2026-11-02T16:00:00.000Z")
        XCTAssertTrue(berlin.isWorking(at: monday))
        XCTAssertFalse(berlin.isWorking(at: fridayFourPM.addingTimeInterval(2 * 3_600)))
        XCTAssertEqual(berlin.day(of: Date(timeIntervalSince1970: 1_793_660_400)), "2026-11-03", "23:00Z Monday is Tuesday in Berlin")
    }

    func testHandRaiserSLAStartsInTheOwnersWorkingDay() throws {
        let router = Router(model: try model(standardRouting))
        var ledger = RoutingLedger()
        let saturday = monday.addingTimeInterval(-2 * 86_400)
        let decision = router.route([candidate("raiser", stage: .salesReady, domain: "r.com", stageReason: "Fast lane: Contact sales today", at: saturday)], ledger: &ledger)[0]
        XCTAssertEqual(decision.route, "hand_raiser")
        XCTAssertEqual(decision.slaDue.map(Timestamp.format), "2026-11-02T18:00:00.000Z", "Monday 09:00 New York plus 4 working hours")
    }

    func testRoutingMistakesNameTheLineAndKey() {
        func failure(_ routing: String) -> String {
            do {
                _ = try model(routing)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(failure("routes:\n  ae: { motion: ae, team: closers }").contains("routing.routes.ae.team: refers to unknown team \"closers\""))
        XCTAssertTrue(failure("routes:\n  ae: { motion: ae }").contains("give it a team, or set routing.fallback_owner"))
        XCTAssertTrue(failure("routes:\n  x: { motion: nurture, when: { stage: excluded } }").contains("must be pql or sales_ready"))
        XCTAssertTrue(failure("teams:\n  ae: { reps: [{ email: a@example.com, timezone: Mars/Olympus }] }").contains("unknown time zone"))
        XCTAssertTrue(failure("teams:\n  ae: { reps: [{ email: a@example.com, hours: 9-5 }] }").contains("must be a daily span"))
        XCTAssertTrue(failure("plays:\n  p: { signals: [nope], talk_track: hi }").contains("test.yaml:11: routing.plays.p.signals[0]: refers to unknown signal \"nope\""))
    }

    func testBriefNamesTheChampionTheWhyNowAndThePlay() throws {
        let model = try self.model(standardRouting + """

        plays:
          usage: { title: Usage pressure, signals: [limit_hit], talk_track: "{champion} at {account} hit limits: {reason}" }
          general: { talk_track: "Check in with {champion}" }
        plan_limits:
          invites: { label: Seats, signal: invites, limit: 3 }
        """)
        var engine = Engine(model: model)
        engine.ingest([
            identify("u1", email: "ana@acme.com", traits: ["name": "Ana", "title": "VP Data"]), group("u1", "ws1", traits: ["domain": "acme.com"]),
            identify("u2", email: "bo@acme.com"), group("u2", "ws1"),
            track("Plan Limit Hit", user: "u1", at: daysBefore(1)), track("Plan Limit Hit", user: "u1", at: daysBefore(2)),
            track("Teammate Invited", user: "u1", at: daysBefore(3)), track("Teammate Invited", user: "u2", at: daysBefore(3)),
            track("Teammate Invited", user: "u1", at: daysBefore(4)), track("Teammate Invited", user: "u1", at: daysBefore(20)),
        ])
        let score = try XCTUnwrap(engine.score(account: "ws1", asOf: referenceDate))
        let candidate = engine.routingCandidate(for: score)
        let brief = BriefWriter(model: model).brief(score: score, state: candidate.state, profile: candidate.profile, motion: .ae, owner: "Dana")
        XCTAssertEqual(brief.champion?.name, "Ana")
        XCTAssertEqual(brief.champion?.title, "VP Data")
        XCTAssertEqual(brief.champion?.events, 5)
        XCTAssertEqual(brief.activeUsers7d, 2)
        XCTAssertEqual(brief.company?.confidence, "low", "the workspace names acme.com but there is no firmographic record")
        XCTAssertEqual(brief.usage, [HandoffBrief.Usage(label: "Seats", used: 3, limit: 3)])
        XCTAssertEqual(brief.whyNow, "Limit hit: 2 in 14 days (latest yesterday)")
        XCTAssertEqual(brief.play?.title, "Usage pressure")
        XCTAssertTrue(brief.play?.talkTrack.hasPrefix("Ana at acme.com hit limits: Limit hit: 2 in 14 days") ?? false, brief.play?.talkTrack ?? "")
        XCTAssertEqual(brief.recentFeatures.map(\.label), ["Invites", "Limit hit"])
    }

    func testABriefShowsOnlyTheLimitsOfTheAccountsPlan() throws {
        let model = try self.model(standardRouting + """

        plan_limits:
          free_seats: { label: Seats (free plan), signal: invites, limit: 3, when: { field: workspace.plan, in: [free] } }
          team_seats: { label: Seats (Team plan), signal: invites, limit: 20, when: { field: workspace.plan, equals: team } }
          limit_hits: { label: Limit hits, signal: limit_hit, limit: 10 }
        """)
        var engine = Engine(model: model)
        engine.ingest([
            group("u1", "free_ws", traits: ["plan": "free"]), group("u2", "team_ws", traits: ["plan": "team"]), group("u3", "unknown_ws"),
            track("Teammate Invited", user: "u1", group: "free_ws", at: daysBefore(1)),
            track("Teammate Invited", user: "u2", group: "team_ws", at: daysBefore(1)),
            track("Teammate Invited", user: "u2", group: "team_ws", at: daysBefore(2)),
            track("Teammate Invited", user: "u3", group: "unknown_ws", at: daysBefore(1)),
        ])
        func usage(_ workspace: String) throws -> [HandoffBrief.Usage] {
            let score = try XCTUnwrap(engine.score(account: workspace, asOf: referenceDate))
            let candidate = engine.routingCandidate(for: score)
            return BriefWriter(model: model).brief(score: score, state: candidate.state, profile: candidate.profile, motion: .ae, owner: nil).usage
        }
        XCTAssertEqual(try usage("free_ws"), [HandoffBrief.Usage(label: "Seats (free plan)", used: 1, limit: 3), HandoffBrief.Usage(label: "Limit hits", used: 0, limit: 10)])
        XCTAssertEqual(try usage("team_ws"), [HandoffBrief.Usage(label: "Seats (Team plan)", used: 2, limit: 20), HandoffBrief.Usage(label: "Limit hits", used: 0, limit: 10)])
        XCTAssertEqual(try usage("unknown_ws"), [HandoffBrief.Usage(label: "Limit hits", used: 0, limit: 10)], "no plan trait: only the limit without `when`")
    }

    func testAPlanLimitWithABadWhenNamesWhere() throws {
        XCTAssertThrowsError(try model(standardRouting + "\nplan_limits:\n  s: { signal: invites, limit: 3, when: { field: workspace.plan, within: [free] } }")) { error in
            XCTAssertTrue("\(error)".contains("routing.plan_limits.s.when"), "\(error)")
        }
    }
}
