import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxStore

extension TrainingSnapshots {
    /// `signalbox backtest`: stored history replayed one day at a time with the model, as it would
    /// have run. Each day the engine holds exactly the events up to that day and every account is
    /// scored then; outcomes are resolved to the accounts of the last day. `progress` is told each
    /// day as it is scored.
    ///
    /// ```swift
    /// let history = try TrainingSnapshots(store: store, model: candidate, companies: companies)
    ///     .backtestHistory(from: september, to: december, outcomes: outcomes)
    /// let report = Backtest.evaluate(history, horizon: 30 * 86_400)
    /// ```
    public func backtestHistory(from: Date, to: Date, outcomes: [Outcome], progress: (Int, Int) -> Void = { _, _ in }) throws -> BacktestHistory {
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
                engine.apply(pending.removeFirst())
                profiles.forget(engine.takeChanges(), in: engine)
            }
            for score in engine.scoreAll(asOf: time, explained: false, profiles: &profiles) {
                let tier = model.config.routing.fitTier(score.fit) ?? "unknown"
                let account: Int32
                if let known = index[score.accountId] {
                    account = known
                    tiers[Int(account)] = tier
                } else {
                    account = Int32(accounts.count)
                    index[score.accountId] = account
                    accounts.append(score.accountId)
                    firstSeen.append(day == 0 ? nil : day)
                    tiers.append(tier)
                }
                let gates = gatesHold(score)
                observations.append(BacktestHistory.Observation(
                    account: account, day: Int32(day), total: score.total, stage: score.stage, fastLane: score.isFastLane,
                    readyGates: gates.ready, pqlGates: gates.pql
                ))
            }
            progress(day, days)
        }
        let (conversions, losses) = OutcomeResolver.resolve(outcomes, engine: engine).outcomes.firstTimes
        func byIndex(_ times: [String: Date]) -> [Int: Date] {
            Dictionary(uniqueKeysWithValues: times.compactMap { account, time in index[account].map { (Int($0), time) } })
        }
        return BacktestHistory(
            start: from, days: days, accounts: accounts, firstSeenDay: firstSeen, fitTier: tiers,
            observations: observations, convertedAt: byIndex(conversions), lostAt: byIndex(losses)
        )
    }

    /// The stored events of the `days` days after `start`, one list per day.
    private func week(after start: Date, days: Int) throws -> [[Event]] {
        var byDay = [[Event]](repeating: [], count: days)
        let window = start.addingTimeInterval(Double(days) * 86_400)
        try store.forEachEvent(after: start, until: window, properties: model.propertiesRead) { event in
            // Day i holds (start + i days, start + i + 1 days].
            let offset = Int((event.timestamp.timeIntervalSince(start) / 86_400).rounded(.up)) - 1
            byDay[min(max(offset, 0), days - 1)].append(event)
        }
        return byDay
    }

    /// Whether the sales-ready and PQL gates hold, leaving the score thresholds aside.
    private func gatesHold(_ score: AccountScore) -> (ready: Bool, pql: Bool) {
        guard case .thresholds(let pql, let ready) = model.config.stages else { return (true, true) }
        return (ready.gatesHold(score.subscore), pql.gatesHold(score.subscore))
    }
}
