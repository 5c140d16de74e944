import Foundation

/// An account moving from one stage to another, with the reasons that moved it.
public struct StageTransition: Sendable, Equatable, Codable {
    public var accountId: String
    public var at: Date
    /// Nil the first time an account is seen.
    public var from: Stage?
    public var to: Stage
    public var total: Double
    /// The strongest reasons in the direction of the move: positive when it rises, negative when it falls.
    public var causes: [ReasonCode]
    /// The rule that decided the new stage.
    public var stageReason: String

    public init(accountId: String, at: Date, from: Stage?, to: Stage, total: Double, causes: [ReasonCode], stageReason: String) {
        self.accountId = accountId
        self.at = at
        self.from = from
        self.to = to
        self.total = total
        self.causes = causes
        self.stageReason = stageReason
    }

    /// The transition `score` makes from `previous`, or nil when the stage did not change. A new
    /// account entering as `not_pql` is not a transition: that is where every account starts.
    public init?(from previous: Stage?, to score: AccountScore) {
        guard score.stage != (previous ?? .notPQL) else { return nil }
        let rising = score.stage > (previous ?? .notPQL)
        let negative = score.topNegative(3)
        self.init(
            accountId: score.accountId, at: score.asOf, from: previous, to: score.stage, total: score.total,
            causes: rising || negative.isEmpty ? score.topPositive(3) : negative, stageReason: score.stageReason
        )
    }
}

/// The stage each account is in, and the transitions new scores make from it.
///
/// ```swift
/// var tracker = StageTracker(stages: try store.currentStages())
/// let observed = tracker.changes(engine.scoreAll(asOf: now))
/// try store.recordStages(observed)      // once that commits:
/// tracker.record(observed)
/// ```
public struct StageTracker: Sendable {
    public private(set) var stages: [String: Stage]

    public init(stages: [String: Stage] = [:]) {
        self.stages = stages
    }

    /// What `scores` change: accounts whose stage is new or different, and transitions in the order given.
    public func changes(_ scores: [AccountScore]) -> StageObservation {
        var observation = StageObservation()
        for score in scores where (observation.stages[score.accountId] ?? stages[score.accountId]) != score.stage {
            let previous = observation.stages[score.accountId] ?? stages[score.accountId]
            if let transition = StageTransition(from: previous, to: score) { observation.transitions.append(transition) }
            observation.stages[score.accountId] = score.stage
        }
        return observation
    }

    /// Takes the stages of an observation as current.
    public mutating func record(_ observation: StageObservation) {
        stages.merge(observation.stages) { _, new in new }
    }
}

/// What one round of scoring changed: accounts whose stage is new or different, and the
/// transitions among them worth recording.
public struct StageObservation: Sendable, Equatable {
    public var stages: [String: Stage] = [:]
    public var transitions: [StageTransition] = []

    public init() {}
}
