import Foundation

/// Won-vs-lost analysis: which activities, property values and sequences are over-represented
/// among converters' look-back windows against matched non-converters', and which pairs of them
/// would make a compound signal.
///
/// ```swift
/// let report = try SignalDiscovery(minimumSupport: 10, limit: 20).run(tally.samples(), lookBack: 30 * 86_400)
/// ```
public struct SignalDiscovery: Sendable {
    /// Fewest converters that must show a candidate.
    public var minimumSupport: Int
    /// Most candidates reported of each kind (events, property values, sequences).
    public var limit: Int
    /// Fewest converters a discovery is trusted on.
    public var minimumConverters: Int
    /// How many of the strongest single candidates are paired up for compounds.
    public var pairedCandidates: Int
    /// Most compounds suggested.
    public var compoundCount: Int

    public init(minimumSupport: Int = 10, limit: Int = 20, minimumConverters: Int = 10, pairedCandidates: Int = 6, compoundCount: Int = 3) {
        self.minimumSupport = minimumSupport
        self.limit = limit
        self.minimumConverters = minimumConverters
        self.pairedCandidates = pairedCandidates
        self.compoundCount = compoundCount
    }

    public func run(_ samples: [DiscoverySample], lookBack: TimeInterval) throws(DiscoveryRefusal) -> DiscoveryReport {
        let converters = samples.filter(\.converted).count
        guard converters >= minimumConverters else { throw .tooFewConverters(found: converters, minimum: minimumConverters) }
        guard converters < samples.count else { throw .noNonConverters }
        let measured = Set(samples.flatMap(\.features)).map { feature in
            FeatureLift(features: [feature], stats: LiftStats(samples) { $0.features.contains(feature) })
        }
        let ranked = overRepresented(Self.informative(measured))
        let singles = ranked.filter { $0.features[0].kind != .sequence }.prefix(pairedCandidates).map { $0 }
        let kinds: [DiscoveryFeature.Kind] = [.event, .property, .sequence]
        return DiscoveryReport(
            lookBack: lookBack, converters: converters, nonConverters: samples.count - converters,
            candidates: kinds.flatMap { kind in ranked.filter { $0.features[0].kind == kind }.prefix(limit) },
            compounds: compounds(of: singles, in: samples)
        )
    }

    /// Drops each property value and sequence that says no more than its activity alone
    /// (`Contact Sales Requested → Logged In` when contacting sales is what matters), as a pair
    /// must beat its parts.
    static func informative(_ measured: [FeatureLift]) -> [FeatureLift] {
        var activityLift: [ActivityName: Double] = [:]
        for candidate in measured {
            if case .event(let activity) = candidate.features[0] { activityLift[activity] = candidate.stats.lift }
        }
        return measured.filter { candidate in
            if case .event = candidate.features[0] { return true }
            return candidate.features[0].activities.allSatisfy { candidate.stats.lift > activityLift[$0] ?? 0 }
        }
    }

    /// Pairs of strong candidates whose combination beats each alone, strongest first, no
    /// candidate in two of them.
    private func compounds(of singles: [FeatureLift], in samples: [DiscoverySample]) -> [FeatureLift] {
        var pairs: [FeatureLift] = []
        for (index, first) in singles.enumerated() {
            for second in singles[(index + 1)...] where first.features[0].activities.isDisjoint(with: second.features[0].activities) {
                let features = [first.features[0], second.features[0]]
                let pair = FeatureLift(features: features, stats: LiftStats(samples) { $0.features.isSuperset(of: features) })
                if pair.stats.lift > max(first.stats.lift, second.stats.lift) { pairs.append(pair) }
            }
        }
        // Each candidate joins one compound at most, so the suggestions are not variations of one pair.
        var used = Set<DiscoveryFeature>()
        var chosen: [FeatureLift] = []
        for pair in overRepresented(pairs) where chosen.count < compoundCount && used.isDisjoint(with: pair.features) {
            chosen.append(pair)
            used.formUnion(pair.features)
        }
        return chosen
    }

    /// Candidates with enough converters and a lift above 1, highest lift first (then most
    /// converters, then by name, so the order never depends on hashing).
    private func overRepresented(_ candidates: [FeatureLift]) -> [FeatureLift] {
        candidates.filter { $0.stats.convertersWith >= minimumSupport && $0.stats.lift > 1 }.sorted {
            ($1.stats.lift, $0.stats.convertersWith, $1.name) < ($0.stats.lift, $1.stats.convertersWith, $0.name)
        }
    }
}

/// One candidate (a feature, or features that must all be present) and its statistics.
public struct FeatureLift: Sendable, Equatable {
    public var features: [DiscoveryFeature]
    public var stats: LiftStats

    public init(features: [DiscoveryFeature], stats: LiftStats) {
        self.features = features
        self.stats = stats
    }

    /// The features joined with "and".
    public var name: String { features.map(\.description).joined(separator: " and ") }
}

/// What a discovery found, for a terminal, JSON or a config file.
public struct DiscoveryReport: Sendable, Equatable {
    public var lookBack: TimeInterval
    /// Accounts compared in each group (those active before their window's end).
    public var converters: Int
    public var nonConverters: Int
    /// Over-represented events, then property values, then sequences, each strongest first.
    public var candidates: [FeatureLift]
    /// Pairs of features worth a compound signal, strongest first.
    public var compounds: [FeatureLift]
}

/// Why a discovery would not be trustworthy.
public enum DiscoveryRefusal: Error, Equatable, CustomStringConvertible {
    case tooFewConverters(found: Int, minimum: Int)
    case noNonConverters

    public var description: String {
        switch self {
        case .tooFewConverters(let found, let minimum):
            "only \(found) converting accounts were active before converting; discovery needs at least \(minimum). Import more outcomes with `signalbox outcomes import`, or check --as-of."
        case .noNonConverters:
            "every compared account converted; discovery needs accounts that did not, to compare against"
        }
    }
}
