import XCTest
@testable import SignalboxCore

final class IdentityTests: XCTestCase {
    private let model = CompiledModel(try! ConfigLoader.load(yaml: """
    signals:
      projects: { category: value, event: Project Created, points: 10 }
      pricing: { category: intent, page: Pricing, points: 10 }
    stages:
      pql: { score: 30 }
      sales_ready: { score: 60 }
    """, file: "test.yaml"))

    func testIdentifyMergesAnonymousActivityIntoTheUser() {
        var engine = Engine(model: model)
        let anonymousPricing = Event(messageId: "a1", type: .page, anonymousId: "anon-1", name: "Pricing", timestamp: daysBefore(3))
        engine.ingest([anonymousPricing])
        XCTAssertEqual(engine.parked["anon-1"]?.count, 1, "activity with no workspace waits for its actor")
        engine.ingest([identify("u1", anonymousId: "anon-1", at: daysBefore(2)), group("u1", "ws1", at: daysBefore(2))])
        XCTAssertTrue(engine.parked.isEmpty)
        XCTAssertEqual(engine.states["ws1"]?.signals["pricing"]?.count, 1)
        XCTAssertEqual(engine.states["ws1"]?.users.keys.sorted(), ["u1"])
    }

    func testEngineRecordsWhatChangedForTheStore() {
        var engine = Engine(model: model)
        engine.ingest([track("Project Created", user: "anon-1", group: nil, at: daysBefore(3))])
        var changes = engine.takeChanges()
        XCTAssertTrue(changes.parked)
        XCTAssertTrue(changes.workspaces.isEmpty)

        engine.ingest([identify("u1", anonymousId: "anon-1", email: "ada@acme.com", at: daysBefore(2)), group("u1", "ws1", at: daysBefore(2))])
        changes = engine.takeChanges()
        XCTAssertEqual(changes.workspaces, ["ws1"], "the parked activity was released into ws1")
        XCTAssertTrue(changes.parked)
        XCTAssertEqual(changes.identity.links, ["anon-1"])
        XCTAssertEqual(changes.identity.people, ["u1"])
        XCTAssertEqual(changes.identity.workspaces, ["ws1"])
        XCTAssertEqual(changes.identity.memberships, [Membership(actor: "u1", workspace: "ws1")])

        engine.ingest([track("Project Created", at: daysBefore(1))])
        changes = engine.takeChanges()
        XCTAssertEqual(changes.workspaces, ["ws1"])
        XCTAssertTrue(changes.identity.isEmpty, "activity in a known workspace changes no identity row")
        XCTAssertFalse(changes.parked)
        XCTAssertTrue(engine.takeChanges().isEmpty)
    }

    /// The engine remembers each actor's user and workspaces between batches; a later link or
    /// membership must change where the actor's next activity goes, in the same batch or later.
    func testAnActorsLaterIdentityRedirectsItsNextActivity() throws {
        // A distinct-users metric keeps each user's activity for its window.
        var engine = Engine(model: CompiledModel(try ConfigLoader.load(yaml: """
        signals:
          pricing: { category: intent, page: Pricing, points: 10 }
          team: { category: value, metric: active_users, window: 30d, at_least: 2, points: 10 }
        stages:
          pql: { score: 30 }
          sales_ready: { score: 60 }
        """, file: "test.yaml")))
        let anonymous = { (id: String, day: Double) in
            Event(messageId: id, type: .page, anonymousId: "anon-1", name: "Pricing", timestamp: daysBefore(day))
        }
        engine.ingest([anonymous("p1", 10), track("Project Created", user: "u2", group: "ws2", at: daysBefore(10))])
        XCTAssertEqual(engine.parked["anon-1"]?.count, 1)

        // anon-1 becomes u1; u1 joins ws1 in a later batch, then the same anonymous id is active again.
        engine.ingest([identify("u1", anonymousId: "anon-1", at: daysBefore(9))])
        engine.ingest([anonymous("p2", 8)])
        XCTAssertEqual(engine.parked["anon-1"]?.count, 2, "still no workspace")
        engine.ingest([group("u1", "ws1", at: daysBefore(7)), anonymous("p3", 7)])
        XCTAssertTrue(engine.parked.isEmpty)
        XCTAssertEqual(engine.states["ws1"]?.signals["pricing"]?.count, 3)
        XCTAssertEqual(engine.states["ws1"]?.users.keys.sorted(), ["u1"], "counted under the user anon-1 became")

        // u1 also joins ws2 through another of its ids: its anonymous activity now counts for both.
        engine.ingest([Event(messageId: "g2", type: .group, anonymousId: "anon-1", groupId: "ws2", timestamp: daysBefore(6))])
        engine.ingest([anonymous("p4", 5)])
        XCTAssertEqual(engine.states["ws1"]?.signals["pricing"]?.count, 4)
        XCTAssertEqual(engine.states["ws2"]?.signals["pricing"]?.count, 1)

        // u2 is merged into u1 by an alias: u2's next activity counts as u1's.
        engine.ingest([Event(messageId: "a1", type: .alias, userId: "u1", previousId: "u2", timestamp: daysBefore(4))])
        engine.ingest([track("Project Created", user: "u2", group: "ws2", at: daysBefore(3))])
        XCTAssertEqual(engine.states["ws2"]?.users["u1"]?.events, 2, "u2's activity after the alias")
        XCTAssertEqual(engine.states["ws2"]?.users["u2"]?.events, 1, "u2's activity before it")
    }

