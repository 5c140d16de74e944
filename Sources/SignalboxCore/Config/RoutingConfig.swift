import Foundation

/// Who gets which account, and what they are told: the `routing:` section of `signalbox.yaml`.
///
/// Routes are tried in order and the first that matches wins; an account no route matches takes
/// the default route. Excluded accounts are never routed.
///
/// ```yaml
/// routing:
///   customer: { field: workspace.plan, in: [team, business] }
///   routes:
///     expansion: { when: { customer: true }, motion: expansion, team: account_managers }
///     ae:        { when: { stage: sales_ready, fit_tier: [A, B] }, motion: ae, team: ae, sla: 4h }
///   default: { motion: nurture }
///   teams:
///     ae:
///       reps:
///         - { email: dana@example.com, name: Dana Reyes, weight: 2, timezone: America/New_York }
/// ```
public struct RoutingConfig: Sendable, Equatable {
    /// Ordered routes; the first match wins.
    public var routes: [Route]
    /// Taken by PQL and sales-ready accounts no route matches.
    public var defaultRoute: Route
    /// Rep teams by id.
    public var teams: [String: Team]
    /// Named account segments (size or expected ACV bands), first match wins.
    public var segments: [Segment]
    /// Fit tiers from best to worst with the minimum fit of each.
    public var fitTiers: [(name: String, minimum: Double)]
    /// Recognises a paying customer (`workspace.plan in [team, business]`).
    public var customer: PropertyFilter?
    /// The account field holding the existing owner's email (a CRM owner column in the firmographics file).
    public var ownerField: String?
    /// Owner of last resort when no rep of a team can take an account.
    public var fallbackOwner: Rep?
    /// Talk tracks, chosen by the account's reasons; the first whose signals appear wins.
    public var plays: [Play]
    /// Usage shown against the plan's limits in the brief.
    public var planLimits: [PlanLimit]

    public init(
        routes: [Route] = [], defaultRoute: Route = Route(id: "default", motion: .nurture), teams: [String: Team] = [:],
        segments: [Segment] = [], fitTiers: [(name: String, minimum: Double)] = RoutingConfig.defaultFitTiers,
        customer: PropertyFilter? = nil, ownerField: String? = nil, fallbackOwner: Rep? = nil, plays: [Play] = [],
        planLimits: [PlanLimit] = []
    ) {
        self.routes = routes
        self.defaultRoute = defaultRoute
        self.teams = teams
        self.segments = segments
        self.fitTiers = fitTiers
        self.customer = customer
        self.ownerField = ownerField
        self.fallbackOwner = fallbackOwner
        self.plays = plays
        self.planLimits = planLimits
    }

    /// Whether routing was set up at all: a route, or a default route that delivers somewhere.
    public var isConfigured: Bool { !routes.isEmpty || !defaultRoute.destinations.isEmpty }

    /// The rep with this email in any team, or the fallback owner.
    public func rep(email: String) -> Rep? {
        teams.keys.sorted().lazy.compactMap { teams[$0]?.reps.first { $0.email == email } }.first
            ?? (fallbackOwner?.email == email ? fallbackOwner : nil)
    }

    /// The working hours of the rep with this email; office hours in UTC for anyone else.
    public func workingHours(of email: String) -> WorkingHours {
        rep(email: email)?.hours ?? WorkingHours()
    }

    /// A, B, C, D at 75, 50, 25 and 0: the published fit-tier grades.
    public static let defaultFitTiers: [(name: String, minimum: Double)] = [("A", 75), ("B", 50), ("C", 25), ("D", 0)]

    /// The tier a fit score falls in, or nil when fit is unknown.
    public func fitTier(_ fit: Double?) -> String? {
        guard let fit else { return nil }
        return fitTiers.first { fit >= $0.minimum }?.name ?? fitTiers.last?.name
    }

    public static func == (lhs: RoutingConfig, rhs: RoutingConfig) -> Bool {
        lhs.routes == rhs.routes && lhs.defaultRoute == rhs.defaultRoute && lhs.teams == rhs.teams
            && lhs.segments == rhs.segments && lhs.fitTiers.elementsEqual(rhs.fitTiers) { $0 == $1 }
            && lhs.customer == rhs.customer && lhs.ownerField == rhs.ownerField && lhs.fallbackOwner == rhs.fallbackOwner
            && lhs.plays == rhs.plays && lhs.planLimits == rhs.planLimits
    }
}

/// The sales motion a route hands an account to.
public enum Motion: String, Sendable, Codable, CaseIterable {
    case ae, sdr, nurture, expansion
    case selfServe = "self_serve"

    /// Whether a person works the account; nurture and self-serve go to programs, not reps.
    public var isHuman: Bool { self == .ae || self == .sdr || self == .expansion }
}

/// One routing rule: which accounts, which motion and team, how often, and how fast.
public struct Route: Sendable, Equatable {
    public var id: String
    public var motion: Motion
    public var conditions: RouteConditions
    /// The team whose reps own the accounts; nil for motions without a person.
    public var team: String?
    /// The same account is not handed to the same route again inside this time unless its stage rises.
    public var cooldown: TimeInterval
    /// Working time the owner has for a first touch.
    public var sla: TimeInterval?
    /// Destination names the handoff is delivered to.
    public var destinations: [String]
    public var line: Int?

