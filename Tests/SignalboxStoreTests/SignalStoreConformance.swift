import Foundation
import SignalboxCore
import SignalboxStore
import XCTest

/// The behaviour every ``SignalStore`` must have. Each backend's test class runs every check.
struct SignalStoreConformance {
    let makeStore: () throws -> any SignalStore

    static let start = Date(timeIntervalSince1970: 1_793_491_200)

    static let model = CompiledModel(try! ConfigLoader.load(yaml: """
    signals:
      projects: { category: value, event: Project Created, window: 14d, points: 10 }
    stages:
      pql: { score: 30 }
      sales_ready: { score: 60 }
    """, file: "conformance.yaml"))

    static func event(_ id: String, _ name: String = "Project Created", type: EventType = .track, user: String = "u1",
                      group: String? = "ws1", daysAgo: Double = 1) -> Event {
        Event(messageId: id, type: type, userId: user, groupId: group, name: type == .track ? name : nil,
              properties: ["n": 1], traits: type == .group ? ["name": "Acme"] : [:],
              timestamp: start.addingTimeInterval(-daysAgo * 86_400))
    }

    func appendKeepsOneCopyPerSourceAndMessageId() throws {
        let store = try makeStore()
        let first = try store.appendEvents([Self.event("a"), Self.event("b"), Self.event("a")], source: "web")
        XCTAssertEqual(first.map(\.messageId), ["a", "b"])
        XCTAssertEqual(try store.appendEvents([Self.event("a")], source: "web").count, 0)
        XCTAssertEqual(try store.appendEvents([Self.event("a")], source: "mobile").count, 1)
        XCTAssertEqual(try store.statistics().events, 3)
    }

    func eventsReplayInStoredOrderUpToAMoment() throws {
        let store = try makeStore()
        _ = try store.appendEvents([Self.event("late", daysAgo: 1), Self.event("early", daysAgo: 5), Self.event("mid", daysAgo: 3)], source: "web")
        var seen: [String] = []
        try store.forEachEvent(until: Self.start.addingTimeInterval(-2 * 86_400)) { seen.append($0.messageId) }
        XCTAssertEqual(seen, ["early", "mid"], "stored order, newest event excluded")
        var replayed: Event?
        try store.forEachEvent(until: nil) { if $0.messageId == "late" { replayed = $0 } }
        XCTAssertEqual(replayed, Self.event("late", daysAgo: 1))
        var between: [String] = []
        try store.forEachEvent(after: Self.start.addingTimeInterval(-3 * 86_400), until: Self.start) { between.append($0.messageId) }
        XCTAssertEqual(between, ["late"], "after is exclusive, until inclusive")
        var selected: [[String: JSONValue]] = []
        try store.forEachEvent(until: nil, properties: .only(["plan"])) { selected.append($0.properties) }
        XCTAssertEqual(selected, [[:], [:], [:]], "a replay for scoring builds only the properties asked for")
    }

    func engineRoundTripsThroughTheStore() throws {
        let store = try makeStore()
        var engine = try store.loadEngine(model: Self.model)
        let events = [Self.event("g", type: .group), Self.event("p1"), Self.event("p2", daysAgo: 2), Self.event("orphan", user: "u9", group: nil)]
        let fresh = try store.appendEvents(events, source: "web")
        engine.ingest(fresh)
        try store.saveEngine(engine, changes: engine.takeChanges())
        let reloaded = try store.loadEngine(model: Self.model)
        XCTAssertEqual(reloaded.identity, engine.identity)
        XCTAssertEqual(reloaded.states, engine.states)
        XCTAssertEqual(reloaded.parked, engine.parked)
        XCTAssertEqual(reloaded.score(account: "ws1", asOf: Self.start), engine.score(account: "ws1", asOf: Self.start))
    }

