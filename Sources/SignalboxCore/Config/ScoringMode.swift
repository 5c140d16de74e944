import Foundation

/// How an account's points become its total.
public enum ScoringMode: Sendable, Equatable {
    /// The published rule-based models: Fit, Value and Intent are each a sum of points clamped to
    /// 0…100, and the total is their weighted mean (``Weights``).
    case additive
    /// A learned model (`signalbox train --out`): every point is log-odds, and the total is the
    /// probability, in percent, of converting within the horizon.
    case logistic(LogisticScoring)
}

/// The parameters of a learned model beyond its points.
///
/// The total is `100 · σ(intercept + Σ signal points + Σ fit points)`, with `fitUnknown` standing in
/// for the fit points when nothing is known about the company. Each axis shows `100 · σ(its points)`,
/// so 50 means its evidence is neutral and above 50 it argues for converting.
public struct LogisticScoring: Sendable, Equatable {
    /// Log-odds of an account with no signals and no matching fit rules.
    public var intercept: Double
    /// Log-odds added when fit is unknown.
    public var fitUnknown: Double
    /// The conversion window the probability refers to.
    public var horizon: TimeInterval

    public init(intercept: Double, fitUnknown: Double = 0, horizon: TimeInterval) {
        self.intercept = intercept
        self.fitUnknown = fitUnknown
        self.horizon = horizon
    }

    /// `1 / (1 + e^(-logit))`, computed without overflow.
    public static func sigmoid(_ logit: Double) -> Double {
        logit >= 0 ? 1 / (1 + exp(-logit)) : exp(logit) / (1 + exp(logit))
    }
}