    public init(
        id: String, motion: Motion, conditions: RouteConditions = RouteConditions(), team: String? = nil,
        cooldown: TimeInterval = 14 * 86_400, sla: TimeInterval? = nil, destinations: [String] = [], line: Int? = nil
    ) {
        self.id = id
        self.motion = motion
        self.conditions = conditions
        self.team = team
        self.cooldown = cooldown
        self.sla = sla
        self.destinations = destinations
        self.line = line
    }
}

/// What an account must be for a route to take it; every condition given must hold.
public struct RouteConditions: Sendable, Equatable {
    /// The account's stage is one of these (default: PQL or sales-ready).
    public var stages: Set<Stage>?
    /// Paying customer (true) or not (false).
    public var customer: Bool?
    /// The stage came from the fast lane (a hand-raiser).
    public var fastLane: Bool?
    /// Fit is unknown (true) or known (false).
    public var fitUnknown: Bool?
    /// Fit tier is one of these.
    public var fitTiers: Set<String>?
    /// Segment is one of these.
    public var segments: Set<String>?
    /// Minimum and maximum of the total and subscores; an unknown fit fails any fit bound.
    public var ranges: [ScoreField: ClosedRange<Double>]

    public init(
        stages: Set<Stage>? = nil, customer: Bool? = nil, fastLane: Bool? = nil, fitUnknown: Bool? = nil,
        fitTiers: Set<String>? = nil, segments: Set<String>? = nil, ranges: [ScoreField: ClosedRange<Double>] = [:]
    ) {
        self.stages = stages
        self.customer = customer
        self.fastLane = fastLane
        self.fitUnknown = fitUnknown
        self.fitTiers = fitTiers
        self.segments = segments
        self.ranges = ranges
    }

    /// A score a route condition can bound.
    public enum ScoreField: String, Sendable, CaseIterable {
        case total, fit, value, intent
    }
}

/// A named slice of accounts by size or potential (`enterprise: employees ≥ 1000`).
public struct Segment: Sendable, Equatable {
    public var name: String
    public var filter: PropertyFilter

    public init(name: String, filter: PropertyFilter) {
        self.name = name
        self.filter = filter
    }
}

/// Reps who share a queue, and who is told when the queue falls behind.
public struct Team: Sendable, Equatable {
    public var id: String
    public var reps: [Rep]
    /// Where SLA escalations go (a manager's email or channel name).
    public var manager: String?

    public init(id: String, reps: [Rep], manager: String? = nil) {
        self.id = id
        self.reps = reps
        self.manager = manager
    }
}

/// A person who can own accounts.
public struct Rep: Sendable, Equatable, Codable {
    /// The rep's email; also their identity in assignments and CRM owners.
    public var email: String
    public var name: String
    /// Share of the team's new accounts, relative to teammates.
    public var weight: Double
    /// Most new accounts a day; nil for no cap.
    public var dailyCapacity: Int?
    /// When the rep works, in their time zone.
    public var hours: WorkingHours
    /// False for reps who left or are paused.
    public var active: Bool
    /// Days off (inclusive), in the rep's time zone.
    public var outOfOffice: [DayRange]
    /// The rep's user id in each CRM (`hubspot`, `salesforce`), so tasks are assigned to them there.
    public var crmIds: [String: String]

    public init(
        email: String, name: String? = nil, weight: Double = 1, dailyCapacity: Int? = nil, hours: WorkingHours = WorkingHours(),
        active: Bool = true, outOfOffice: [DayRange] = [], crmIds: [String: String] = [:]
    ) {
        self.email = email
        self.name = name ?? email
        self.weight = weight
        self.dailyCapacity = dailyCapacity
        self.hours = hours
        self.active = active
        self.outOfOffice = outOfOffice
        self.crmIds = crmIds
    }
}

/// An inclusive range of calendar days, `2026-12-21..2027-01-02`.
public struct DayRange: Sendable, Equatable, Codable {
    /// `yyyy-MM-dd`.
    public var first: String
    public var last: String

    public init(first: String, last: String) {
        self.first = first
        self.last = last
    }

    public func contains(_ day: String) -> Bool { day >= first && day <= last }
}

/// A talk track for accounts showing certain signals.
public struct Play: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Signal ids; the play fits when any of them contributes to the score. Empty fits any account.
    public var signals: [String]
    /// Motions the play is for; nil for any.
    public var motions: Set<Motion>?
    /// Text with `{account}`, `{champion}`, `{champion_title}`, `{why_now}`, `{reason}` (the reason
    /// of the play's signal) and `{owner}` placeholders.
    public var talkTrack: String

    public init(id: String, title: String, signals: [String], motions: Set<Motion>? = nil, talkTrack: String) {
        self.id = id
        self.title = title
        self.signals = signals
        self.motions = motions
        self.talkTrack = talkTrack
    }
}

/// A plan limit shown in the brief: the count of one signal against the limit.
public struct PlanLimit: Sendable, Equatable {
    public var label: String
    /// The signal whose count (inside its window) is the usage.
    public var signal: String
    public var limit: Double
    /// The accounts on the plan this limit belongs to (`workspace.plan equals team`); nil for every account.
    public var when: PropertyFilter?

    public init(label: String, signal: String, limit: Double, when: PropertyFilter? = nil) {
        self.label = label
        self.signal = signal
        self.limit = limit
        self.when = when
    }
}
