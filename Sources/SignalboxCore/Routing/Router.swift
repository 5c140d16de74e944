import Foundation

/// One account as routing sees it: its score and what the brief is written from.
public struct RoutingCandidate: Sendable {
    public var score: AccountScore
    public var state: AccountState
    public var profile: AccountProfile

    public init(score: AccountScore, state: AccountState, profile: AccountProfile) {
        self.score = score
        self.state = state
        self.profile = profile
    }
}

/// Turns scored accounts into at most one well-judged action each: a route, an owner, an SLA and a
/// brief, or the reason it was held back.
///
/// Only PQL and sales-ready accounts are routed; excluded accounts never are. Workspaces of one
/// company make one handoff. A route does not take the same company again inside its cooldown unless
/// the stage has risen since.
///
/// ```swift
/// var ledger = try store.routingLedger()
/// let decisions = Router(model: model).route(candidates, ledger: &ledger)
/// ```
public struct Router: Sendable {
    public let model: CompiledModel

    public init(model: CompiledModel) {
        self.model = model
    }

    /// Decisions for `candidates`, strongest accounts first, each recorded in `ledger` as it is made.
    public func route(_ candidates: [RoutingCandidate], ledger: inout RoutingLedger) -> [RouteDecision] {
        let routable = candidates.filter { $0.score.stage == .pql || $0.score.stage == .salesReady }
            .sorted { ($0.score.stage, $0.score.total, $1.score.accountId) > ($1.score.stage, $1.score.total, $0.score.accountId) }
        var primaryByKey: [String: String] = [:]
        var decisions: [RouteDecision] = []
        for candidate in routable {
            let key = Router.routingKey(candidate.profile)
            if let primary = primaryByKey[key] {
                decisions.append(merged(candidate, into: primary, key: key, route: decisions.last { $0.accountId == primary }!))
                continue
            }
            primaryByKey[key] = candidate.score.accountId
            let decision = decide(candidate, key: key, ledger: &ledger)
            ledger.record(decision)
            decisions.append(decision)
        }
        return decisions
    }

    /// Company domain when known, else the account: what "one account" means for handoffs.
    public static func routingKey(_ profile: AccountProfile) -> String {
        profile.domain ?? profile.accountId
    }

    private func decide(_ candidate: RoutingCandidate, key: String, ledger: inout RoutingLedger) -> RouteDecision {
        let score = candidate.score
        let asOf = score.asOf
        let (route, because) = RouteMatcher(routing: model.config.routing).match(score: score, profile: candidate.profile)
        var decision = RouteDecision(
            accountId: score.accountId, routingKey: key, at: asOf, stage: score.stage, total: score.total, route: route.id,
            motion: route.motion, outcome: .handoff, reason: "\(route.id): \(because)"
        )
        if let past = ledger.lastHandoffs[key]?[route.id], asOf.timeIntervalSince(past.at) < route.cooldown, score.stage <= past.stage {
            let ago = ReasonText.describe(daysAgo: Int(max(0, asOf.timeIntervalSince(past.at)) / 86_400))
            decision.outcome = .cooldown
            decision.reason += "; held back: handed to \(route.id) \(ago) as \(past.stage.rawValue), cooldown \(ReasonText.describe(days: CompiledModel.days(route.cooldown))) and the stage has not risen"
            return decision
        }
        if let past = ledger.lastHandoffs[key]?[route.id], score.stage > past.stage, asOf.timeIntervalSince(past.at) < route.cooldown {
            decision.reason += "; re-routed: stage rose from \(past.stage.rawValue) to \(score.stage.rawValue)"
        }
        if route.motion.isHuman {
            switch OwnerPicker(routing: model.config.routing).assign(route: route, key: key, profile: candidate.profile, ledger: &ledger, asOf: asOf) {
            case .owner(let owner, let why):
                decision.owner = owner
                decision.reason += "; owner: \(why)"
                if let sla = route.sla { decision.slaDue = model.config.routing.workingHours(of: owner.email).due(sla: sla, from: asOf) }
            case .deferred(let why):
                decision.outcome = .deferred
                decision.reason += "; waiting: \(why)"
                return decision
            case .unassigned(let why):
                decision.reason += "; unassigned: \(why)"
            }
        }
        decision.destinations = route.destinations
        decision.brief = BriefWriter(model: model).brief(
            score: score, state: candidate.state, profile: candidate.profile, motion: route.motion, owner: decision.owner?.name
        )
        return decision
    }

    private func merged(_ candidate: RoutingCandidate, into primary: String, key: String, route: RouteDecision) -> RouteDecision {
        RouteDecision(
            accountId: candidate.score.accountId, routingKey: key, at: candidate.score.asOf, stage: candidate.score.stage,
            total: candidate.score.total, route: route.route, motion: route.motion, outcome: .merged,
            reason: "one action per company: \(key) is handled with workspace \(primary)"
        )
    }
}
