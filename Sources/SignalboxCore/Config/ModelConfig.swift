import Foundation

/// The whole scoring model a `signalbox.yaml` describes: what counts, how much, and where the stage lines are.
///
/// Built by ``ConfigLoader`` from YAML, or by hand in tests:
/// ```swift
/// let config = try ConfigLoader.load(yaml: text, file: "signalbox.yaml")
/// let scorer = Scorer(config: config)
/// ```
public struct ModelConfig: Sendable, Equatable {
    /// The name shown in reports (`weighted`, `warm-hot-ready`, `tier-matrix` or the user's own).
    public var name: String
    /// Where the store lives when `--db` is not given, relative to the working directory.
    public var database: String?
    /// How users, workspaces and companies are tied together.
    public var identity: IdentitySettings
    /// Behavioural signals that feed Value, Intent and negative points.
    public var signals: [SignalDefinition]
    /// Firmographic and persona rules that feed Fit.
    public var fitRules: [FitRule]
    /// How subscores combine into the total (additive scoring).
    public var weights: Weights
    /// Whether points add up to subscores or to the log-odds of a learned model.
    public var scoring: ScoringMode
    /// How a score becomes a stage.
    public var stages: StagePolicy
    /// Hand-raiser signals that make an account sales-ready whatever its score.
    public var fastLane: FastLane
    /// Accounts that must never be routed to sales.
    public var exclusions: Exclusions
    /// Display bands such as warm / hot / ready, by total score.
    public var bands: [ScoreBand]
    /// Who gets which account and what they are told; it does not change scores.
    public var routing: RoutingConfig
    /// Where handoffs are delivered.
    public var destinations: [Destination]
    /// Where conversions come from for training and backtests; it does not change scores.
    public var outcomes: OutcomeSettings
    /// `signalbox serve` settings; they do not change scores.
    public var server: ServerSettings

    public init(
        name: String, database: String? = nil, identity: IdentitySettings = IdentitySettings(),
        signals: [SignalDefinition], fitRules: [FitRule], weights: Weights = Weights(),
        scoring: ScoringMode = .additive, stages: StagePolicy, fastLane: FastLane = FastLane(), exclusions: Exclusions = Exclusions(),
        bands: [ScoreBand] = [], routing: RoutingConfig = RoutingConfig(),
        destinations: [Destination] = [], outcomes: OutcomeSettings = OutcomeSettings(), server: ServerSettings = ServerSettings()
    ) {
        self.name = name
        self.database = database
        self.identity = identity
        self.signals = signals
        self.fitRules = fitRules
        self.weights = weights
        self.scoring = scoring
        self.stages = stages
        self.fastLane = fastLane
        self.exclusions = exclusions
        self.bands = bands
        self.routing = routing
        self.destinations = destinations
        self.outcomes = outcomes
        self.server = server
    }

    /// The signal with this id, if configured.
    public func signal(_ id: String) -> SignalDefinition? {
        signals.first { $0.id == id }
    }
}

/// The three axes a score is made of.
public enum Axis: String, Sendable, Codable, CaseIterable {
    case fit, value, intent
}

/// What a signal measures and which subscore its points go to.
public enum SignalCategory: String, Sendable, Codable, CaseIterable {
    case value, intent, negative
}

/// One configured behaviour: an event, a metric or a compound of other signals.
public struct SignalDefinition: Sendable, Equatable {
    /// Stable identifier used in reason codes, compounds and the fast lane.
    public var id: String
    /// Human label used in reasons ("Invited teammates").
    public var label: String
    public var category: SignalCategory
    /// The subscore the points land in; negative signals default to `value`.
    public var axis: Axis
    public var kind: SignalKind
    /// Points per unit of the measured quantity (per occurrence, per active day, …), or the flat
    /// award when `atLeast` or `once` is set. Negative signals carry negative points. In a learned
    /// model the points are log-odds.
    public var points: Double
    /// The most this signal can contribute, in absolute points.
    public var cap: Double?
    /// Award `points` once when the quantity reaches this threshold, instead of per unit.
    public var atLeast: Double?
    /// Award `points` once if the signal occurred at all.
    public var once: Bool
    /// Occurrences lose half their weight every `halfLife`.
    public var halfLife: TimeInterval?
    /// Only occurrences inside this trailing window count.
    public var window: TimeInterval?
    /// Reason text; `{count}`, `{value}`, `{window}` and `{days}` are filled in.
    public var reason: String?
    /// YAML line where the signal was defined, for messages that point back at the config.
    public var line: Int?