    func identitySavedInStepsReloadsWhole() throws {
        let store = try makeStore()
        var engine = try store.loadEngine(model: Self.model)
        func identify(_ id: String, user: String?, anonymous: String?, traits: [String: JSONValue], daysAgo: Double) -> Event {
            Event(messageId: id, type: .identify, userId: user, anonymousId: anonymous, traits: traits,
                  timestamp: Self.start.addingTimeInterval(-daysAgo * 86_400))
        }
        let steps: [[Event]] = [
            [identify("i1", user: nil, anonymous: "anon-1", traits: ["email": "ada@acme.com", "plan": "free"], daysAgo: 3)],
            [identify("i2", user: "u1", anonymous: "anon-1", traits: ["title": "CTO"], daysAgo: 2), Self.event("g", type: .group)],
            [Self.event("p1"), Self.event("g2", type: .group, user: "u2", group: "ws2")],
            [identify("i3", user: "u1", anonymous: nil, traits: ["plan": "team"], daysAgo: 0.987_654_321)],
        ]
        for step in steps {
            engine.ingest(try store.appendEvents(step, source: "web"))
            try store.saveEngine(engine, changes: engine.takeChanges())
            XCTAssertEqual(try store.loadEngine(model: Self.model).identity, engine.identity)
        }
        let person = try store.loadEngine(model: Self.model).identity.people["u1"]
        XCTAssertEqual(person?.traits["email"], "ada@acme.com", "the anonymous visitor's traits moved to the user")
        XCTAssertEqual(person?.traits["plan"], "team")
        XCTAssertNil(try store.loadEngine(model: Self.model).identity.people["anon-1"])
    }

    func changedModelRebuildsStateFromStoredEvents() throws {
        let store = try makeStore()
        var engine = try store.loadEngine(model: Self.model)
        engine.ingest(try store.appendEvents([Self.event("g", type: .group), Self.event("p1"), Self.event("p2")], source: "web"))
        try store.saveEngine(engine, changes: engine.takeChanges())
        var changed = Self.model.config
        changed.signals[0].points = 25
        changed.signals[0].window = 30 * 86_400
        let rebuilt = try store.loadEngine(model: CompiledModel(changed))
        XCTAssertEqual(rebuilt.score(account: "ws1", asOf: Self.start)?.value, 50)
        XCTAssertEqual(rebuilt.states["ws1"], engine.states["ws1"], "same events under a wider window rebuild to the same buckets")
    }

    func appendsInsideOneTransactionAreAllKeptInOrder() throws {
        let store = try makeStore()
        let fresh = try store.transaction {
            try (1...5).flatMap { round in
                try store.appendEvents([Self.event("m\(round)"), Self.event("m\(round - 1)")], source: "web")
            }
        }
        XCTAssertEqual(fresh.map(\.messageId), ["m1", "m0", "m2", "m3", "m4", "m5"], "a repeat inside the transaction is a duplicate")
        var stored: [String] = []
        try store.forEachEvent(until: nil) { stored.append($0.messageId) }
        XCTAssertEqual(stored, ["m1", "m0", "m2", "m3", "m4", "m5"])
        XCTAssertEqual(try store.statistics().events, 6)
    }

    func failedTransactionKeepsNothing() throws {
        struct Abort: Error {}
        let store = try makeStore()
        XCTAssertThrowsError(try store.transaction {
            _ = try store.appendEvents([Self.event("a")], source: "web")
            try store.recordRejects([RejectedMessage(source: "web", location: "f:1", code: "invalid_json", message: "m", payload: "{")])
            throw Abort()
        })
        XCTAssertEqual(try store.statistics().events, 0)
        XCTAssertEqual(try store.statistics().rejects, 0)
        XCTAssertEqual(try store.appendEvents([Self.event("a")], source: "web").count, 1)
    }

    /// Appends written out early (as an import does while its engine catches up) still commit or
    /// roll back with their transaction, and still dedupe what follows.
    func appendsFinishedEarlyStayInTheirTransaction() throws {
        struct Abort: Error {}
        let store = try makeStore()
        try store.transaction {
            XCTAssertEqual(try store.appendEvents([Self.event("a"), Self.event("b")], source: "web").count, 2)
            try store.finishAppends()
            XCTAssertEqual(try store.appendEvents([Self.event("b"), Self.event("c")], source: "web").map(\.messageId), ["c"])
            try store.finishAppends()
        }
        XCTAssertEqual(try store.statistics().events, 3)
        XCTAssertEqual(try store.appendEvents([Self.event("a"), Self.event("c")], source: "web").count, 0)
        XCTAssertThrowsError(try store.transaction {
            _ = try store.appendEvents([Self.event("d")], source: "web")
            try store.finishAppends()
            throw Abort()
        })
        XCTAssertEqual(try store.statistics().events, 3, "written early, still rolled back")
        XCTAssertEqual(try store.appendEvents([Self.event("d")], source: "web").count, 1)
    }

