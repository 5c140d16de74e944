import Foundation

/// Account states as JSON, the record of earlier versions (``AccountState/init(record:)`` still
/// reads it): each user's last active day and events in two maps of their own.
extension AccountState: Codable {
    private enum CodingKeys: String, CodingKey {
        case signals, activity, lastActiveDayByUser, eventsByUser, firstActiveAt, lastActiveAt, eventCount, prunedOnDay
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        signals = try container.decode([String: SignalState].self, forKey: .signals)
        activity = try container.decode(DayBuckets.self, forKey: .activity)
        let days = try container.decode([String: Int32].self, forKey: .lastActiveDayByUser)
        let events = try container.decode([String: Int].self, forKey: .eventsByUser)
        for (user, day) in days { users[user] = UserActivity(lastActiveDay: day, events: events[user] ?? 0) }
        for (user, count) in events where days[user] == nil { users[user] = UserActivity(lastActiveDay: .min, events: count) }
        firstActiveAt = try container.decodeIfPresent(Date.self, forKey: .firstActiveAt)
        lastActiveAt = try container.decodeIfPresent(Date.self, forKey: .lastActiveAt)
        eventCount = try container.decode(Int.self, forKey: .eventCount)
        prunedOnDay = try container.decodeIfPresent(Int32.self, forKey: .prunedOnDay)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(signals, forKey: .signals)
        try container.encode(activity, forKey: .activity)
        try container.encode(users.mapValues(\.lastActiveDay), forKey: .lastActiveDayByUser)
        try container.encode(users.mapValues(\.events), forKey: .eventsByUser)
        try container.encodeIfPresent(firstActiveAt, forKey: .firstActiveAt)
        try container.encodeIfPresent(lastActiveAt, forKey: .lastActiveAt)
        try container.encode(eventCount, forKey: .eventCount)
        try container.encodeIfPresent(prunedOnDay, forKey: .prunedOnDay)
    }
}
