import Foundation
import SignalboxCore

/// The signals that would score discovered compounds: a compound per pair, reusing the model's
/// event signals where one counts exactly that feature, and new zero-point event signals for the
/// rest (a compound can only name signals that exist).
///
/// ```swift
/// let suggestions = SignalSuggestions(compounds: report.compounds, config: config, lookBack: report.lookBack)
/// print(suggestions.yaml)   // paste under `signals:` in signalbox.yaml
/// ```
public struct SignalSuggestions: Sendable, Equatable {
    /// A new event signal a compound needs; it scores nothing alone.
    public struct EventSignal: Sendable, Equatable {
        public var id: String
        public var category: SignalCategory
        public var pattern: EventPattern
    }

    /// A compound over signals that must each be present at least once inside the window.
    public struct CompoundSignal: Sendable, Equatable {
        public var id: String
        public var category: SignalCategory
        public var signals: [String]
        public var points: Int
        public var reason: String
        public var stats: LiftStats
    }

    public private(set) var events: [EventSignal] = []
    public private(set) var compounds: [CompoundSignal] = []
    public let lookBack: TimeInterval

    /// Suggestions for `found` (pairs of event and property features), given the model's signals.
    public init(compounds found: [FeatureLift], config: ModelConfig, lookBack: TimeInterval) {
        self.lookBack = lookBack
        var taken = Set(config.signals.map(\.id))
        for candidate in found {
            let patterns = candidate.features.compactMap(\.eventPattern)
            guard patterns.count == candidate.features.count else { continue }
            let parts = patterns.map { reference($0, config: config, taken: &taken) }
            let id = parts.map(\.id).joined(separator: "_and_")
            guard !taken.contains(id) else { continue }
            taken.insert(id)
            compounds.append(CompoundSignal(
                id: id, category: parts.contains { $0.category == .intent } ? .intent : .value, signals: parts.map(\.id),
                points: Self.points(lift: candidate.stats.lift), reason: candidate.name + " within {window}", stats: candidate.stats
            ))
        }
    }

    /// A starting point that grows with the evidence: 5 points per doubling of the lift, 5 to 30.
    static func points(lift: Double) -> Int {
        min(30, max(5, 5 * Int(log2(lift).rounded())))
    }

    /// The signal that counts a pattern: the model's own when one counts exactly it, else a new one.
    private mutating func reference(_ pattern: EventPattern, config: ModelConfig, taken: inout Set<String>) -> (id: String, category: SignalCategory) {
        if let existing = config.signals.first(where: { $0.counts(pattern) }) { return (existing.id, existing.category) }
        if let known = events.first(where: { $0.pattern == pattern }) { return (known.id, known.category) }
        // A property value takes the category of the signal that counts the whole event.
        let whole = EventPattern(activity: pattern.activity, property: nil)
        let category = config.signals.first { $0.counts(whole) }?.category ?? .value
        var id = SignalId.make(from: [pattern.activity.description, pattern.property?.key, pattern.property?.value].compactMap { $0 }.joined(separator: " "))
        while taken.contains(id) { id += "_event" }
        taken.insert(id)
        events.append(EventSignal(id: id, category: category, pattern: pattern))
        return (id, category)
    }
}

/// What one event signal can count: an activity, optionally with one property value.
public struct EventPattern: Sendable, Hashable, CustomStringConvertible {
    /// A string property and the value it must have.
    public struct Property: Sendable, Hashable {
        public var key: String
        public var value: String
    }

    public var activity: ActivityName
    public var property: Property?

    public var description: String {
        property.map { "\(activity) where \($0.key)=\($0.value)" } ?? activity.description
    }
}

extension DiscoveryFeature {
    /// The event signal pattern of an event or property feature; nil for sequences.
    var eventPattern: EventPattern? {
        switch self {
        case .event(let activity): EventPattern(activity: activity, property: nil)
        case .property(let activity, let key, let value): EventPattern(activity: activity, property: .init(key: key, value: value))
        case .sequence: nil
        }
    }
}

extension SignalDefinition {
    /// Whether this is a plain counting event signal for exactly this pattern.
    fileprivate func counts(_ pattern: EventPattern) -> Bool {
        let activity = pattern.activity
        guard case .event(let match) = kind, match.sumProperty == nil, match.page == activity.page,
              activity.page ? match.name.lowercased() == activity.name.lowercased() : match.name == activity.name else { return false }
        guard let property = pattern.property else { return match.filters.isEmpty }
        guard match.filters.count == 1, match.filters[0].field == property.key else { return false }
        let values: [String]
        switch match.filters[0].test {
        case .equals(let value): values = [value]
        case .oneOf(let listed): values = listed
        default: return false
        }
        return values.map { $0.lowercased() } == [property.value.lowercased()]
    }
}

/// Signal ids from feature names: lower-case words joined by underscores.
enum SignalId {
    static func make(from text: String) -> String {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "signal" : words.joined(separator: "_")
    }
}