    func scoresHistoryCompaniesAndRejectsPersist() throws {
        let store = try makeStore()
        try store.upsertCompanies([Company(domain: "acme.com", name: "Acme", employees: 10), Company(domain: "acme.com", name: "Acme Inc", employees: 20)])
        XCTAssertEqual(try store.loadEngine(model: Self.model).companies["acme.com"]?.employees, 20)

        var engine = try store.loadEngine(model: Self.model)
        engine.ingest([Self.event("g", type: .group), Self.event("p")])
        for offset in [2.0, 1.0] {
            let asOf = Self.start.addingTimeInterval(-offset * 86_400 + 3_600)
            try store.saveScores(engine.scoreAll(asOf: asOf), history: true)
        }
        XCTAssertEqual(try store.scoreHistory()["ws1"]?.map(\.total).count, 2)

        let reject = RejectedMessage(source: "web", location: "events.ndjson:3", code: "invalid_json", message: "bad", payload: "{")
        try store.recordRejects([reject])
        XCTAssertEqual(try store.rejects(limit: 10), [reject])
        XCTAssertEqual(try store.statistics().latestEvent, nil)
    }

    func stagesTransitionsAndLatestScoresPersist() throws {
        let store = try makeStore()
        var engine = try store.loadEngine(model: Self.model)
        engine.ingest([Self.event("g", type: .group), Self.event("p1"), Self.event("p2"), Self.event("p3", group: "ws2")])
        let scores = engine.scoreAll(asOf: Self.start)
        try store.saveScores(scores, history: false)
        XCTAssertTrue(try store.scoreHistory(account: "ws1").isEmpty, "without history only the latest score is kept")
        let page = try store.latestScores(stage: nil, limit: 1, offset: 0)
        XCTAssertEqual(page.total, 2)
        XCTAssertEqual(page.scores.map(\.accountId), ["ws1"], "highest total first")
        XCTAssertEqual(page.scores.first?.reasons, scores.first { $0.accountId == "ws1" }?.reasons)
        XCTAssertEqual(try store.latestScores(stage: nil, limit: 5, offset: 1).scores.map(\.accountId), ["ws2"])
        XCTAssertEqual(try store.latestScores(stage: .salesReady, limit: 5, offset: 0).total, 0)

        var tracker = StageTracker(stages: try store.currentStages())
        let first = tracker.changes(scores)
        try store.recordStages(first)
        tracker.record(first)
        XCTAssertEqual(try store.currentStages(), tracker.stages)
        let later = scores.map { score -> AccountScore in
            var moved = score
            moved.stage = .salesReady
            moved.asOf = Self.start.addingTimeInterval(3_600)
            return moved
        }
        try store.recordStages(tracker.changes(later))
        let feed = try store.stageTransitions(after: 0, account: nil, limit: 10)
        XCTAssertEqual(feed.map(\.transition.to).suffix(2), [.salesReady, .salesReady])
        XCTAssertEqual(feed.map(\.id), feed.map(\.id).sorted())
        let ws2 = try store.stageTransitions(after: 0, account: "ws2", limit: 10)
        XCTAssertEqual(ws2.last?.transition, tracker.changes(later).transitions.first { $0.accountId == "ws2" })
        XCTAssertTrue(try store.stageTransitions(after: feed.last!.id, account: nil, limit: 10).isEmpty)
        XCTAssertEqual(try store.currentStages()["ws1"], .salesReady)
    }

    func recentEventsComeNewestFirst() throws {
        let store = try makeStore()
        _ = try store.appendEvents([Self.event("old", daysAgo: 3), Self.event("other", group: "ws2", daysAgo: 0)], source: "web")
        _ = try store.appendEvents([Self.event("new", daysAgo: 1)], source: "web")
        let recent = try store.recentEvents(limit: 5) { $0.groupId == "ws1" }
        XCTAssertEqual(recent.map(\.messageId), ["new", "old"])
        XCTAssertEqual(try store.recentEvents(limit: 1) { _ in true }.map(\.messageId), ["new"])
    }

