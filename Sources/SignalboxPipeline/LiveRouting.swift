import Foundation
import SignalboxCore
import SignalboxStore

/// Routing inside live scoring: the accounts a round moved up into PQL or sales-ready are routed
/// at once, and the decisions (with their outbox messages) are recorded in the same transaction as
/// the stage changes. The ledger stays in memory between rounds and is adopted only once a round
/// commits.
struct LiveRouting {
    private(set) var ledger: RoutingLedger
    private let enabled: Bool

    init(store: any SignalStore, model: CompiledModel, now: Date) throws {
        ledger = try store.routingLedger(asOf: now)
        enabled = model.config.routing.isConfigured
    }

    /// The decisions for the accounts `observation` moved up into a routed stage, and the ledger after them.
    func plan(_ observation: StageObservation, scores: [AccountScore], engine: Engine) -> (decisions: [RouteDecision], ledger: RoutingLedger) {
        guard enabled else { return ([], ledger) }
        let risen = Set(observation.transitions.filter { transition in
            (transition.to == .pql || transition.to == .salesReady) && transition.to > (transition.from ?? .notPQL)
        }.map(\.accountId))
        guard !risen.isEmpty else { return ([], ledger) }
        var next = ledger
        let candidates = scores.filter { risen.contains($0.accountId) }.map(engine.routingCandidate)
        return (Router(model: engine.model).route(candidates, ledger: &next), next)
    }

    mutating func adopt(_ ledger: RoutingLedger) {
        self.ledger = ledger
    }
}
