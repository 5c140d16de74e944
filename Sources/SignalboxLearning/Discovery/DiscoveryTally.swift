import Foundation
import SignalboxCore

/// What each account did inside its look-back window, collected one event at a time, so a store
/// can stream its history through it without holding it.
///
/// ```swift
/// var tally = DiscoveryTally(windows: MatchedWindows.make(conversions: conversions, nonConverters: others, lookBack: 30 * 86_400))
/// for (event, account) in history { tally.observe(event, account: account) }
/// let samples = tally.samples()
/// ```
public struct DiscoveryTally: Sendable {
    /// Most distinct values a string property may take to become `name=value` candidates; a
    /// property with more is an id or free text.
    public let maximumPropertyValues: Int
    private let windows: [String: LookBackWindow]
    /// Accounts with any activity before their window's end: the ones that existed to be compared.
    private var activeBeforeEnd = Set<String>()
    private var activity: [String: WindowActivity] = [:]
    private var propertyValues: [PropertyKey: Set<String>] = [:]
    private var highCardinality = Set<PropertyKey>()

    public init(windows: [LookBackWindow], maximumPropertyValues: Int = 12) {
        self.windows = Dictionary(windows.map { ($0.accountId, $0) }, uniquingKeysWith: { first, _ in first })
        self.maximumPropertyValues = maximumPropertyValues
    }

    /// Counts an event for `account` when it falls inside the account's window. Events at or after
    /// the window's end are ignored, whatever order they arrive in.
    public mutating func observe(_ event: Event, account: String) {
        guard let window = windows[account], event.timestamp < window.end, let name = ActivityName(event) else { return }
        activeBeforeEnd.insert(account)
        guard window.contains(event.timestamp) else { return }
        activity[account, default: WindowActivity()].record(name, at: event.timestamp)
        for (key, value) in event.properties {
            guard case .string(let text) = value, !text.isEmpty else { continue }
            let property = PropertyKey(activity: name, key: key)
            guard !highCardinality.contains(property) else { continue }
            propertyValues[property, default: []].insert(text)
            if propertyValues[property]!.count > maximumPropertyValues {
                highCardinality.insert(property)
                propertyValues[property] = nil
                continue
            }
            activity[account]!.properties.insert(PropertyValue(property: property, value: text))
        }
    }

    /// One sample per account that was active before its window's end, by account id. An account
    /// whose first activity came later did not exist yet at that moment and is left out.
    public func samples() -> [DiscoverySample] {
        activeBeforeEnd.sorted().map { account in
            DiscoverySample(accountId: account, converted: windows[account]!.converted, features: features(of: activity[account] ?? WindowActivity()))
        }
    }

    private func features(of activity: WindowActivity) -> Set<DiscoveryFeature> {
        var features = Set(activity.first.keys.map(DiscoveryFeature.event))
        for entry in activity.properties where isCategorical(entry.property) {
            features.insert(.property(entry.property.activity, key: entry.property.key, value: entry.value))
        }
        for (first, firstSeen) in activity.first {
            for (second, lastSeen) in activity.last where first != second && firstSeen < lastSeen {
                features.insert(.sequence(first, then: second))
            }
        }
        return features
    }

    /// A property that takes a few values: more than one (else it says nothing the event does not)
    /// and at most ``maximumPropertyValues``.
    private func isCategorical(_ property: PropertyKey) -> Bool {
        guard let values = propertyValues[property] else { return false }
        return values.count > 1
    }
}

/// One account's window reduced to the features it shows, and whether it converted.
public struct DiscoverySample: Sendable, Equatable {
    public var accountId: String
    public var converted: Bool
    public var features: Set<DiscoveryFeature>

    public init(accountId: String, converted: Bool, features: Set<DiscoveryFeature>) {
        self.accountId = accountId
        self.converted = converted
        self.features = features
    }
}

/// A string property of one activity.
private struct PropertyKey: Sendable, Hashable {
    var activity: ActivityName
    var key: String
}

private struct PropertyValue: Sendable, Hashable {
    var property: PropertyKey
    var value: String
}

/// When each activity first and last happened inside one window, and the property values seen.
private struct WindowActivity: Sendable {
    var first: [ActivityName: Date] = [:]
    var last: [ActivityName: Date] = [:]
    var properties = Set<PropertyValue>()

    mutating func record(_ name: ActivityName, at time: Date) {
        first[name] = min(first[name] ?? time, time)
        last[name] = max(last[name] ?? time, time)
    }
}
