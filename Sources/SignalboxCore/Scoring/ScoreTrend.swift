import Foundation

/// One point of an account's score history.
public struct ScorePoint: Sendable, Equatable, Codable {
    public var asOf: Date
    public var total: Double
    public var stage: Stage

    public init(asOf: Date, total: Double, stage: Stage) {
        self.asOf = asOf
        self.total = total
        self.stage = stage
    }
}

/// Which way an account's score is moving.
public enum ScoreTrend: String, Sendable, Codable {
    case improving, steady, declining

    /// Compares the current total with the latest recorded score at least `lookback` earlier;
    /// a move of `threshold` points or more is a trend. Nil when there is no such history.
    public init?(current: Double, asOf: Date, history: [ScorePoint], lookback: TimeInterval = 7 * 86_400, threshold: Double = 5) {
        guard let previous = history.last(where: { $0.asOf <= asOf.addingTimeInterval(-lookback) })
            ?? history.first(where: { $0.asOf < asOf }) else { return nil }
        let change = current - previous.total
        self = change >= threshold ? .improving : change <= -threshold ? .declining : .steady
    }
}