    func testTraitsRoundTripThroughTheirStoredText() throws {
        var traits = TimedTraits()
        traits.merge(["name": .string("Zoë \"Z\" O'Neil\n"), "seats": .number(12), "ratio": .number(0.25), "tags": .array([.string("a"), .bool(true)])],
                     at: Date(timeIntervalSince1970: 1_787_135_746.744))
        traits.merge(["plan": .string("team"), "owner": .object(["id": .string("u1")])], at: Date(timeIntervalSince1970: 1_787_200_000))
        let text = traits.storedJSONText
        XCTAssertTrue(text.hasPrefix(#"{"name":["Zoë \"Z\" O'Neil\n",1787135746.744],"owner":"#), text)
        XCTAssertEqual(TimedTraits(storedJSON: try JSONParser.parse(text)), traits)
        XCTAssertEqual(TimedTraits().storedJSONText, "{}")
    }

    func testAliasLinksPreviousId() {
        var graph = IdentityGraph()
        graph.apply(Event(messageId: "x", type: .alias, userId: "u9", previousId: "anon-9", timestamp: referenceDate))
        graph.apply(Event(messageId: "y", type: .group, anonymousId: "anon-9", groupId: "ws9", timestamp: referenceDate))
        XCTAssertEqual(graph.resolve("anon-9"), "u9")
        XCTAssertEqual(graph.workspaces(of: "u9"), ["ws9"])
    }

    func testContextGroupIdMakesAUserAMemberOfSeveralWorkspaces() {
        var graph = IdentityGraph()
        graph.apply(track("Project Created", user: "u1", group: "ws1", at: referenceDate))
        graph.apply(track("Project Created", user: "u1", group: "ws2", at: referenceDate))
        XCTAssertEqual(graph.workspaces(of: "u1"), ["ws1", "ws2"])
    }

    func testDomainComesFromGroupTraitsThenWorkEmailsIgnoringPersonalOnes() {
        var graph = IdentityGraph()
        graph.apply(group("u1", "wsA", traits: ["website": "https://www.Acme.com/about"]))
        XCTAssertEqual(graph.domain(of: "wsA", personalDomains: IdentitySettings.defaultPersonalDomains), "acme.com")

        for (user, email) in [("u2", "a@gmail.com"), ("u3", "b@gmail.com"), ("u4", "c@globex.com"), ("u5", "d@globex.com"), ("u6", "e@initech.com")] {
            graph.apply(identify(user, email: email))
            graph.apply(group(user, "wsB"))
        }
        XCTAssertEqual(graph.domain(of: "wsB", personalDomains: IdentitySettings.defaultPersonalDomains), "globex.com")
        XCTAssertEqual(graph.emailDomains(of: "wsB", personalDomains: IdentitySettings.defaultPersonalDomains).personal, ["gmail.com"])

        graph.apply(identify("u7", email: "f@gmail.com"))
        graph.apply(group("u7", "wsC"))
        XCTAssertNil(graph.domain(of: "wsC", personalDomains: IdentitySettings.defaultPersonalDomains))
    }

    func testNewestTraitWinsWhateverTheArrivalOrder() {
        var graph = IdentityGraph()
        graph.apply(identify("u1", traits: ["title": "Head of Data"], at: daysBefore(1)))
        graph.apply(identify("u1", traits: ["title": "Analyst", "plan": "free"], at: daysBefore(5)))
        XCTAssertEqual(graph.people["u1"]?.traits["title"], "Head of Data")
        XCTAssertEqual(graph.people["u1"]?.traits["plan"], "free")
    }

    func testCompanyRollUpMergesWorkspacesOfOneDomain() throws {
        var settings = model.config
        settings.identity.accountLevel = .company
        var engine = Engine(model: CompiledModel(settings))
        engine.ingest([
            group("u1", "ws1", traits: ["domain": "acme.com", "name": "Acme EU"]),
            group("u2", "ws2", traits: ["domain": "acme.com", "name": "Acme US"]),
            group("u3", "ws3", traits: ["domain": "globex.com"]),
            track("Project Created", user: "u1", group: "ws1", at: daysBefore(1)),
            track("Project Created", user: "u2", group: "ws2", at: daysBefore(2)),
        ])
        XCTAssertEqual(engine.accounts()["acme.com"], ["ws1", "ws2"])
        let score = try XCTUnwrap(engine.score(account: "acme.com", asOf: referenceDate))
        XCTAssertEqual(score.value, 20)
        XCTAssertEqual(engine.state(ofWorkspaces: ["ws1", "ws2"]).activeUsers(asOf: referenceDate, windowDays: 7), 2)
    }

    func testShuffledInputGivesTheSameScoresAsOrderedInput() {
        var events: [Event] = []
        var generator = SystemRandomNumberGenerator()
        for index in 0..<40 {
            let user = "u\(index % 7)"
            let workspace = "ws\(index % 3)"
            events.append(identify(user, anonymousId: "anon\(index % 7)", email: "\(user)@co\(index % 3).com", at: daysBefore(30)))
            events.append(group(user, workspace, at: daysBefore(29)))
            events.append(Event(messageId: "p\(index)", type: .page, anonymousId: "anon\(index % 7)", name: "Pricing", timestamp: daysBefore(Double(index % 11))))
            events.append(track("Project Created", user: user, group: index % 4 == 0 ? nil : workspace, at: daysBefore(Double(index % 13))))
        }
        var ordered = Engine(model: model)
        ordered.ingest(events.sorted { $0.timestamp < $1.timestamp })
        var shuffled = Engine(model: model)
        shuffled.ingest(events.shuffled(using: &generator))
        // Decayed sums may differ in the last bits of a Double; everything a user sees must not.
        func visible(_ engine: Engine) -> [String] {
            engine.scoreAll(asOf: referenceDate).map { "\($0.accountId) \($0.stage) \($0.total) \($0.value) \($0.intent) \($0.reasons.map(\.text))" }
        }
        XCTAssertEqual(visible(ordered), visible(shuffled))
        XCTAssertEqual(ordered.identity, shuffled.identity)
    }
}

final class DomainNameTests: XCTestCase {
    func testAddressesAndWebsitesNormaliseAlikeOnThePlainAndTheFullPath() {
        let cases: [(String, String?)] = [
            ("jane@acme.com", "acme.com"), ("Jane@ACME.com", "acme.com"), ("acme.com", "acme.com"), ("www.acme.com.", "acme.com"),
            ("https://www.acme.com/pricing?x=1", "acme.com"), (" acme.io ", "acme.io"), ("eu.acme.co.uk", "eu.acme.co.uk"),
            ("jane@localhost", nil), ("", nil), ("@", nil), (".acme.com", nil), ("a@b@acme.com", "acme.com"), ("acme.com:8080", "acme.com"),
            ("jane@münchen.de", "münchen.de"), ("not a domain.com", nil),
            ("https://acme.com", "acme.com"), ("http://www.acme.com.:8080/x", "acme.com"), ("https://acme.com#top", "acme.com"),
            ("https://ACME.com/About", "acme.com"), ("https://acme.com/@team.io", "team.io"), ("https://acme_co.com", nil),
            ("https://localhost/x", nil), ("https:///acme.com", nil), ("https://münchen.de/", "münchen.de"),
        ]
        for (raw, expected) in cases { XCTAssertEqual(DomainName.normalize(raw), expected, raw) }
    }
}
