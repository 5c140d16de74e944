import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxStore

/// Replays stored history one day at a time with a model, as it would have run: each day the
/// engine holds exactly the events up to that day and every account is scored then.
public struct BacktestReplay {
    public let store: any SignalStore
    public let model: CompiledModel
    public let companies: [String: Company]

    public init(store: any SignalStore, model: CompiledModel, companies: [String: Company]) {
        self.store = store
        self.model = model
        self.companies = companies
    }

    /// Daily observations from `from` to `to` (inclusive, whole days), with outcomes resolved to
    /// the accounts of the last day. `progress` is told each day as it is scored.
    public func history(from: Date, to: Date, outcomes: [Outcome], progress: (Int, Int) -> Void = { _, _ in }) throws -> BacktestHistory {
        let days = max(0, Int((to.timeIntervalSince(from) / 86_400).rounded(.down)))
        var engine = try store.replay(model: model, companies: companies, until: from)
        var index: [String: Int32] = [:]
        var accounts: [String] = []
        var firstSeen: [Int?] = []
        var tiers: [String] = []
        var observations: [BacktestHistory.Observation] = []
        // Stored batches span more than a day (late events), so history is read a week at a time
        // and fed to the engine day by day: each batch is decoded about once, not once per day.
        var pending: [[Event]] = []
        var profiles = ProfileCache()
        for day in 0...days {
            let time = from.addingTimeInterval(Double(day) * 86_400)
            if day > 0 {
                if pending.isEmpty { pending = try week(after: time.addingTimeInterval(-86_400), days: min(7, days - day + 1)) }
                _ = engine.ingest(pending.removeFirst())
                profiles.forget(engine.takeChanges(), in: engine)
            }
            for score in engine.scoreAll(asOf: time, explained: false, profiles: &profiles) {
                let account: Int32
                if let known = index[score.accountId] {
                    account = known
                } else {
                    account = Int32(accounts.count)
                    index[score.accountId] = account
                    accounts.append(score.accountId)
                    firstSeen.append(day == 0 ? nil : day)
                    tiers.append("")
                }
                tiers[Int(account)] = model.config.routing.fitTier(score.fit) ?? "unknown"
                let gates = gatesHold(score)
                observations.append(BacktestHistory.Observation(
                    account: account, day: Int32(day), total: score.total, stage: score.stage, fastLane: score.isFastLane,
                    readyGates: gates.ready, pqlGates: gates.pql
                ))
            }
            progress(day, days)
        }
        var converted: [Int: Date] = [:]
        var lost: [Int: Date] = [:]
        for outcome in OutcomeResolver.resolve(outcomes, engine: engine).outcomes {
            guard let account = index[outcome.accountId].map(Int.init) else { continue }
            if let at = outcome.convertedAt { converted[account] = min(converted[account] ?? at, at) }
            if let at = outcome.lostAt { lost[account] = min(lost[account] ?? at, at) }
        }
        return BacktestHistory(
            start: from, days: days, accounts: accounts, firstSeenDay: firstSeen, fitTier: tiers,
            observations: observations, convertedAt: converted, lostAt: lost
        )
    }

    /// The stored events of the `days` days after `start`, one list per day.
    private func week(after start: Date, days: Int) throws -> [[Event]] {
        var byDay = [[Event]](repeating: [], count: days)
        try store.forEachEvent(after: start, until: start.addingTimeInterval(Double(days) * 86_400)) { event in
            // Day i holds (start + i days, start + i + 1 days].
            let offset = Int((event.timestamp.timeIntervalSince(start) / 86_400).rounded(.up)) - 1
            byDay[min(max(offset, 0), days - 1)].append(event)
        }
        return byDay
    }

    /// Whether the sales-ready and PQL gates hold, leaving the score thresholds aside.
    private func gatesHold(_ score: AccountScore) -> (ready: Bool, pql: Bool) {
        guard case .thresholds(let pql, let ready) = model.config.stages else { return (true, true) }
        func holds(_ threshold: StageThreshold) -> Bool {
            threshold.gates.allSatisfy { axis, minimum in
                let value: Double? = switch axis {
                case .fit: score.fit
                case .value: score.value
                case .intent: score.intent
                }
                return value.map { $0 >= minimum } ?? false
            }
        }
        return (holds(ready), holds(pql))
    }
}
