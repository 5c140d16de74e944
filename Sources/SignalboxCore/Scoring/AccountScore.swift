import Foundation

/// Where an account stands in the funnel.
public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
    case excluded
    case notPQL = "not_pql"
    case pql
    case salesReady = "sales_ready"

    private var rank: Int {
        switch self {
        case .excluded: 0
        case .notPQL: 1
        case .pql: 2
        case .salesReady: 3
        }
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rank < rhs.rank }
}

/// A plain-language reason with the points behind it.
public struct ReasonCode: Sendable, Equatable, Codable {
    /// The signal or fit rule id (`invited_teammates`), or a fixed code such as `fit_unknown`.
    public var code: String
    public var text: String
    public var points: Double
    public var axis: Axis?

    public init(code: String, text: String, points: Double, axis: Axis?) {
        self.code = code
        self.text = text
        self.points = points
        self.axis = axis
    }
}

/// How one signal added up, for `explain`.
public struct Contribution: Sendable, Equatable, Codable {
    public var signal: String
    public var label: String
    public var axis: Axis
    /// Occurrences (or the metric's value) inside the signal's window, before decay.
    public var rawCount: Double
    /// The quantity the points were computed from, after decay.
    public var quantity: Double
    /// `quantity / raw`, when the signal decays.
    public var decayFactor: Double?
    /// What the signal's points were multiplied by: the quantity for per-unit signals, the recency
    /// of the last occurrence for `once` signals and compounds, 1 for `at_least` signals. A learned
    /// model reads this as the signal's feature.
    public var units: Double
    public var points: Double
    /// True when the cap cut the points.
    public var capped: Bool
    public var reason: String
}

extension Contribution {
    /// Reads scores stored before `units` was recorded, taking their quantity as the units.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        signal = try container.decode(String.self, forKey: .signal)
        label = try container.decode(String.self, forKey: .label)
        axis = try container.decode(Axis.self, forKey: .axis)
        rawCount = try container.decode(Double.self, forKey: .rawCount)
        quantity = try container.decode(Double.self, forKey: .quantity)
        decayFactor = try container.decodeIfPresent(Double.self, forKey: .decayFactor)
        units = try container.decodeIfPresent(Double.self, forKey: .units) ?? quantity
        points = try container.decode(Double.self, forKey: .points)
        capped = try container.decode(Bool.self, forKey: .capped)
        reason = try container.decode(String.self, forKey: .reason)
    }
}

/// A fit rule that matched, and on what value.
public struct FitMatch: Sendable, Equatable, Codable {
    public var rule: String
    public var label: String
    /// Where the value came from: `company`, `workspace` or `user <id>`.
    public var source: String
    public var value: String
    public var points: Double
}

/// An account's scores, stage and reasons at one moment.
public struct AccountScore: Sendable, Equatable, Codable {
    public var accountId: String
    public var name: String?
    public var domain: String?
    public var asOf: Date
    public var stage: Stage
    /// Display band (warm / hot / ready) when the model defines bands.
    public var band: String?
    /// 0…100.
    public var total: Double
    /// 0…100, or nil when nothing is known about the company or its people.
    public var fit: Double?
    public var value: Double
    public var intent: Double
    /// Why, biggest effect first; positive and negative alike.
    public var reasons: [ReasonCode]
    /// The rule that decided the stage ("total 82 ≥ 70, fit 75 ≥ 60, value 64 ≥ 50").
    public var stageReason: String
    public var contributions: [Contribution]
    public var fitMatches: [FitMatch]

    /// Fit, Value or Intent.
    public func subscore(_ axis: Axis) -> Double? {
        switch axis {
        case .fit: fit
        case .value: value
        case .intent: intent
        }
    }

    /// Whether a hand-raise put the account in its stage, whatever its score.
    public var isFastLane: Bool { stageReason.hasPrefix(StageDecider.fastLanePrefix) }

    /// The strongest positive reasons.
    public func topPositive(_ count: Int = 3) -> [ReasonCode] {
        Array(reasons.filter { $0.points > 0 }.prefix(count))
    }

    /// The strongest negative reasons, including an unknown fit.
    public func topNegative(_ count: Int = 2) -> [ReasonCode] {
        Array(reasons.filter { $0.points < 0 || $0.code == "fit_unknown" }.prefix(count))
    }
}