    func routingDecisionsAndTheLedgerPersist() throws {
        let store = try makeStore()
        func decision(_ account: String, key: String, route: String, outcome: RouteDecision.Outcome, owner: String?, hoursAgo: Double, stage: Stage = .pql) -> RouteDecision {
            let at = Self.start.addingTimeInterval(-hoursAgo * 3_600)
            return RouteDecision(
                accountId: account, routingKey: key, at: at, stage: stage, total: 50, route: route, motion: .sdr, outcome: outcome,
                reason: "test", owner: owner.map { Assignment(email: $0, name: $0, team: "sdr", method: .roundRobin, day: Timestamp.format(at).prefix(10).description) }
            )
        }
        let decisions = [
            decision("ws1", key: "acme.com", route: "sdr", outcome: .handoff, owner: "ari@example.com", hoursAgo: 200),
            decision("ws1", key: "acme.com", route: "sdr", outcome: .handoff, owner: "mia@example.com", hoursAgo: 20, stage: .salesReady),
            decision("ws2", key: "acme.com", route: "sdr", outcome: .merged, owner: nil, hoursAgo: 20),
            decision("ws3", key: "ws3", route: "nurture", outcome: .handoff, owner: nil, hoursAgo: 2),
            decision("ws4", key: "ws4", route: "sdr", outcome: .deferred, owner: nil, hoursAgo: 1),
        ]
        try store.recordRouting(decisions, credits: ["sdr": ["ari@example.com": -0.5, "mia@example.com": 0.5]])
        let ledger = try store.routingLedger(asOf: Self.start)
        XCTAssertEqual(ledger.credits, ["sdr": ["ari@example.com": -0.5, "mia@example.com": 0.5]])
        XCTAssertEqual(ledger.owners, ["acme.com": "mia@example.com"], "the latest handoff's owner")
        XCTAssertEqual(ledger.lastHandoffs["acme.com"]?["sdr"], PastHandoff(at: decisions[1].at, stage: .salesReady))
        XCTAssertEqual(ledger.lastHandoffs["ws3"]?["nurture"]?.stage, .pql)
        XCTAssertNil(ledger.lastHandoffs["ws4"], "a deferred account was never handed off")
        XCTAssertEqual(ledger.daily["mia@example.com"], [decisions[1].owner!.day: 1])
        XCTAssertNil(ledger.daily["ari@example.com"], "day counts reach back a few days, not forever")

        var expected = RoutingLedger()
        for item in decisions { expected.record(item) }
        expected.credits = ledger.credits
        expected.daily["ari@example.com"] = nil
        XCTAssertEqual(ledger, expected, "the stored ledger is the one recording the decisions builds")

        let feed = try store.routeDecisions(after: 0, account: nil, limit: 10)
        XCTAssertEqual(feed.map(\.decision), decisions)
        XCTAssertEqual(try store.routeDecisions(after: feed[1].id, account: "ws1", limit: 10).count, 0)
        XCTAssertEqual(try store.routeDecisions(after: 0, account: "ws1", limit: 10).map(\.decision.owner?.email), ["ari@example.com", "mia@example.com"])
        try store.recordRouting([], credits: ["sdr": ["ari@example.com": 1]])
        XCTAssertEqual(try store.routingLedger(asOf: Self.start).credits["sdr"], ["ari@example.com": 1, "mia@example.com": 0.5])
    }

    func outcomesAreKeptOnceAndTheirACVUpdated() throws {
        let store = try makeStore()
        let won = Outcome(key: .workspace("ws1"), convertedAt: Self.start, acv: 10_000)
        let lost = Outcome(key: .domain("acme.com"), convertedAt: nil, lostAt: Self.start)
        XCTAssertEqual(try store.recordOutcomes([won, lost], source: "file"), 2)
        var repriced = won
        repriced.acv = 12_000
        XCTAssertEqual(try store.recordOutcomes([repriced, lost], source: "api"), 0, "a repeat, with or without empty times, is not new")
        XCTAssertEqual(try store.outcomes(), [repriced, lost])
    }
}