    public init(
        id: String, label: String? = nil, category: SignalCategory, axis: Axis? = nil, kind: SignalKind,
        points: Double, cap: Double? = nil, atLeast: Double? = nil, once: Bool = false,
        halfLife: TimeInterval? = nil, window: TimeInterval? = nil, reason: String? = nil, line: Int? = nil
    ) {
        self.id = id
        self.label = label ?? id.replacingOccurrences(of: "_", with: " ").capitalizedFirst
        self.category = category
        self.axis = axis ?? (category == .intent ? .intent : .value)
        self.kind = kind
        self.points = points
        self.cap = cap
        self.atLeast = atLeast
        self.once = once
        self.halfLife = halfLife
        self.window = window
        self.reason = reason
        self.line = line
    }
}

/// The three shapes a signal can take.
public enum SignalKind: Sendable, Equatable {
    /// Occurrences of a track event or page/screen view matching property filters.
    case event(EventMatch)
    /// A measure of the account's activity.
    case metric(Metric)
    /// Other signals combined with thresholds inside a window.
    case compound(Compound)
}

/// Which messages an event signal counts.
public struct EventMatch: Sendable, Equatable {
    /// Track event name, or page/screen name when `page` is true.
    public var name: String
    /// True when the signal counts page or screen views named `name`.
    public var page: Bool
    /// Every filter must hold on the event's properties.
    public var filters: [PropertyFilter]
    /// When set, the signal's quantity is the sum of this numeric property instead of a count.
    public var sumProperty: String?

    public init(name: String, page: Bool = false, filters: [PropertyFilter] = [], sumProperty: String? = nil) {
        self.name = name
        self.page = page
        self.filters = filters
        self.sumProperty = sumProperty
    }
}

/// A measure computed from all of an account's activity.
public enum Metric: String, Sendable, Equatable, CaseIterable {
    /// Days with any activity inside the window.
    case activeDays = "active_days"
    /// Distinct users with any activity inside the window.
    case activeUsers = "active_users"
    /// Events of any kind inside the window.
    case eventCount = "event_count"
    /// Whole days since the last activity (a cooling signal when paired with `at_least`).
    case daysSinceLastActive = "days_since_last_active"
}

/// `all`/`any` of other signals, each with a threshold inside one window.
public struct Compound: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable { case all, any }
    /// One condition: `signal` occurred at least `atLeast` times in the compound's window.
    public struct Condition: Sendable, Equatable {
        public var signal: String
        public var atLeast: Double
        public init(signal: String, atLeast: Double) {
            self.signal = signal
            self.atLeast = atLeast
        }
    }
    public var mode: Mode
    public var conditions: [Condition]

    public init(mode: Mode, conditions: [Condition]) {
        self.mode = mode
        self.conditions = conditions
    }
}

/// A test on one property of an event or one field of an account's company data.
public struct PropertyFilter: Sendable, Equatable {
    public var field: String
    public var test: FieldTest
    public init(field: String, test: FieldTest) {
        self.field = field
        self.test = test
    }
}

/// The comparisons a filter or fit rule can make.
public enum FieldTest: Sendable, Equatable {
    /// Numeric value inside `[low, high]`; either end may be open.
    case between(Double?, Double?)
    /// Equal (case-insensitively) to one of the values.
    case oneOf([String])
    /// Equal (case-insensitively) to the value.
    case equals(String)
    /// Contains one of the fragments (case-insensitively); for lists such as tech stack, any element does.
    case contains([String])
    /// Present and non-empty.
    case exists
    /// Boolean value.
    case isTrue(Bool)
}

/// Points for the account when its company or people match a test.
public struct FitRule: Sendable, Equatable {
    public var id: String
    public var label: String
    public var filter: PropertyFilter
    public var points: Double
    public var line: Int?

    public init(id: String, label: String? = nil, filter: PropertyFilter, points: Double, line: Int? = nil) {
        self.id = id
        self.label = label ?? id.replacingOccurrences(of: "_", with: " ").capitalizedFirst
        self.filter = filter
        self.points = points
        self.line = line
    }
}

/// How Fit, Value and Intent combine into the total.
public struct Weights: Sendable, Equatable {
    public var fit: Double
    public var value: Double
    public var intent: Double
    public init(fit: Double = 0.35, value: Double = 0.45, intent: Double = 0.20) {
        self.fit = fit
        self.value = value
        self.intent = intent
    }
}

/// A named range of total score, for display (warm / hot / ready).
public struct ScoreBand: Sendable, Equatable {
    public var name: String
    public var minimum: Double
    public init(name: String, minimum: Double) {
        self.name = name
        self.minimum = minimum
    }
}

/// How a scored account is given a stage.
public enum StagePolicy: Sendable, Equatable {
    /// Total-score thresholds, each with subscore gates.
    case thresholds(pql: StageThreshold, salesReady: StageThreshold)
    /// Fit tier × engagement tier lookup.
    case matrix(TierMatrix)
}

