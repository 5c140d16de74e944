import Foundation

/// Everything Signalbox remembers about one account's behaviour, updated one event at a time.
///
/// Every update commutes: applying the same events in any order gives the same state, which is what
/// makes an unordered import equal to an ordered one.
public struct AccountState: Sendable, Equatable {
    /// Per-signal memory, by signal id.
    public var signals: [String: SignalState] = [:]
    /// Events per UTC day, for active-day and event-count metrics.
    public var activity = DayBuckets()
    /// Each recently active user's last active day (for distinct-user metrics) and activity events
    /// (to name the account's champion), in one record so an event updates both with one lookup.
    public var users: [String: UserActivity] = [:]
    public var firstActiveAt: Date?
    public var lastActiveAt: Date?
    /// Activity events applied, over all time.
    public var eventCount = 0
    /// The newest day inactive users were last forgotten on.
    var prunedOnDay: Int32?

    public init() {}

    /// Applies one activity event by `user` at `time` that fed `hits`.
    public mutating func apply(user: String, at time: Date, hits: [SignalHit], model: CompiledModel) {
        eventCount += 1
        activity.add(amount: 1, at: time, halfLife: nil, horizonDays: model.activityHorizonDays)
        firstActiveAt = min(firstActiveAt ?? time, time)
        lastActiveAt = max(lastActiveAt ?? time, time)
        let day = DayBuckets.day(of: time)
        users[user, default: UserActivity(lastActiveDay: day, events: 0)].record(activeOn: day)
        // Forget users outside every window, at most once per new day so big accounts stay cheap.
        if let newest = activity.buckets.last?.day, newest > (prunedOnDay ?? .min) {
            prunedOnDay = newest
            let oldestKept = newest - Int32(model.activityHorizonDays) + 1
            if users.values.contains(where: { $0.lastActiveDay < oldestKept }) {
                users = users.filter { $0.value.lastActiveDay >= oldestKept }
            }
        }
        for hit in hits {
            signals[model.signalIds[hit.signal], default: SignalState()].add(
                amount: hit.amount, at: time, halfLife: model.halfLives[hit.signal], horizonDays: model.horizonDays[hit.signal]
            )
        }
    }

    /// Distinct users active inside the window ending on the as-of day.
    public func activeUsers(asOf: Date, windowDays: Int) -> Int {
        let last = DayBuckets.day(of: asOf)
        let first = last - Int32(windowDays) + 1
        return users.values.reduce(0) { $0 + ($1.lastActiveDay >= first && $1.lastActiveDay <= last ? 1 : 0) }
    }
}

/// What an account remembers of one recently active user.
public struct UserActivity: Sendable, Equatable {
    /// The newest UTC day the user was active on.
    public var lastActiveDay: Int32
    /// The user's activity events while recently active.
    public var events: Int

    mutating func record(activeOn day: Int32) {
        lastActiveDay = max(lastActiveDay, day)
        events += 1
    }
}

/// What an account has done that one signal counts.
public struct SignalState: Sendable, Equatable, Codable {
    /// Occurrences over all time.
    public var count: Double = 0
    /// Summed amount over all time (equals `count` unless the signal sums a property).
    public var amount: Double = 0
    /// Amount with exponential decay, when the signal has a half-life.
    public var decayed = DecayedSum()
    public var firstAt: Date?
    public var lastAt: Date?
    /// Per-day totals, kept only as far back as the signal's windows reach.
    public var days = DayBuckets()

    public init() {}

    mutating func add(amount: Double, at time: Date, halfLife: TimeInterval?, horizonDays: Int) {
        count += 1
        self.amount += amount
        if let halfLife { decayed.add(amount, at: time, halfLife: halfLife) }
        firstAt = min(firstAt ?? time, time)
        lastAt = max(lastAt ?? time, time)
        if horizonDays > 0 { days.add(amount: amount, at: time, halfLife: halfLife, horizonDays: horizonDays) }
    }
}
