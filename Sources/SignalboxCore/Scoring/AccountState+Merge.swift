import Foundation

extension AccountState {
    /// Combines two workspaces' states into one company account's state.
    public func merged(with other: AccountState, model: CompiledModel) -> AccountState {
        var result = self
        result.eventCount += other.eventCount
        result.activity = activity.merged(with: other.activity, horizonDays: model.activityHorizonDays)
        result.users.merge(other.users) { UserActivity(lastActiveDay: max($0.lastActiveDay, $1.lastActiveDay), events: $0.events + $1.events) }
        result.firstActiveAt = [firstActiveAt, other.firstActiveAt].compactMap { $0 }.min()
        result.lastActiveAt = [lastActiveAt, other.lastActiveAt].compactMap { $0 }.max()
        for (id, theirs) in other.signals {
            guard let index = model.indexById[id] else { continue }
            let signal = model.config.signals[index]
            guard let mine = result.signals[id] else {
                result.signals[id] = theirs
                continue
            }
            var combined = mine
            combined.count += theirs.count
            combined.amount += theirs.amount
            if let halfLife = signal.halfLife, let time = theirs.decayed.asOf {
                combined.decayed.add(theirs.decayed.amount, at: time, halfLife: halfLife)
            }
            combined.firstAt = [mine.firstAt, theirs.firstAt].compactMap { $0 }.min()
            combined.lastAt = [mine.lastAt, theirs.lastAt].compactMap { $0 }.max()
            combined.days = mine.days.merged(with: theirs.days, horizonDays: model.horizonDays[index])
            result.signals[id] = combined
        }
        return result
    }
}

extension DayBuckets {
    /// Day-by-day sum of two bucket sets, bounded like `add`.
    func merged(with other: DayBuckets, horizonDays: Int) -> DayBuckets {
        var byDay: [Int32: Bucket] = [:]
        for bucket in buckets + other.buckets {
            if var existing = byDay[bucket.day] {
                existing.count += bucket.count
                existing.amount += bucket.amount
                existing.decayedAtDayStart += bucket.decayedAtDayStart
                byDay[bucket.day] = existing
            } else {
                byDay[bucket.day] = bucket
            }
        }
        var result = DayBuckets()
        let sorted = byDay.values.sorted { $0.day < $1.day }
        let oldestKept = (sorted.last?.day ?? 0) - Int32(max(horizonDays, 1)) + 1
        result.replace(with: sorted.filter { $0.day >= oldestKept })
        return result
    }
}
