import Foundation
import SignalboxCore
import SignalboxStore

/// Routing inside live scoring: the accounts a round moved up into PQL or sales-ready are routed
/// at once, and the decisions (with their outbox messages) are recorded in the same transaction as
/// the stage changes. Accounts deferred because every rep was at capacity are tried again whenever
/// a round scores them (the periodic rescoring scores all). The ledger stays in memory between
/// rounds and is adopted only once a round commits.
struct LiveRouting {
    /// Routing's state after the last committed round.
    struct State {
        var ledger: RoutingLedger
        /// Accounts waiting for rep capacity.
        var deferred: Set<String>
    }

    private(set) var state: State
    private let enabled: Bool

    init(store: any SignalStore, model: CompiledModel, now: Date) throws {
        state = State(ledger: try store.routingLedger(asOf: now), deferred: try store.deferredAccounts())
        enabled = model.config.routing.isConfigured
    }

    /// The decisions to record for the accounts `observation` moved up into a routed stage and,
    /// with `retryDeferred`, for waiting accounts `scores` still holds in one; and routing's state
    /// after them. An account that is still waiting is not recorded again.
    func plan(_ observation: StageObservation, scores: [AccountScore], engine: Engine, retryDeferred: Bool) -> (decisions: [RouteDecision], state: State) {
        guard enabled else { return ([], state) }
        let risen = Set(observation.transitions.filter { transition in
            (transition.to == .pql || transition.to == .salesReady) && transition.to > (transition.from ?? .notPQL)
        }.map(\.accountId))
        let candidates = scores.filter { risen.contains($0.accountId) || (retryDeferred && state.deferred.contains($0.accountId)) }
        guard !candidates.isEmpty else { return ([], state) }
        var next = state
        let decisions = Router(model: engine.model).route(candidates.map(engine.routingCandidate), ledger: &next.ledger)
        for score in candidates { next.deferred.remove(score.accountId) }
        for decision in decisions where decision.outcome == .deferred { next.deferred.insert(decision.accountId) }
        return (decisions.filter { $0.outcome != .deferred || !state.deferred.contains($0.accountId) }, next)
    }

    mutating func adopt(_ state: State) {
        self.state = state
    }
}
