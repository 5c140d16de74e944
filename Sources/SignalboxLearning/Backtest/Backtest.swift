import Foundation
import SignalboxCore

/// Measures a backtest's history: how good the sales-ready flags were, how early they came, and
/// how many accounts each stage and fit tier held.
public enum Backtest {
    /// Which stage each observation had.
    public enum StageRule: Sendable, Equatable {
        /// The stage the model gave.
        case asScored
        /// The model's gates and fast lane with other score thresholds, for tuning.
        case thresholds(pql: Double, salesReady: Double)
    }

    /// Lead-time buckets in days: [0, 7), [7, 14), [14, 30), [30, 60), 60 and more.
    public static let leadBuckets: [Double] = [0, 7, 14, 30, 60]

    public static func evaluate(_ history: BacktestHistory, rule: StageRule = .asScored, horizon: TimeInterval) -> BacktestReport {
        let count = history.accounts.count
        var firstReady = [Int32?](repeating: nil, count: count)
        var firstPQL = [Int32?](repeating: nil, count: count)
        var firstObserved = [Int32?](repeating: nil, count: count)
        var highest = [Stage?](repeating: nil, count: count)
        var firstAtHighest = [Int32](repeating: 0, count: count)
        for observation in history.observations where history.isOpen(observation) {
            let account = Int(observation.account)
            let stage = Self.stage(of: observation, rule: rule)
            if firstObserved[account] == nil { firstObserved[account] = observation.day }
            if stage == .salesReady, firstReady[account] == nil { firstReady[account] = observation.day }
            if stage >= .pql, firstPQL[account] == nil { firstPQL[account] = observation.day }
            if highest[account].map({ stage > $0 }) ?? true {
                highest[account] = stage
                firstAtHighest[account] = observation.day
            }
        }

        func converts(_ account: Int, after day: Int32) -> Bool {
            guard let converted = history.convertedAt[account] else { return false }
            let time = history.time(ofDay: day)
            return converted > time && converted <= time.addingTimeInterval(horizon)
        }
        let end = history.time(ofDay: Int32(history.days))
        var flagged = 0
        var hits = 0
        var converters = 0
        var caught = 0
        var leads: [Double] = []
        var weekly = [Int](repeating: 0, count: history.days / 7 + 1)
        var stageRows: [Stage: BacktestReport.Group] = [:]
        var tierRows: [String: BacktestReport.Group] = [:]
        for account in 0..<count {
            guard let observed = firstObserved[account], let stage = highest[account] else { continue }
            let tier = history.fitTier[account]
            stageRows[stage, default: .init(name: stage.rawValue)].accounts += 1
            tierRows[tier, default: .init(name: tier)].accounts += 1
            if converts(account, after: firstAtHighest[account]) { stageRows[stage]!.converted += 1 }
            if let day = firstReady[account] {
                flagged += 1
                weekly[Int(day) / 7] += 1
                tierRows[tier]!.flagged += 1
                if converts(account, after: day) {
                    hits += 1
                    tierRows[tier]!.converted += 1
                }
            }
            // A converter in the period that was a prospect at some point in it.
            if let converted = history.convertedAt[account], converted > history.time(ofDay: observed), converted <= end {
                converters += 1
                tierRows[tier]!.converters += 1
                if let day = firstReady[account], history.time(ofDay: day) < converted {
                    caught += 1
                    tierRows[tier]!.caught += 1
                    leads.append(converted.timeIntervalSince(history.time(ofDay: day)) / 86_400)
                }
            }
        }
        let newSignups = (0..<count).filter { history.firstSeenDay[$0] != nil && firstObserved[$0] != nil }
        return BacktestReport(
            from: history.start, to: end, horizon: horizon, accounts: firstObserved.compactMap { $0 }.count,
            flagged: flagged, flaggedConverted: hits, converters: converters, convertersFlagged: caught,
            medianLeadDays: median(leads), leadDistribution: distribution(leads),
            newSignups: newSignups.count, newSignupsPQL: newSignups.filter { firstPQL[$0] != nil }.count,
            weeklySalesReady: weekly,
            byStage: [Stage.notPQL, .pql, .salesReady].compactMap { stageRows[$0] },
            byFitTier: tierRows.values.sorted { $0.name < $1.name }
        )
    }

    /// An observation's stage under `rule`.
    public static func stage(of observation: BacktestHistory.Observation, rule: StageRule) -> Stage {
        switch rule {
        case .asScored:
            return observation.stage
        case .thresholds(let pql, let salesReady):
            if observation.stage == .excluded { return .excluded }
            if observation.fastLane || (observation.total >= salesReady && observation.readyGates) { return .salesReady }
            return observation.total >= pql && observation.pqlGates ? .pql : .notPQL
        }
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func distribution(_ leads: [Double]) -> [BacktestReport.LeadBucket] {
        leadBuckets.indices.map { index in
            let lower = leadBuckets[index]
            let upper = index + 1 < leadBuckets.count ? leadBuckets[index + 1] : nil
            return BacktestReport.LeadBucket(
                fromDays: lower, toDays: upper, converters: leads.filter { lead in lead >= lower && lead < (upper ?? .infinity) }.count
            )
        }
    }
}
