import Foundation
import Yams

/// What `signalbox train` learned, in the config's own terms.
public struct LearnedConfig: Sendable, Equatable {
    public var name: String
    public var scoring: LogisticScoring
    /// Log-odds per unit, by signal id.
    public var signalPoints: [String: Double]
    /// Log-odds when the rule matches, by fit rule id.
    public var fitPoints: [String: Double]
    /// Half-lives chosen from the grid, by signal id.
    public var halfLives: [String: TimeInterval]
    /// Routing fit-tier minimums and the fast lane's minimum fit on the learned fit scale, when
    /// they were carried over from the source's scale.
    public var fitTiers: [String: Double]
    public var minimumFit: Double?
    public var pqlScore: Double
    public var salesReadyScore: Double

    public init(
        name: String, scoring: LogisticScoring, signalPoints: [String: Double], fitPoints: [String: Double],
        halfLives: [String: TimeInterval] = [:], fitTiers: [String: Double] = [:], minimumFit: Double? = nil,
        pqlScore: Double, salesReadyScore: Double
    ) {
        self.name = name
        self.scoring = scoring
        self.signalPoints = signalPoints
        self.fitPoints = fitPoints
        self.halfLives = halfLives
        self.fitTiers = fitTiers
        self.minimumFit = minimumFit
        self.pqlScore = pqlScore
        self.salesReadyScore = salesReadyScore
    }

    /// The current config's text with the learned points and half-lives, `scoring: { kind: logistic }`
    /// and the recommended thresholds in place. Everything else (signal definitions, identity, fast lane,
    /// exclusions, routing, destinations, server) is carried over as written. Caps, subscore weights,
    /// bands and stage gates are dropped: they speak the additive model's 0…100 points; fit tiers and
    /// the fast lane's minimum fit take the values given (see ``ScaleMapping``). Comments in
    /// the source do not survive; `header` lines are written at the top as comments.
    public func yaml(over source: String, file: String, header: [String]) throws(ConfigError) -> String {
        let root: Node.Mapping
        do {
            guard let mapping = try Yams.compose(yaml: source)?.mapping else {
                throw ConfigError(file: file, line: nil, key: "", message: "is not a YAML mapping")
            }
            root = mapping
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "cannot be read as YAML: \(error)")
        }
        var pairs: [(Node, Node)] = []
        for (key, value) in root {
            switch key.string {
            case "name":
                pairs.append((key, Node(name)))
                pairs.append((Node("scoring"), scoringNode))
            case "weights", "bands", "scoring":
                continue
            case "signals":
                pairs.append((key, .mapping(rewritten(value.mapping, points: signalPoints, halfLives: halfLives, dropping: ["cap"]))))
            case "fit":
                pairs.append((key, .mapping(rewritten(value.mapping, points: fitPoints, halfLives: [:], dropping: []))))
            case "stages":
                pairs.append((key, stagesNode))
            case "routing" where !fitTiers.isEmpty:
                pairs.append((key, .mapping(replacing("fit_tiers", in: value.mapping, with: fitTiersNode))))
            case "fast_lane" where minimumFit != nil:
                pairs.append((key, .mapping(replacing("min_fit", in: value.mapping, with: Node(Self.format(minimumFit!))))))
            default:
                pairs.append((key, value))
            }
        }
        if root["name"] == nil { pairs.insert(contentsOf: [(Node("name"), Node(name)), (Node("scoring"), scoringNode)], at: 0) }
        let body: String
        do {
            body = try Yams.serialize(node: .mapping(Node.Mapping(pairs)), width: -1)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "cannot be written as YAML: \(error)")
        }
        return header.map { $0.isEmpty ? "#" : "# " + $0 }.joined(separator: "\n") + "\n" + body
    }

    private var scoringNode: Node {
        .mapping(Node.Mapping([
            (Node("kind"), Node("logistic")),
            (Node("intercept"), Node(Self.format(scoring.intercept))),
            (Node("fit_unknown"), Node(Self.format(scoring.fitUnknown))),
            (Node("horizon"), Node(DurationText.format(scoring.horizon))),
        ]))
    }

    private var stagesNode: Node {
        func threshold(_ score: Double) -> Node {
            .mapping(Node.Mapping([(Node("score"), Node(Self.format(score)))], .implicit, .flow))
        }
        return .mapping(Node.Mapping([(Node("pql"), threshold(pqlScore)), (Node("sales_ready"), threshold(salesReadyScore))]))
    }

    private var fitTiersNode: Node {
        let tiers = fitTiers.sorted { $0.value > $1.value }.map { (Node($0.key), Node(Self.format($0.value))) }
        return .mapping(Node.Mapping(tiers, .implicit, .flow))
    }

    /// `mapping` with `key` set to `value`, in place when present, else added at the start.
    private func replacing(_ key: String, in mapping: Node.Mapping?, with value: Node) -> Node.Mapping {
        guard let mapping else { return Node.Mapping([(Node(key), value)]) }
        var pairs = Array(mapping).map { ($0.key, $0.key.string == key ? value : $0.value) }
        if !mapping.contains(where: { $0.key.string == key }) { pairs.insert((Node(key), value), at: 0) }
        return Node.Mapping(pairs, mapping.tag, mapping.style)
    }

    /// Each entry of `mapping` with its `points` and `half_life` replaced and the `dropping` keys removed.
    private func rewritten(_ mapping: Node.Mapping?, points: [String: Double], halfLives: [String: TimeInterval], dropping: Set<String>) -> Node.Mapping {
        guard let mapping else { return Node.Mapping([]) }
        var entries: [(Node, Node)] = []
        for (id, definition) in mapping {
            guard let fields = definition.mapping, let learned = id.string.flatMap({ points[$0] }) else {
                entries.append((id, definition))
                continue
            }
            let halfLife = id.string.flatMap { halfLives[$0] }
            let kept = fields.filter { !dropping.contains($0.key.string ?? "") }.map { key, value in
                switch key.string {
                case "points": (key, Node(Self.format(learned)))
                case "half_life": (key, halfLife.map { Node(DurationText.format($0)) } ?? value)
                default: (key, value)
                }
            }
            entries.append((id, .mapping(Node.Mapping(kept, fields.tag, fields.style))))
        }
        return Node.Mapping(entries, mapping.tag, mapping.style)
    }

    /// Six significant digits, so the written model scores as the fitted one did.
    static func format(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.6g", value)
    }
}
