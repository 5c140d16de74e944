import Foundation

/// A step the SLA of a handoff takes when the owner has not touched the account in time.
public enum SLAStep: String, Sendable, Codable, CaseIterable {
    /// The SLA fell due: the owner is reminded.
    case reminder
    /// One more SLA period passed: the account goes to the next rep of the team.
    case reassignment
    /// The rep it was reassigned to missed the SLA too: the team's manager is told.
    case escalation
}

/// When each SLA step of a handoff falls due, in the owner's working time.
///
/// A handoff's SLA starts when it is made. At the due time the owner is reminded; one SLA period of
/// working time later it is reassigned to the next rep, whose new handoff carries its own SLA; if
/// that rep misses it too, the manager is told. A disposition or a first touch stops the clock.
public struct SLAClock: Sendable {
    public let routing: RoutingConfig

    public init(routing: RoutingConfig) {
        self.routing = routing
    }

    /// The step due for `decision` at `now`, if any, given the steps already taken.
    public func dueStep(for decision: RouteDecision, taken: Set<SLAStep>, now: Date) -> (step: SLAStep, due: Date)? {
        guard decision.outcome == .handoff, let due = decision.slaDue, let route = route(decision.route), let sla = route.sla else { return nil }
        let steps: [(SLAStep, Date)]
        if decision.reassignedFrom == nil {
            steps = [(.reminder, due), (.reassignment, hours(of: decision.owner?.email).due(sla: sla, from: due))]
        } else {
            steps = [(.escalation, due)]
        }
        guard !taken.contains(.reassignment), !taken.contains(.escalation) else { return nil }
        return steps.first { !taken.contains($0.0) && $0.1 <= now }.map { (step: $0.0, due: $0.1) }
    }

    /// The handoff that takes over from `decision` when its owner missed the SLA: the next rep of the
    /// route's team, with a new SLA; nil when nobody else can take it.
    public func reassignment(of decision: RouteDecision, id: Int64, ledger: inout RoutingLedger, now: Date) -> RouteDecision? {
        guard let route = route(decision.route), let teamId = route.team, var team = routing.teams[teamId] else { return nil }
        team.reps.removeAll { $0.email == decision.owner?.email }
        guard !team.reps.isEmpty else { return nil }
        var narrowed = routing
        narrowed.teams[teamId] = team
        narrowed.ownerField = nil
        var withoutOwner = ledger
        withoutOwner.owners[decision.routingKey] = nil
        guard case .owner(let owner, let why) = OwnerPicker(routing: narrowed).assign(
            route: route, key: decision.routingKey, profile: AccountProfile(accountId: decision.accountId), ledger: &withoutOwner, asOf: now
        ) else { return nil }
        ledger.credits = withoutOwner.credits
        var next = decision
        next.at = now
        next.owner = owner
        next.reassignedFrom = id
        next.slaDue = route.sla.map { hours(of: owner.email).due(sla: $0, from: now) }
        let previous = decision.owner?.name ?? "nobody"
        next.reason = "\(decision.route): reassigned from \(previous), who had no first touch within the SLA; owner: \(why)"
        return next
    }

    /// Who to tell when a reassigned handoff misses its SLA too.
    public func manager(of decision: RouteDecision) -> String? {
        route(decision.route)?.team.flatMap { routing.teams[$0]?.manager }
    }

    private func route(_ id: String) -> Route? {
        id == routing.defaultRoute.id ? routing.defaultRoute : routing.routes.first { $0.id == id }
    }

    private func hours(of email: String?) -> WorkingHours {
        email.map(routing.workingHours(of:)) ?? WorkingHours()
    }
}

/// An SLA step as recorded: on which handoff, when, what it said, and the handoff a reassignment made.
public struct SLAStepTaken: Sendable, Equatable {
    public var handoffId: Int64
    public var step: SLAStep
    public var at: Date
    /// The notice in words ("Dana: first touch on Acme was due …").
    public var detail: String
    /// The new handoff, for a reassignment.
    public var reassignedTo: RouteDecision?

    public init(handoffId: Int64, step: SLAStep, at: Date, detail: String, reassignedTo: RouteDecision?) {
        self.handoffId = handoffId
        self.step = step
        self.at = at
        self.detail = detail
        self.reassignedTo = reassignedTo
    }
}
