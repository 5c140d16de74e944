import Foundation

/// A ``ModelConfig`` prepared for the hot path: event names indexed, and how many days of history
/// each signal must keep so every window that reads it can be answered.
public struct CompiledModel: Sendable {
    public let config: ModelConfig
    /// Event signals by the track event name they count.
    let trackSignals: [String: [Int]]
    /// Event signals by the page or screen name they count.
    let pageSignals: [String: [Int]]
    /// Days of buckets kept per signal index (0 when the signal needs none).
    let horizonDays: [Int]
    /// Days of activity buckets and per-user activity kept for metrics.
    let activityHorizonDays: Int
    /// Signal index by id.
    let indexById: [String: Int]
    /// Signal ids and half-lives by index, read once per event without copying a definition.
    let signalIds: [String]
    let halfLives: [TimeInterval?]
    /// Each signal's reason template, parsed once, by index.
    let reasonTemplates: [ReasonTemplate]

    public init(_ config: ModelConfig) {
        self.config = config
        var track: [String: [Int]] = [:]
        var page: [String: [Int]] = [:]
        var index: [String: Int] = [:]
        for (position, signal) in config.signals.enumerated() {
            index[signal.id] = position
            guard case .event(let match) = signal.kind else { continue }
            if match.page { page[match.name.lowercased(), default: []].append(position) } else { track[match.name, default: []].append(position) }
        }
        trackSignals = track
        pageSignals = page
        indexById = index
        signalIds = config.signals.map(\.id)
        halfLives = config.signals.map(\.halfLife)
        reasonTemplates = config.signals.map { ReasonTemplate($0.reason ?? ReasonText.defaultTemplate($0)) }

        var horizon = config.signals.map { CompiledModel.days($0.window) }
        var activity = 1
        for signal in config.signals {
            switch signal.kind {
            case .metric(let metric) where metric != .daysSinceLastActive:
                activity = max(activity, CompiledModel.days(signal.window))
            case .compound(let compound):
                let days = CompiledModel.days(signal.window)
                for condition in compound.conditions {
                    guard let referenced = index[condition.signal] else { continue }
                    horizon[referenced] = max(horizon[referenced], days)
                    if case .metric = config.signals[referenced].kind { activity = max(activity, days) }
                }
            default:
                break
            }
        }
        for id in config.fastLane.signals {
            if let referenced = index[id] { horizon[referenced] = max(horizon[referenced], CompiledModel.days(config.fastLane.window)) }
        }
        horizonDays = horizon
        activityHorizonDays = activity
    }

    /// Identifies everything that shapes stored state: how state is laid out, which events feed
    /// which signal, decay, how far back buckets reach, and which email domains count as personal.
    /// Points, thresholds, fit rules, labels and the file's layout do not, so changing them never
    /// forces a rebuild.
    public var stateFingerprint: String {
        var shape = "layout:\(CompiledModel.stateLayout)|activity:\(activityHorizonDays)"
        for (index, signal) in config.signals.enumerated() {
            shape += "|\(signal.id):\(signal.kind):\(signal.halfLife ?? 0):\(horizonDays[index])"
        }
        shape += "|personal:" + config.identity.personalDomains.sorted().joined(separator: ",")
        return String(StableHash.of(shape), radix: 16)
    }

    /// The version of the stored state's layout; raising it rebuilds stored state on next open.
    static let stateLayout = 3

    /// Whole days a window covers (at least one).
    static func days(_ window: TimeInterval?) -> Int {
        guard let window else { return 0 }
        return max(1, Int((window / 86_400).rounded(.up)))
    }

    /// The event properties scoring reads: every event signal's filter fields and summed property,
    /// and `name` (a page's name when the call has none). A decoder for scoring needs no others.
    public var propertiesRead: PropertySelection {
        var names: Set<String> = ["name"]
        for signal in config.signals {
            guard case .event(let match) = signal.kind else { continue }
            names.formUnion(match.filters.map(\.field))
            if let property = match.sumProperty { names.insert(property) }
        }
        return .only(names)
    }

    /// Which signals an event feeds and by how much (1 per occurrence, or the summed property).
    public func matches(_ event: Event) -> [SignalHit] {
        var hits: [SignalHit] = []
        matches(event, into: &hits)
        return hits
    }

    /// ``matches(_:)`` into `hits`, which it empties first: the engine reuses one array for every
    /// event instead of allocating one per event.
    public func matches(_ event: Event, into hits: inout [SignalHit]) {
        hits.removeAll(keepingCapacity: true)
        guard let name = event.name else { return }
        let candidates: [Int]?
        switch event.type {
        case .track: candidates = trackSignals[name]
        case .page, .screen: candidates = pageSignals[name.lowercased()]
        default: candidates = nil
        }
        guard let candidates else { return }
        for index in candidates {
            guard case .event(let match) = config.signals[index].kind,
                  match.filters.allSatisfy({ $0.holds(on: event.properties) }) else { continue }
            if let property = match.sumProperty {
                guard let amount = event.properties[property]?.doubleValue else { continue }
                hits.append(SignalHit(signal: index, amount: amount))
            } else {
                hits.append(SignalHit(signal: index, amount: 1))
            }
        }
    }
}

/// One event feeding one signal.
public struct SignalHit: Sendable, Equatable, Codable {
    /// Position of the signal in the model's signal list.
    public var signal: Int
    /// 1 for an occurrence, or the value of the summed property.
    public var amount: Double
}

extension PropertyFilter {
    /// Whether an event's properties pass this filter.
    func holds(on properties: [String: JSONValue]) -> Bool {
        test.holds(on: properties[field])
    }
}

extension FieldTest {
    /// Whether a JSON value passes the test; arrays pass when any element does.
    func holds(on value: JSONValue?) -> Bool {
        guard let value, !value.isNull else { return false }
        if let elements = value.arrayValue {
            if case .exists = self { return !elements.isEmpty }
            return elements.contains { holds(on: $0) }
        }
        switch self {
        case .exists:
            return value.stringValue.map { !$0.isEmpty } ?? true
        case .between(let low, let high):
            guard let number = value.doubleValue else { return false }
            return (low.map { number >= $0 } ?? true) && (high.map { number <= $0 } ?? true)
        case .oneOf(let options):
            guard let text = value.stringValue?.lowercased() else { return false }
            return options.contains { $0.lowercased() == text }
        case .equals(let expected):
            return value.stringValue?.lowercased() == expected.lowercased()
        case .contains(let fragments):
            guard let text = value.stringValue?.lowercased() else { return false }
            return fragments.contains { text.containsBytes(of: $0.lowercased()) }
        case .isTrue(let expected):
            if let flag = value.boolValue { return flag == expected }
            return value.stringValue?.lowercased() == String(expected)
        }
    }
}

extension String {
    /// Whether `fragment` occurs in the string, compared byte by byte: the values fit rules read are
    /// short, and Foundation's `contains` (through NSString) or a general-purpose searcher cost
    /// more to set up than the search itself.
    func containsBytes(of fragment: String) -> Bool {
        let needle = Array(fragment.utf8)
        guard !needle.isEmpty else { return true }
        let haystack = Array(utf8)
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var matched = 1
            while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
        }
        return false
    }
}
