import Foundation
import Yams

/// Reads and validates `signalbox.yaml`. Parsing text is pure; the caller reads the file.
///
/// ```swift
/// let config = try ConfigLoader.load(yaml: try String(contentsOfFile: path), file: path)
/// ```
public enum ConfigLoader {
    static let topLevelKeys = ["name", "version", "database", "identity", "signals", "fit", "weights", "scoring", "stages", "bands", "fast_lane", "exclusions", "routing", "destinations", "outcomes", "server"]

    public static func load(yaml: String, file: String) throws(ConfigError) -> ModelConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigError(file: file, line: nil, key: "", message: "the file is empty")
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "cannot be read as YAML: \(error)")
        }
        let top = YAMLNode(node: root, path: "", file: file)
        try top.requireKeys(in: topLevelKeys)

        guard let signalsNode = top["signals"] else { throw top.error("signals: at least one signal is required") }
        var signals: [SignalDefinition] = []
        for (id, node) in try signalsNode.entries() { signals.append(try signal(id: id, node)) }
        try validateReferences(signals, signalsNode: signalsNode)

        var fitRules: [FitRule] = []
        if let fitNode = top["fit"] {
            for (id, node) in try fitNode.entries() { fitRules.append(try fitRule(id: id, node)) }
        }
        let config = ModelConfig(
            name: try top["name"]?.string() ?? "custom",
            database: try top["database"]?.string(),
            identity: try identity(top["identity"]),
            signals: signals, fitRules: fitRules,
            weights: try weights(top["weights"]),
            scoring: try scoring(top["scoring"], weights: top["weights"]),
            stages: try stages(top["stages"], parent: top),
            fastLane: try fastLane(top["fast_lane"], signals: signals),
            exclusions: try exclusions(top["exclusions"]),
            bands: try bands(top["bands"]),
            routing: try routing(top["routing"], signals: signals),
            destinations: try destinations(top["destinations"]),
            outcomes: try outcomeSettings(top["outcomes"]),
            server: try server(top["server"])
        )
        try checkDestinations(config.routing, destinations: config.destinations, routingNode: top["routing"])
        return config
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, key: "", message: "YAML syntax error: \(problem)")
        default:
            return ConfigError(file: file, line: nil, key: "", message: "YAML error: \(error)")
        }
    }

    // MARK: Signals

    static let signalKeys = [
        "category", "label", "axis", "event", "page", "screen", "where", "sum", "metric", "all", "any",
        "points", "cap", "at_least", "once", "half_life", "window", "reason",
    ]

    private static func signal(id: String, _ node: YAMLNode) throws(ConfigError) -> SignalDefinition {
        try node.requireKeys(in: signalKeys)
        guard let categoryNode = node["category"] else { throw node.error("category is required (value, intent or negative)") }
        let category = try categoryNode.choice(SignalCategory.self)
        let shapes = ["event", "page", "screen", "metric", "all", "any"].filter { node[$0] != nil }
        guard shapes.count == 1 else {
            throw node.error(shapes.isEmpty
                ? "needs one of event, page, metric, all or any"
                : "has \(shapes.joined(separator: " and ")); a signal is exactly one of event, page, metric, all or any")
        }
        let kind: SignalKind
        switch shapes[0] {
        case "event", "page", "screen":
            let name = try node[shapes[0]]!.string()
            var filters: [PropertyFilter] = []
            if let whereNode = node["where"] {
                for (field, test) in try whereNode.entries() {
                    filters.append(PropertyFilter(field: field, test: try fieldTest(test, shorthand: true)))
                }
            }
            kind = .event(EventMatch(name: name, page: shapes[0] != "event", filters: filters, sumProperty: try node["sum"]?.string()))
        case "metric":
            let metric = try node["metric"]!.choice(Metric.self)
            if metric != .daysSinceLastActive, node["window"] == nil {
                throw node.error("metric \(metric.rawValue) needs a window, such as 14d")
            }
            kind = .metric(metric)
        default:
            let mode = Compound.Mode(rawValue: shapes[0])!
            var conditions: [Compound.Condition] = []
            for (referenced, threshold) in try node[shapes[0]]!.entries() {
                conditions.append(Compound.Condition(signal: referenced, atLeast: try threshold.number()))
            }
            guard !conditions.isEmpty else { throw node[shapes[0]]!.error("needs at least one signal and threshold") }
            kind = .compound(Compound(mode: mode, conditions: conditions))
        }
        for key in ["where", "sum"] where node[key] != nil {
            guard case .event = kind else { throw node[key]!.error("only applies to event and page signals") }
        }
        guard let pointsNode = node["points"] else { throw node.error("points is required") }
        var points = try pointsNode.number()
        // A cooling or negative signal always subtracts, whichever sign the file uses.
        if category == .negative { points = -abs(points) }
        let cap = try node["cap"]?.number()
        if let cap, cap <= 0 { throw node["cap"]!.error("must be greater than 0") }
        var axis: Axis?
        if let axisNode = node["axis"] {
            axis = try axisNode.choice(Axis.self)
            if axis == .fit { throw axisNode.error("behavioural signals feed value or intent; fit comes from fit rules") }
        }
        return SignalDefinition(
            id: id, label: try node["label"]?.string(), category: category, axis: axis, kind: kind, points: points,
            cap: cap, atLeast: try node["at_least"]?.number(), once: try node["once"]?.bool() ?? false,
            halfLife: try node["half_life"]?.duration(), window: try node["window"]?.duration(),
            reason: try node["reason"]?.string(), line: node.line
        )
    }

    private static func validateReferences(_ signals: [SignalDefinition], signalsNode: YAMLNode) throws(ConfigError) {
        let ids = Set(signals.map(\.id))
        for signal in signals {
            guard case .compound(let compound) = signal.kind, let node = signalsNode[signal.id] else { continue }
            for condition in compound.conditions {
                let conditionNode = node[compound.mode.rawValue]?[condition.signal] ?? node
                guard ids.contains(condition.signal) else {
                    throw conditionNode.error("refers to unknown signal \"\(condition.signal)\"")
                }
                if case .compound = signals.first(where: { $0.id == condition.signal })?.kind {
                    throw conditionNode.error("a compound cannot contain another compound")
                }
            }
        }
    }

    // MARK: Fit

    private static let testKeys = ["between", "in", "equals", "contains", "exists", "is"]

    private static func fitRule(id: String, _ node: YAMLNode) throws(ConfigError) -> FitRule {
        try node.requireKeys(in: ["field", "label", "points"] + testKeys)
        guard let field = try node["field"]?.string() else { throw node.error("field is required") }
        guard let points = try node["points"]?.number() else { throw node.error("points is required") }
        return FitRule(id: id, label: try node["label"]?.string(), filter: PropertyFilter(field: field, test: try fieldTest(node, shorthand: false)), points: points, line: node.line)
    }

    /// A test written as `{between: [50, 500]}`, `{in: [a, b]}`, … or, in `where`, as a bare value or list.
    static func fieldTest(_ node: YAMLNode, shorthand: Bool) throws(ConfigError) -> FieldTest {
        if shorthand {
            switch node.node {
            case .scalar:
                let text = try node.string()
                if ["true", "false"].contains(text.lowercased()) { return .isTrue(text.lowercased() == "true") }
                return .equals(text)
            case .sequence:
                return .oneOf(try node.strings())
            default:
                break
            }
        }
        let present = testKeys.filter { node[$0] != nil }
        guard present.count == 1 else {
            throw node.error(present.isEmpty ? "needs one test: \(testKeys.joined(separator: ", "))" : "has more than one test: \(present.joined(separator: ", "))")
        }
        let test = node[present[0]]!
        switch present[0] {
        case "between":
            let bounds = try test.items()
            guard bounds.count == 2 else { throw test.error("must be [low, high]; use null for an open end") }
            let low = try bound(bounds[0])
            let high = try bound(bounds[1])
            if let low, let high, low > high { throw test.error("low end \(low) is above high end \(high)") }
            return .between(low, high)
        case "in": return .oneOf(try test.strings())
        case "equals": return .equals(try test.string())
        case "contains": return .contains(try test.strings())
        case "is": return .isTrue(try test.bool())
        default: return try test.bool() ? .exists : .isTrue(false)
        }
    }

    /// One end of a `between`: a number, or null for an open end.
    private static func bound(_ node: YAMLNode) throws(ConfigError) -> Double? {
        let text = try node.string()
        return text.isEmpty || text == "null" || text == "~" ? nil : try node.number()
    }

    // MARK: Model settings

    private static func identity(_ node: YAMLNode?) throws(ConfigError) -> IdentitySettings {
        guard let node else { return IdentitySettings() }
        try node.requireKeys(in: ["account", "personal_domains", "extra_personal_domains"])
        var settings = IdentitySettings()
        if let account = node["account"] {
            guard let level = IdentitySettings.AccountLevel(rawValue: try account.string()) else {
                throw account.error("must be workspace or company")
            }
            settings.accountLevel = level
        }
        if let list = node["personal_domains"] { settings.personalDomains = Set(try list.strings().map { $0.lowercased() }) }
        if let extra = node["extra_personal_domains"] { settings.personalDomains.formUnion(try extra.strings().map { $0.lowercased() }) }
        return settings
    }

    private static func server(_ node: YAMLNode?) throws(ConfigError) -> ServerSettings {
        var settings = ServerSettings()
        guard let node else { return settings }
        try node.requireKeys(in: ["host", "port", "sources", "admin_token_env", "max_request_bytes", "reevaluate_every", "max_queued_events", "posthog_group_type"])
        if let host = node["host"] { settings.host = try host.string() }
        if let port = node["port"] { settings.port = try positiveInteger(port, maximum: 65_535) }
        if let token = node["admin_token_env"] { settings.adminTokenVariable = try token.string() }
        if let bytes = node["max_request_bytes"] { settings.maxRequestBytes = try positiveInteger(bytes, maximum: 1 << 30) }
        if let every = node["reevaluate_every"] { settings.reevaluateEvery = try every.duration() }
        if let queued = node["max_queued_events"] { settings.maxQueuedEvents = try positiveInteger(queued, maximum: 100_000_000) }
        if let groupType = node["posthog_group_type"] { settings.postHogGroupType = try groupType.string() }
        if let sources = node["sources"] {
            for (name, source) in try sources.entries() {
                try source.requireKeys(in: ["write_key_env"])
                guard let variable = source["write_key_env"] else {
                    throw source.error("write_key_env is required: the environment variable holding this source's write key")
                }
                settings.sources.append(ServerSettings.Source(name: name, writeKeyVariable: try variable.string()))
            }
        }
        return settings
    }

    static func positiveInteger(_ node: YAMLNode, maximum: Int) throws(ConfigError) -> Int {
        let number = try node.number()
        guard number >= 1, number <= Double(maximum), number.rounded() == number else {
            throw node.error("must be a whole number from 1 to \(maximum)")
        }
        return Int(number)
    }

    private static func weights(_ node: YAMLNode?) throws(ConfigError) -> Weights {
        guard let node else { return Weights() }
        try node.requireKeys(in: ["fit", "value", "intent"])
        var weights = Weights()
        for (key, value) in try node.entries() {
            let number = try value.number()
            guard number >= 0 else { throw value.error("must not be negative") }
            switch key {
            case "fit": weights.fit = number
            case "value": weights.value = number
            default: weights.intent = number
            }
        }
        guard weights.fit + weights.value + weights.intent > 0 else { throw node.error("at least one weight must be above 0") }
        return weights
    }

    private static func scoring(_ node: YAMLNode?, weights: YAMLNode?) throws(ConfigError) -> ScoringMode {
        guard let node else { return .additive }
        try node.requireKeys(in: ["kind", "intercept", "fit_unknown", "horizon"])
        guard let kindNode = node["kind"] else { throw node.error("kind is required (additive or logistic)") }
        switch try kindNode.string() {
        case "additive":
            for key in ["intercept", "fit_unknown", "horizon"] where node[key] != nil {
                throw node[key]!.error("only applies to kind: logistic")
            }
            return .additive
        case "logistic":
            if let weights {
                throw weights.error("a logistic model adds log-odds and has no subscore weights; remove weights")
            }
            guard let intercept = try node["intercept"]?.number() else { throw node.error("intercept is required for kind: logistic") }
            guard let horizon = try node["horizon"]?.duration() else { throw node.error("horizon is required for kind: logistic, e.g. 30d") }
            return .logistic(LogisticScoring(intercept: intercept, fitUnknown: try node["fit_unknown"]?.number() ?? 0, horizon: horizon))
        case let other:
            throw kindNode.error("\"\(other)\" is not a scoring kind; use additive or logistic")
        }
    }

    private static func stages(_ node: YAMLNode?, parent: YAMLNode) throws(ConfigError) -> StagePolicy {
        guard let node else { throw parent.error("stages: pql and sales_ready thresholds (or a matrix) are required") }
        try node.requireKeys(in: ["pql", "sales_ready", "matrix"])
        if let matrix = node["matrix"] { return .matrix(try tierMatrix(matrix)) }
        guard let pqlNode = node["pql"], let readyNode = node["sales_ready"] else {
            throw node.error("needs both pql and sales_ready, or a matrix")
        }
        let pql = try threshold(pqlNode)
        let ready = try threshold(readyNode)
        guard ready.minimumScore >= pql.minimumScore else {
            throw readyNode.error("score \(ready.minimumScore) is below the pql score \(pql.minimumScore)")
        }
        return .thresholds(pql: pql, salesReady: ready)
    }

    private static func threshold(_ node: YAMLNode) throws(ConfigError) -> StageThreshold {
        try node.requireKeys(in: ["score", "gates"])
        guard let score = try node["score"]?.number() else { throw node.error("score is required") }
        var gates: [Axis: Double] = [:]
        if let gatesNode = node["gates"] {
            try gatesNode.requireKeys(in: Axis.allCases.map(\.rawValue))
            for (key, value) in try gatesNode.entries() { gates[Axis(rawValue: key)!] = try value.number() }
        }
        return StageThreshold(minimumScore: score, gates: gates)
    }

    private static func tierMatrix(_ node: YAMLNode) throws(ConfigError) -> TierMatrix {
        try node.requireKeys(in: ["fit_tiers", "engagement_tiers", "sales_ready", "pql"])
        func tiers(_ key: String) throws(ConfigError) -> [(String, Double)] {
            guard let tiersNode = node[key] else { throw node.error("\(key) is required") }
            var result: [(String, Double)] = []
            for (name, minimum) in try tiersNode.entries() { result.append((name, try minimum.number())) }
            return result.sorted { $0.1 > $1.1 }
        }
        let fit = try tiers("fit_tiers")
        let engagement = try tiers("engagement_tiers")
        let cells = Set(fit.flatMap { f in engagement.map { "\(f.0)-\($0.0)" } } + engagement.map { "unknown-\($0.0)" })
        func cellList(_ key: String) throws(ConfigError) -> Set<String> {
            guard let listNode = node[key] else { return [] }
            var result = Set<String>()
            for item in try listNode.items() {
                let cell = try item.string()
                guard cells.contains(cell) else { throw item.error("unknown cell \"\(cell)\"; cells are fit tier-engagement tier, e.g. \(fit[0].0)-\(engagement[0].0)") }
                result.insert(cell)
            }
            return result
        }
        return TierMatrix(fitTiers: fit, engagementTiers: engagement, salesReady: try cellList("sales_ready"), pql: try cellList("pql"))
    }

    private static func fastLane(_ node: YAMLNode?, signals: [SignalDefinition]) throws(ConfigError) -> FastLane {
        guard let node else { return FastLane() }
        try node.requireKeys(in: ["signals", "window", "min_fit"])
        var lane = FastLane()
        if let list = node["signals"] {
            for item in try list.items() {
                let id = try item.string()
                guard signals.contains(where: { $0.id == id }) else { throw item.error("refers to unknown signal \"\(id)\"") }
                lane.signals.append(id)
            }
        }
        if let window = node["window"] { lane.window = try window.duration() }
        lane.minimumFit = try node["min_fit"]?.number()
        return lane
    }

    private static func exclusions(_ node: YAMLNode?) throws(ConfigError) -> Exclusions {
        guard let node else { return Exclusions() }
        try node.requireKeys(in: ["internal_domains", "name_patterns", "education", "competitor_domains", "accounts", "domains"])
        return Exclusions(
            internalDomains: try node["internal_domains"]?.strings() ?? [],
            namePatterns: try node["name_patterns"]?.strings() ?? [],
            education: try node["education"]?.bool() ?? false,
            competitorDomains: try node["competitor_domains"]?.strings() ?? [],
            accounts: try node["accounts"]?.strings() ?? [],
            domains: try node["domains"]?.strings() ?? []
        )
    }

    private static func outcomeSettings(_ node: YAMLNode?) throws(ConfigError) -> OutcomeSettings {
        guard let node else { return OutcomeSettings() }
        try node.requireKeys(in: ["conversion_event"])
        return OutcomeSettings(conversionEvent: try node["conversion_event"]?.string())
    }

    private static func bands(_ node: YAMLNode?) throws(ConfigError) -> [ScoreBand] {
        guard let node else { return [] }
        var result: [ScoreBand] = []
        for (name, minimum) in try node.entries() { result.append(ScoreBand(name: name, minimum: try minimum.number())) }
        return result
    }
}
