import Foundation
import SignalboxCore
import SignalboxStore

/// Routes every PQL and sales-ready account at one moment, continuing from what routing decided before.
///
/// ```swift
/// let run = RoutingRun(scoring: ScoringRun(store: store, engine: engine))
/// let plan = try run.plan(asOf: now)     // a dry run stops here
/// try run.commit(plan)
/// ```
public struct RoutingRun {
    public let scoring: ScoringRun

    public init(scoring: ScoringRun) {
        self.scoring = scoring
    }

    /// The decisions routing would make at `asOf`, and the round-robin credits after them. Nothing is written.
    public func plan(asOf: Date) throws -> RoutingPlan {
        let engine = try scoring.engine(asOf: asOf)
        return try plan(engine.scoreAll(asOf: asOf), engine: engine)
    }

    /// The same, for scores already made by `engine` (all at one moment).
    public func plan(_ scores: [AccountScore], engine: Engine) throws -> RoutingPlan {
        var ledger = try scoring.store.routingLedger(asOf: scores.first?.asOf ?? Date(timeIntervalSince1970: 0))
        let candidates = scores.filter { $0.stage == .pql || $0.stage == .salesReady }.map(engine.routingCandidate)
        let decisions = Router(model: engine.model).route(candidates, ledger: &ledger)
        return RoutingPlan(decisions: decisions, credits: ledger.credits)
    }

    /// Records the plan's decisions and credits in one transaction.
    public func commit(_ plan: RoutingPlan) throws {
        try scoring.store.recordRouting(plan.decisions, credits: plan.credits)
    }
}

/// What one routing run decided.
public struct RoutingPlan: Sendable {
    public var decisions: [RouteDecision]
    /// Round-robin credits by team and rep after the run.
    public var credits: [String: [String: Double]]

    /// The decisions that hand an account to someone.
    public var handoffs: [RouteDecision] { decisions.filter { $0.outcome == .handoff } }
}
