import Foundation
import SignalboxCore

/// The features a learned model reads from a score: each signal's units (what its points are
/// multiplied by: the count, sum or metric value after decay and windows, the recency of a `once`
/// signal or compound, 1 for a threshold that is met), whether each fit rule matched, and whether
/// fit is unknown. A learned weight is therefore exactly a signal's or rule's points in a
/// `kind: logistic` config. Everything comes from a score at one moment, which reads only events up
/// to that moment.
public struct FeatureSpace: Sendable, Equatable {
    /// Column names: `signal.<id>`, `fit.<rule id>`, `fit_unknown`.
    public let names: [String]
    /// Columns whose weight may only be at most 0: cooling and negative signals.
    public let nonPositive: Set<Int>
    private let signalIds: [String]
    private let fitRuleIds: [String]

    public init(model: CompiledModel) {
        signalIds = model.config.signals.map(\.id)
        fitRuleIds = model.config.fitRules.map(\.id)
        names = signalIds.map { "signal.\($0)" } + fitRuleIds.map { "fit.\($0)" } + ["fit_unknown"]
        nonPositive = Set(model.config.signals.indices.filter { model.config.signals[$0].category == .negative })
    }

    /// The fit a learned model shows for a row (`100 · σ(fit points)`), nil when fit is unknown.
    private func learnedFit(_ row: [Double], model: LearnedModel) -> Double? {
        guard row[names.count - 1] == 0 else { return nil }
        let fitStart = signalIds.count
        let logit = fitRuleIds.indices.reduce(0) { $0 + model.weights[fitStart + $1] * row[fitStart + $1] }
        return 100 * LogisticScoring.sigmoid(logit)
    }

    /// The config's fit-tier minimums and fast-lane minimum fit moved to `model`'s fit scale so each
    /// keeps the share of `rows` it held (``ScaleMapping``); empty and nil when no row has a known fit.
    public func carriedFitThresholds(of config: ModelConfig, rows: [TrainingRow], model: LearnedModel) -> (tiers: [String: Double], minimumFit: Double?) {
        let fits = rows.compactMap { row in row.currentFit.flatMap { old in learnedFit(row.features, model: model).map { (old, $0) } } }
        let tiers = config.routing.fitTiers
        let minimums = tiers.map(\.minimum) + (config.fastLane.minimumFit.map { [$0] } ?? [])
        guard let mapped = ScaleMapping.byShare(minimums, old: fits.map(\.0), new: fits.map(\.1)) else { return ([:], nil) }
        return (Dictionary(uniqueKeysWithValues: zip(tiers.map(\.name), mapped)), config.fastLane.minimumFit == nil ? nil : mapped.last)
    }

    /// A learned model over these columns in config terms: signal and fit-rule points, the
    /// intercept and the unknown-fit term, with stage thresholds in score points.
    public func config(
        _ model: LearnedModel, name: String, horizon: TimeInterval, halfLives: [String: TimeInterval] = [:],
        fitTiers: [String: Double] = [:], minimumFit: Double? = nil, pqlScore: Double, salesReadyScore: Double
    ) -> LearnedConfig {
        let fitStart = signalIds.count
        return LearnedConfig(
            name: name,
            scoring: LogisticScoring(intercept: model.intercept, fitUnknown: model.weights[names.count - 1], horizon: horizon),
            signalPoints: Dictionary(uniqueKeysWithValues: signalIds.enumerated().map { ($1, model.weights[$0]) }),
            fitPoints: Dictionary(uniqueKeysWithValues: fitRuleIds.enumerated().map { ($1, model.weights[fitStart + $0]) }),
            halfLives: halfLives, fitTiers: fitTiers, minimumFit: minimumFit,
            pqlScore: pqlScore, salesReadyScore: salesReadyScore
        )
    }

    /// The feature row of a score.
    public func row(_ score: AccountScore) -> [Double] {
        let units = Dictionary(score.contributions.map { ($0.signal, $0.units) }, uniquingKeysWith: +)
        let matched = Set(score.fitMatches.map(\.rule))
        return signalIds.map { units[$0] ?? 0 } + fitRuleIds.map { matched.contains($0) ? 1 : 0 } + [score.fit == nil ? 1 : 0]
    }
}

/// One account at one snapshot time: its features then, the current model's score then, and
/// whether it converted within the horizon after.
public struct TrainingRow: Sendable, Equatable {
    public var accountId: String
    public var at: Date
    public var features: [Double]
    /// The current model's total (0…100) at `at`, for the champion side of the report.
    public var currentScore: Double
    public var currentStage: Stage
    /// The current model's fit then, nil when unknown: what fit tiers were drawn on.
    public var currentFit: Double?
    public var converted: Bool

    public init(accountId: String, at: Date, features: [Double], currentScore: Double, currentStage: Stage, currentFit: Double? = nil, converted: Bool) {
        self.accountId = accountId
        self.at = at
        self.features = features
        self.currentScore = currentScore
        self.currentStage = currentStage
        self.currentFit = currentFit
        self.converted = converted
    }
}

/// Which accounts a snapshot at a moment may hold, and their labels: no leakage by construction.
public struct SnapshotLabels: Sendable {
    let conversions: [String: Date]
    let losses: [String: Date]
    public let horizon: TimeInterval

    public init(outcomes: [AccountOutcome], horizon: TimeInterval) {
        (conversions, losses) = outcomes.firstTimes
        self.horizon = horizon
    }

    /// Whether an account is still a prospect at `time`: not excluded, not yet converted, not lost.
    public func isOpen(_ score: AccountScore, at time: Date) -> Bool {
        guard score.stage != .excluded else { return false }
        if let converted = conversions[score.accountId], converted <= time { return false }
        if let lost = losses[score.accountId], lost <= time { return false }
        return true
    }

    /// Whether the account converts after `time` and within the horizon.
    public func converts(_ accountId: String, after time: Date) -> Bool {
        guard let converted = conversions[accountId] else { return false }
        return converted > time && converted <= time.addingTimeInterval(horizon)
    }
}
