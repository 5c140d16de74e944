import Foundation

/// What earlier routing decided, as far as the next decision needs it: round-robin positions,
/// each rep's handoffs per day, who owns which account, and the last handoff per account and route.
///
/// A store keeps it; the ``Router`` reads it and records each new handoff, so a replay or a restart
/// continues exactly where routing stopped.
public struct RoutingLedger: Sendable, Equatable {
    /// Smooth weighted round-robin credit, by team then rep email.
    public var credits: [String: [String: Double]]
    /// Handoffs per rep (email) per local day (`yyyy-MM-dd`).
    public var daily: [String: [String: Int]]
    /// The rep who last took each routing key (company domain, else account id).
    public var owners: [String: String]
    /// The last handoff per routing key, by route id.
    public var lastHandoffs: [String: [String: PastHandoff]]

    public init(
        credits: [String: [String: Double]] = [:], daily: [String: [String: Int]] = [:], owners: [String: String] = [:],
        lastHandoffs: [String: [String: PastHandoff]] = [:]
    ) {
        self.credits = credits
        self.daily = daily
        self.owners = owners
        self.lastHandoffs = lastHandoffs
    }

    /// Takes a handoff into account: the owner's day count, ownership and the route's cooldown.
    public mutating func record(_ decision: RouteDecision) {
        guard decision.outcome == .handoff else { return }
        if let owner = decision.owner {
            daily[owner.email, default: [:]][owner.day, default: 0] += 1
            owners[decision.routingKey] = owner.email
        }
        lastHandoffs[decision.routingKey, default: [:]][decision.route] = PastHandoff(at: decision.at, stage: decision.stage)
    }
}

/// When an account was last handed to a route, and in which stage.
public struct PastHandoff: Sendable, Equatable, Codable {
    public var at: Date
    public var stage: Stage

    public init(at: Date, stage: Stage) {
        self.at = at
        self.stage = stage
    }
}
