import Foundation

/// What routing decided for one account at one moment, and why.
public struct RouteDecision: Sendable, Equatable, Codable {
    /// Whether the account was handed off or held back.
    public enum Outcome: String, Sendable, Codable {
        /// Handed to the route's owner and destinations.
        case handoff
        /// The same route took this account recently and its stage has not risen since.
        case cooldown
        /// Another workspace of the same company carries the handoff.
        case merged
        /// Every rep who could take it has reached today's capacity; a later run routes it.
        case deferred
    }

    public var accountId: String
    /// What "one account" means for routing: the company domain, else the account id. Cooldowns and
    /// ownership are kept per key, so workspaces of one company produce one handoff.
    public var routingKey: String
    public var at: Date
    public var stage: Stage
    public var total: Double
    public var route: String
    public var motion: Motion
    public var outcome: Outcome
    /// Why this route, this owner and this outcome, in words.
    public var reason: String
    public var owner: Assignment?
    /// When the owner's first touch is due, in their working time.
    public var slaDue: Date?
    /// The story for the owner; present on handoffs.
    public var brief: HandoffBrief?
    /// Destinations the handoff is delivered to.
    public var destinations: [String]
    /// The handoff this one took over after its owner missed the SLA.
    public var reassignedFrom: Int64?

    public init(
        accountId: String, routingKey: String, at: Date, stage: Stage, total: Double, route: String, motion: Motion,
        outcome: Outcome, reason: String, owner: Assignment? = nil, slaDue: Date? = nil, brief: HandoffBrief? = nil,
        destinations: [String] = []
    ) {
        self.accountId = accountId
        self.routingKey = routingKey
        self.at = at
        self.stage = stage
        self.total = total
        self.route = route
        self.motion = motion
        self.outcome = outcome
        self.reason = reason
        self.owner = owner
        self.slaDue = slaDue
        self.brief = brief
        self.destinations = destinations
    }
}

/// The person an account was given to, and how they were chosen.
public struct Assignment: Sendable, Equatable, Codable {
    /// How the owner was found.
    public enum Method: String, Sendable, Codable {
        /// The owner named in the CRM (the `owner_field`).
        case crmOwner = "crm_owner"
        /// The rep who took this account before.
        case previousOwner = "previous_owner"
        case roundRobin = "round_robin"
        /// Nobody in the team could take it.
        case fallback
    }

    public var email: String
    public var name: String
    public var team: String?
    public var method: Method
    /// The owner's local day of the assignment, which daily capacity counts in.
    public var day: String
    /// The owner's user id in each CRM, for assigning tasks there.
    public var crmIds: [String: String]

    public init(email: String, name: String, team: String?, method: Method, day: String, crmIds: [String: String] = [:]) {
        self.email = email
        self.name = name
        self.team = team
        self.method = method
        self.day = day
        self.crmIds = crmIds
    }
}
