import Foundation
import SignalboxCore
import SignalboxStore

/// An account's score with the direction it is moving.
public struct ScoredAccount: Sendable, Equatable, Codable {
    public var score: AccountScore
    public var trend: ScoreTrend?
}

/// Scores every account at one moment and records the result in the score history.
///
/// An as-of time before the newest stored event replays history up to that moment, so a past
/// score is exactly what the system would have said then.
public struct ScoringRun {
    public let store: any SignalStore
    public let engine: Engine

    public init(store: any SignalStore, engine: Engine) {
        self.store = store
        self.engine = engine
    }

    /// The engine as of `asOf`: the current one, or a replay of history up to then.
    public func engine(asOf: Date) throws -> Engine {
        try replays(asOf: asOf) ? store.replay(model: engine.model, companies: engine.companies, until: asOf) : engine
    }

    /// Whether scoring at `asOf` replays history: the store holds events after it.
    public func replays(asOf: Date) throws -> Bool {
        guard let latest = try store.statistics().latestEvent else { return false }
        return asOf < latest
    }

    /// Scores all accounts at `asOf`, best first; `record` appends them to the score history.
    public func scoreAll(asOf: Date, record: Bool) throws -> [ScoredAccount] {
        let scores = try engine(asOf: asOf).scoreAll(asOf: asOf)
        let history = try store.scoreHistory()
        if record { try store.saveScores(scores, history: true) }
        return scores.map { score in
            ScoredAccount(score: score, trend: ScoreTrend(current: score.total, asOf: asOf, history: history[score.accountId] ?? []))
        }
    }

    /// Scores one account at `asOf`, or nil when it is unknown.
    public func score(account: String, asOf: Date) throws -> ScoredAccount? {
        guard let score = try engine(asOf: asOf).score(account: account, asOf: asOf) else { return nil }
        let history = try store.scoreHistory()[account] ?? []
        return ScoredAccount(score: score, trend: ScoreTrend(current: score.total, asOf: asOf, history: history))
    }
}
