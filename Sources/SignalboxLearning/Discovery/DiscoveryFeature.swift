import SignalboxCore

/// An activity by its name: a track event, or a page or screen view.
public struct ActivityName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var name: String
    /// True for page and screen views.
    public var page: Bool

    public init(name: String, page: Bool = false) {
        self.name = name
        self.page = page
    }

    /// The activity an event records; nil for identity messages and unnamed views.
    public init?(_ event: Event) {
        guard event.type.isActivity, let name = event.name, !name.isEmpty else { return nil }
        self.init(name: name, page: event.type != .track)
    }

    public var description: String { page ? "\(name) page" : name }

    public static func < (lhs: ActivityName, rhs: ActivityName) -> Bool {
        (lhs.name, lhs.page ? 1 : 0) < (rhs.name, rhs.page ? 1 : 0)
    }
}

/// Something an account did inside its look-back window, which a discovery measures.
public enum DiscoveryFeature: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The activity happened at least once.
    case event(ActivityName)
    /// The activity happened with a string property set to a value (`Plan Limit Hit` with `limit=rows`).
    case property(ActivityName, key: String, value: String)
    /// The first activity happened before a later occurrence of the second.
    case sequence(ActivityName, then: ActivityName)

    /// The three shapes of feature, as they are named in reports.
    public enum Kind: String, Sendable, Codable {
        case event, property, sequence
    }

    public var kind: Kind {
        switch self {
        case .event: .event
        case .property: .property
        case .sequence: .sequence
        }
    }

    /// The activities the feature is about.
    public var activities: Set<ActivityName> {
        switch self {
        case .event(let activity), .property(let activity, _, _): [activity]
        case .sequence(let first, let second): [first, second]
        }
    }

    public var description: String {
        switch self {
        case .event(let activity): activity.description
        case .property(let activity, let key, let value): "\(activity) where \(key)=\(value)"
        case .sequence(let first, let second): "\(first) → \(second)"
        }
    }

    public static func < (lhs: DiscoveryFeature, rhs: DiscoveryFeature) -> Bool {
        lhs.description < rhs.description
    }
}
