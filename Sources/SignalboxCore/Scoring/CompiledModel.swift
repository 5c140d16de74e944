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
    /// Each event signal's property filters, ready to test, by index (empty for other signals).
    let eventFilters: [[CompiledFilter]]
    /// The fit rules, ready to test every account.
    let fitRules: [CompiledFitRule]
    /// The exclusions, ready to check every account.
    let exclusionCheck: ExclusionCheck
    /// Score bands, highest minimum first.
    let bandsDescending: [ScoreBand]

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
        eventFilters = config.signals.map { signal in
            guard case .event(let match) = signal.kind else { return [] }
            return match.filters.map(CompiledFilter.init)
        }
        fitRules = config.fitRules.map(CompiledFitRule.init)
        exclusionCheck = ExclusionCheck(config.exclusions)
        bandsDescending = config.bands.sorted { $0.minimum > $1.minimum }

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
                  eventFilters[index].allSatisfy({ $0.holds(on: event.properties) }) else { continue }
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