/// A total-score threshold plus minimum subscores that must all hold.
public struct StageThreshold: Sendable, Equatable {
    public var minimumScore: Double
    public var gates: [Axis: Double]
    public init(minimumScore: Double, gates: [Axis: Double] = [:]) {
        self.minimumScore = minimumScore
        self.gates = gates
    }

    /// Whether every gate holds, reading each axis from `subscore`; an unknown (nil) axis fails its gate.
    public func gatesHold(_ subscore: (Axis) -> Double?) -> Bool {
        gates.allSatisfy { axis, minimum in subscore(axis).map { $0 >= minimum } ?? false }
    }
}

/// The fit-tier (A–D) × engagement-tier matrix.
public struct TierMatrix: Sendable, Equatable {
    /// Fit tiers from best to worst with the minimum fit for each; the last tier catches the rest.
    public var fitTiers: [(name: String, minimum: Double)]
    /// Engagement tiers from highest to lowest; engagement is Value and Intent weighted together.
    public var engagementTiers: [(name: String, minimum: Double)]
    /// Cells such as `A-high` that are sales-ready.
    public var salesReady: Set<String>
    /// Cells that are PQLs.
    public var pql: Set<String>

    public init(fitTiers: [(String, Double)], engagementTiers: [(String, Double)], salesReady: Set<String>, pql: Set<String>) {
        self.fitTiers = fitTiers.map { (name: $0.0, minimum: $0.1) }
        self.engagementTiers = engagementTiers.map { (name: $0.0, minimum: $0.1) }
        self.salesReady = salesReady
        self.pql = pql
    }

    public static func == (lhs: TierMatrix, rhs: TierMatrix) -> Bool {
        lhs.fitTiers.elementsEqual(rhs.fitTiers) { $0 == $1 }
            && lhs.engagementTiers.elementsEqual(rhs.engagementTiers) { $0 == $1 }
            && lhs.salesReady == rhs.salesReady && lhs.pql == rhs.pql
    }
}

/// Hand-raiser signals that skip the thresholds.
public struct FastLane: Sendable, Equatable {
    /// Signal ids; any of them inside `window` qualifies.
    public var signals: [String]
    /// How recent the hand-raise must be.
    public var window: TimeInterval
    /// The hand-raise still needs at least this fit when fit is known (a student hitting billing is not a lead).
    public var minimumFit: Double?

    public init(signals: [String] = [], window: TimeInterval = 14 * 86_400, minimumFit: Double? = nil) {
        self.signals = signals
        self.window = window
        self.minimumFit = minimumFit
    }
}

/// Accounts that are never PQLs, and why.
public struct Exclusions: Sendable, Equatable {
    /// The product company's own domains.
    public var internalDomains: [String]
    /// Case-insensitive fragments of the account name (`test`, `demo`).
    public var namePatterns: [String]
    /// Exclude education domains (`.edu`, `.ac.uk`, `.edu.au`, …).
    public var education: Bool
    public var competitorDomains: [String]
    /// Explicit account ids.
    public var accounts: [String]
    /// Explicit domains.
    public var domains: [String]

    public init(
        internalDomains: [String] = [], namePatterns: [String] = [], education: Bool = false,
        competitorDomains: [String] = [], accounts: [String] = [], domains: [String] = []
    ) {
        self.internalDomains = internalDomains
        self.namePatterns = namePatterns
        self.education = education
        self.competitorDomains = competitorDomains
        self.accounts = accounts
        self.domains = domains
    }
}

/// How events are tied to accounts.
public struct IdentitySettings: Sendable, Equatable {
    /// What an account is.
    public enum AccountLevel: String, Sendable, Equatable {
        /// One product workspace (groupId) per account.
        case workspace
        /// Workspaces of one company domain roll up into one account.
        case company
    }
    public var accountLevel: AccountLevel
    /// Email domains that say nothing about an employer.
    public var personalDomains: Set<String>

    public init(accountLevel: AccountLevel = .workspace, personalDomains: Set<String> = IdentitySettings.defaultPersonalDomains) {
        self.accountLevel = accountLevel
        self.personalDomains = personalDomains
    }

    /// Consumer mailbox providers, ignored when inferring a company from email.
    public static let defaultPersonalDomains: Set<String> = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
        "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
        "gmx.com", "gmx.de", "web.de", "mail.com", "yandex.com", "yandex.ru", "qq.com", "163.com",
        "zoho.com", "fastmail.com", "hey.com", "pm.me", "tutanota.com",
    ]
}

extension String {
    /// The string with its first character upper-cased ("invite_sent" labels read "Invite sent").
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}

/// Where conversions come from besides imported outcomes.
public struct OutcomeSettings: Sendable, Equatable {
    /// A track event that marks a conversion (e.g. "Subscription Started"); the account it counts for
    /// converts at its time.
    public var conversionEvent: String?

    public init(conversionEvent: String? = nil) {
        self.conversionEvent = conversionEvent
    }
}
