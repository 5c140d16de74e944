import Foundation
import SignalboxCore
import SignalboxStore

/// Real handoffs: a small product world under the weighted preset, scored and routed, recorded in a
/// SQLite store in a temporary directory with the destinations a test names.
struct HandoffFixture {
    /// Monday 2026-11-02T15:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_793_631_600)

    let directory: URL
    let store: SQLiteStore
    let decisions: [RouteDecision]

    /// `name` gives each account's company and workspace name from its index.
    init(accounts: Int, destinations: [String], name: (Int) -> String = { "Company \($0)" }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("signalbox.sqlite").path)
        var config = try Preset.weighted.config()
        config.routing.teams["ae"]?.reps[0].crmIds = ["hubspot": "77", "salesforce": "005STANDINREP"]
        var engine = Engine(model: CompiledModel(config))
        var events: [Event] = []
        for index in 0..<accounts {
            let domain = "company\(index).com"
            engine.companies[domain] = Company(domain: domain, name: name(index), employees: 400, industry: "Software", country: "US")
            let user = "u\(index)"
            let workspace = "ws\(index)"
            func at(_ days: Double) -> Date { Self.now.addingTimeInterval(-days * 86_400) }
            events.append(Event(messageId: "\(index)-i", type: .identify, userId: user, traits: ["email": .string("ana@\(domain)"), "name": "Ana", "title": "VP Data"], timestamp: at(30)))
            events.append(Event(messageId: "\(index)-g", type: .group, userId: user, groupId: workspace, traits: ["name": .string(name(index)), "domain": .string(domain)], timestamp: at(30)))
            for (offset, name) in ["Project Created", "Project Created", "Integration Connected", "Contact Sales Requested"].enumerated() {
                events.append(Event(messageId: "\(index)-t\(offset)", type: .track, userId: user, groupId: workspace, name: name, timestamp: at(Double(4 - offset))))
            }
        }
        engine.ingest(events)
        var ledger = RoutingLedger()
        var decisions = Router(model: engine.model).route(engine.scoreAll(asOf: Self.now).map(engine.routingCandidate), ledger: &ledger)
        for index in decisions.indices { decisions[index].destinations = destinations }
        try store.recordRouting(decisions, credits: ledger.credits)
        self.decisions = decisions
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
