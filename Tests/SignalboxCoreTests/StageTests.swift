import XCTest
@testable import SignalboxCore

final class StageTests: XCTestCase {
    private let yaml = """
    signals:
      projects: { category: value, event: Project Created, points: 10, cap: 60 }
      pricing: { category: intent, page: Pricing, points: 20, cap: 60 }
      contact: { category: intent, event: Contact Sales Requested, once: true, window: 30d, points: 10 }
    fit:
      size: { field: employees, between: [50, 5000], points: 80 }
      small: { field: employees, between: [1, 49], points: 20 }
    weights: { fit: 0.35, value: 0.45, intent: 0.20 }
    stages:
      pql: { score: 30, gates: { value: 20 } }
      sales_ready: { score: 55, gates: { fit: 70, value: 50 } }
    fast_lane:
      signals: [contact]
      window: 14d
      min_fit: 40
    exclusions:
      internal_domains: [acmeanalytics.io]
      name_patterns: [test, qa]
      education: true
      competitor_domains: [rivalmetrics.com]
      accounts: [ws_blocked]
    """

    private func stage(projects: Int, employees: Double? = 300, events extra: [Event] = [], name: String = "Northwind",
                       domain: String = "northwind.com", account: String = "ws1") throws -> AccountScore {
        let model = CompiledModel(try config(yaml))
        var engine = Engine(model: model)
        engine.ingest([group("u1", "ws1")] + (0..<projects).map { _ in track("Project Created", at: daysBefore(1)) } + extra)
        let company = employees.map { Company(domain: domain, employees: $0) }
        let profile = AccountProfile(accountId: account, name: name, domain: domain, company: company)
        return Scorer(model: model).score(engine.state(ofWorkspaces: ["ws1"]), profile: profile, asOf: referenceDate)
    }

    func testSalesReadyNeedsEveryGate() throws {
        let ready = try stage(projects: 6)
        XCTAssertEqual(ready.stage, .salesReady)
        XCTAssertTrue(ready.stageReason.contains("fit 80 ≥ 70"), ready.stageReason)

        let poorFit = try stage(projects: 6, employees: 10)
        XCTAssertEqual(poorFit.stage, .pql)
        XCTAssertTrue(poorFit.stageReason.contains("not sales-ready: total 34 < 55"), poorFit.stageReason)
    }

    func testUnknownFitFailsFitGate() throws {
        let pricing = (0..<3).map { _ in
            Event(messageId: UUID().uuidString, type: .page, userId: "u1", groupId: "ws1", name: "Pricing", timestamp: daysBefore(1))
        }
        let result = try stage(projects: 6, employees: nil, events: pricing)
        XCTAssertNil(result.fit)
        XCTAssertEqual(result.total, 60, accuracy: 0.1)
        XCTAssertEqual(result.stage, .pql)
        XCTAssertTrue(result.stageReason.contains("gate fit ≥ 70 not met: fit unknown"), result.stageReason)
    }

    func testBelowThresholdsIsNotPQL() throws {
        let result = try stage(projects: 1, employees: 10)
        XCTAssertEqual(result.stage, .notPQL)
        XCTAssertTrue(result.stageReason.hasPrefix("Not a PQL: total"), result.stageReason)
    }

    func testFastLaneMakesHandRaisersSalesReady() throws {
        let result = try stage(projects: 0, events: [track("Contact Sales Requested", at: daysBefore(3))])
        XCTAssertEqual(result.stage, .salesReady)
        XCTAssertEqual(result.stageReason, "Fast lane: Contact 3 days ago")
    }

    func testFastLaneExpiresAndRespectsMinimumFit() throws {
        XCTAssertNotEqual(try stage(projects: 0, events: [track("Contact Sales Requested", at: daysBefore(20))]).stage, .salesReady)
        XCTAssertNotEqual(try stage(projects: 0, employees: 10, events: [track("Contact Sales Requested", at: daysBefore(1))]).stage, .salesReady)
    }

    func testExclusionsWinOverEverything() throws {
        let hot = [track("Contact Sales Requested", at: daysBefore(1))]
        let cases: [(String, String, String, String)] = [
            ("Acme", "acmeanalytics.io", "ws1", "Excluded: internal domain acmeanalytics.io"),
            ("Rival", "eu.rivalmetrics.com", "ws1", "Excluded: competitor rivalmetrics.com"),
            ("Uni", "cs.stanford.edu", "ws1", "Excluded: education domain cs.stanford.edu"),
            ("Oxford", "ox.ac.uk", "ws1", "Excluded: education domain ox.ac.uk"),
            ("QA test Northwind", "northwind.com", "ws1", "Excluded: name \"QA test Northwind\" matches \"test\""),
            ("Northwind", "northwind.com", "ws_blocked", "Excluded: account ws_blocked is on the exclusion list"),
        ]
        for (name, domain, account, reason) in cases {
            let result = try stage(projects: 6, events: hot, name: name, domain: domain, account: account)
            XCTAssertEqual(result.stage, .excluded, name)
            XCTAssertEqual(result.stageReason, reason)
        }
    }

    func testNamePatternsMatchWholeWords() throws {
        XCTAssertEqual(try stage(projects: 6, name: "Contest Labs").stage, .salesReady)
        XCTAssertEqual(try stage(projects: 6, name: "test-ws-4").stage, .excluded)
        XCTAssertEqual(try stage(projects: 6, name: "Équipe QA Zürich").stage, .excluded, "words outside ASCII are still words")
        XCTAssertEqual(try stage(projects: 6, name: "Qualité Zürich").stage, .salesReady)
    }

    func testExcludedDomainsMatchWholeLabels() throws {
        XCTAssertEqual(try stage(projects: 6, domain: "notrivalmetrics.com").stage, .salesReady)
        XCTAssertEqual(try stage(projects: 6, domain: "edu.example.com").stage, .salesReady, "edu as the first label is a host name")
        XCTAssertFalse(DomainName.isSameOrSubdomain("rivalmetrics.com", of: "eu.rivalmetrics.com"))
        XCTAssertTrue(DomainName.isSameOrSubdomain("a.b.rivalmetrics.com", of: "rivalmetrics.com"))
    }

    func testTierMatrixPlacesAccountsByCell() throws {
        let matrix = try config("""
        signals:
          projects: { category: value, event: Project Created, points: 10 }
        fit:
          size: { field: employees, between: [50, 5000], points: 80 }
        stages:
          matrix:
            fit_tiers: { A: 75, B: 50, C: 0 }
            engagement_tiers: { high: 45, low: 0 }
            sales_ready: [A-high]
            pql: [A-low, B-high]
        """)
        let model = CompiledModel(matrix)
        var engine = Engine(model: model)
        engine.ingest([group("u1", "ws1")] + (0..<7).map { _ in track("Project Created", at: daysBefore(1)) })
        let profile = AccountProfile(accountId: "ws1", company: Company(domain: "a.com", employees: 100))
        let result = Scorer(model: model).score(engine.state(ofWorkspaces: ["ws1"]), profile: profile, asOf: referenceDate)
        XCTAssertEqual(result.stage, .salesReady)
        XCTAssertTrue(result.stageReason.contains("cell A-high"), result.stageReason)
    }

    func testEveryPresetLoads() throws {
        for preset in Preset.allCases {
            XCTAssertNoThrow(try preset.config(), preset.rawValue)
        }
        XCTAssertEqual(try Preset.warmHotReady.config().bands.map(\.name), ["warm", "hot", "ready"])
    }
}
