import Foundation

/// Turns an account's state and profile into Fit, Value, Intent, a total, a stage and reasons.
///
/// Pure: the as-of time is a parameter, so history can be replayed exactly.
/// ```swift
/// let score = Scorer(model: CompiledModel(config)).score(state, profile: profile, asOf: now)
/// ```
public struct Scorer: Sendable {
    public let model: CompiledModel
    /// False leaves reasons and their texts out: the numbers and the stage are the same, at a
    /// fraction of the cost, for backtests and training snapshots that never show them.
    public let explained: Bool

    public init(model: CompiledModel, explained: Bool = true) {
        self.model = model
        self.explained = explained
    }

    public func score(_ state: AccountState, profile: AccountProfile, asOf: Date) -> AccountScore {
        score(state, facts: ProfileFacts(profile, model: model), asOf: asOf)
    }

    func score(_ state: AccountState, facts: ProfileFacts, asOf: Date) -> AccountScore {
        let config = model.config
        let profile = facts.profile
        let contributions = config.signals.indices.compactMap { contribution(of: config.signals[$0], index: $0, state: state, asOf: asOf) }
        let fit = facts.fit

        let axes = combine(contributions, fit: fit)
        let total = axes.total
        let reasons = explained ? reasons(contributions, fit: fit, fitUnknownPoints: axes.fitUnknownPoints, profile: profile) : []

        let decision = StageDecider(model: model, explained: explained).decide(
            total: total, fit: axes.fit, value: axes.value, intent: axes.intent, state: state, exclusion: facts.exclusion, asOf: asOf
        )
        let band = model.bandsDescending.first { total >= $0.minimum }?.name
        return AccountScore(
            accountId: profile.accountId, name: profile.name, domain: profile.domain, asOf: asOf,
            stage: decision.stage, band: band, total: total.rounded(toPlaces: 1), fit: axes.fit?.rounded(toPlaces: 1),
            value: axes.value.rounded(toPlaces: 1), intent: axes.intent.rounded(toPlaces: 1), reasons: reasons,
            stageReason: decision.reason, contributions: contributions, fitMatches: fit.matches
        )
    }

    /// Every contribution and fit match as a reason, biggest effect first, and unknown fit last.
    private func reasons(_ contributions: [Contribution], fit: FitEvaluation, fitUnknownPoints: Double, profile: AccountProfile) -> [ReasonCode] {
        var reasons = contributions.filter { $0.points != 0 }.map {
            ReasonCode(code: $0.signal, text: $0.reason, points: $0.points, axis: $0.axis)
        }
        reasons += fit.matches.map { ReasonCode(code: $0.rule, text: "\($0.label): \($0.value)", points: $0.points, axis: .fit) }
        reasons.sort { abs($0.points) > abs($1.points) || (abs($0.points) == abs($1.points) && $0.code < $1.code) }
        if fit.score == nil {
            reasons.append(ReasonCode(code: "fit_unknown", text: fitUnknownReason(profile), points: fitUnknownPoints, axis: .fit))
        }
        return reasons
    }

    /// The axes and total of one score under the model's scoring mode.
    private struct Axes {
        var total: Double
        var fit: Double?
        var value: Double
        var intent: Double
        /// What an unknown fit adds (log-odds in a learned model, nothing in an additive one).
        var fitUnknownPoints: Double
    }

    private func combine(_ contributions: [Contribution], fit: FitEvaluation) -> Axes {
        var (valuePoints, intentPoints) = (0.0, 0.0)
        for item in contributions {
            switch item.axis {
            case .value: valuePoints += item.points
            case .intent: intentPoints += item.points
            case .fit: break
            }
        }
        switch model.config.scoring {
        case .additive:
            let value = clamp(valuePoints)
            let intent = clamp(intentPoints)
            let weights = model.config.weights
            guard let fitScore = fit.score else {
                // Unknown fit is not low fit: the total is carried by behaviour alone, and fit gates stay shut.
                let total = (weights.value * value + weights.intent * intent) / max(weights.value + weights.intent, .ulpOfOne)
                return Axes(total: clamp(total), fit: nil, value: value, intent: intent, fitUnknownPoints: 0)
            }
            let weightSum = weights.fit + weights.value + weights.intent
            let total = (weights.fit * fitScore + weights.value * value + weights.intent * intent) / max(weightSum, .ulpOfOne)
            return Axes(total: clamp(total), fit: fitScore, value: value, intent: intent, fitUnknownPoints: 0)
        case .logistic(let logistic):
            let behaviour = valuePoints + intentPoints
            let fitLogit = fit.score == nil ? logistic.fitUnknown : fit.points
            return Axes(
                total: 100 * LogisticScoring.sigmoid(logistic.intercept + behaviour + fitLogit),
                fit: fit.score == nil ? nil : 100 * LogisticScoring.sigmoid(fit.points),
                value: 100 * LogisticScoring.sigmoid(valuePoints),
                intent: 100 * LogisticScoring.sigmoid(intentPoints),
                fitUnknownPoints: fit.score == nil ? logistic.fitUnknown : 0
            )
        }
    }

    private func fitUnknownReason(_ profile: AccountProfile) -> String {
        if let domain = profile.domain { return "Fit unknown: no company data for \(domain)" }
        if !profile.personalDomains.isEmpty {
            return "Fit unknown: no company data for \(profile.personalDomains.joined(separator: ", ")) users"
        }
        return "Fit unknown: no company domain or traits"
    }

    /// The points one signal, the model's `index`th, earns at `asOf`, or nil when it earns nothing
    /// and has nothing to say.
    func contribution(of signal: SignalDefinition, index: Int, state: AccountState, asOf: Date) -> Contribution? {
        let measured: Measurement?
        switch signal.kind {
        case .event: measured = measureEvent(signal, state: state, asOf: asOf)
        case .metric(let metric): measured = measureMetric(metric, windowDays: CompiledModel.days(signal.window), state: state, asOf: asOf)
        case .compound(let compound): measured = measureCompound(compound, signal: signal, state: state, asOf: asOf)
        }
        guard let measured, measured.raw > 0 || measured.quantity > 0 else { return nil }

        let units: Double
        if let threshold = signal.atLeast {
            guard measured.quantity >= threshold else { return nil }
            units = 1
        } else if signal.once || isCompound(signal) {
            units = measured.recency ?? 1
        } else {
            units = measured.quantity
        }
        var points = signal.points * units
        var capped = false
        if let cap = signal.cap, abs(points) > cap {
            points = points < 0 ? -cap : cap
            capped = true
        }
        return Contribution(
            signal: signal.id, label: signal.label, axis: signal.axis, rawCount: measured.raw,
            quantity: measured.quantity, decayFactor: measured.decayFactor, units: units, points: points.rounded(toPlaces: pointPlaces),
            capped: capped, reason: explained ? ReasonText.render(signal, template: model.reasonTemplates[index], measured: measured) : ""
        )
    }

    /// Additive points read well at two decimals; log-odds keep four so the total matches the fit.
    private var pointPlaces: Int {
        if case .logistic = model.config.scoring { return 4 }
        return 2
    }

    private func isCompound(_ signal: SignalDefinition) -> Bool {
        if case .compound = signal.kind { return true }
        return false
    }

    func measureEvent(_ signal: SignalDefinition, state: AccountState, asOf: Date) -> Measurement? {
        guard let memory = state.signals[signal.id], let lastAt = memory.lastAt else { return nil }
        let days = CompiledModel.days(signal.window)
        let daysSince = max(0, asOf.timeIntervalSince(lastAt) / 86_400)
        let raw: Double
        let quantity: Double
        if signal.window != nil {
            raw = memory.days.amount(asOf: asOf, windowDays: days)
            quantity = signal.halfLife.map { memory.days.decayedAmount(asOf: asOf, windowDays: days, halfLife: $0) } ?? raw
        } else {
            raw = memory.amount
            quantity = signal.halfLife.map { memory.decayed.value(at: asOf, halfLife: $0) } ?? raw
        }
        let recency = signal.halfLife.map { DecayedSum.factor(elapsed: max(0, asOf.timeIntervalSince(lastAt)), halfLife: $0) }
        return Measurement(
            raw: raw, quantity: quantity, decayFactor: signal.halfLife == nil || raw == 0 ? nil : quantity / raw,
            recency: recency, daysSinceLast: daysSince
        )
    }

    func measureMetric(_ metric: Metric, windowDays: Int, state: AccountState, asOf: Date) -> Measurement? {
        let value: Double
        switch metric {
        case .activeDays: value = Double(state.activity.activeDays(asOf: asOf, windowDays: windowDays))
        case .activeUsers: value = Double(state.activeUsers(asOf: asOf, windowDays: windowDays))
        case .eventCount: value = state.activity.count(asOf: asOf, windowDays: windowDays)
        case .daysSinceLastActive:
            guard let last = state.lastActiveAt else { return nil }
            value = max(0, (asOf.timeIntervalSince(last) / 86_400).rounded(.down))
        }
        return Measurement(raw: value, quantity: value, decayFactor: nil, recency: nil, daysSinceLast: nil)
    }

    private func measureCompound(_ compound: Compound, signal: SignalDefinition, state: AccountState, asOf: Date) -> Measurement? {
        let days = CompiledModel.days(signal.window ?? 14 * 86_400)
        let met = compound.conditions.map { condition -> Bool in
            guard let referenced = model.indexById[condition.signal] else { return false }
            switch model.config.signals[referenced].kind {
            case .metric(let metric):
                return (measureMetric(metric, windowDays: days, state: state, asOf: asOf)?.quantity ?? 0) >= condition.atLeast
            case .event:
                return (state.signals[condition.signal]?.days.amount(asOf: asOf, windowDays: days) ?? 0) >= condition.atLeast
            case .compound:
                return false
            }
        }
        let satisfied = compound.mode == .all ? met.allSatisfy { $0 } : met.contains(true)
        return satisfied ? Measurement(raw: 1, quantity: 1, decayFactor: nil, recency: nil, daysSinceLast: nil) : nil
    }

    private func clamp(_ value: Double) -> Double { min(100, max(0, value)) }
}

/// What a signal measured before points were applied.
struct Measurement {
    var raw: Double
    var quantity: Double
    var decayFactor: Double?
    /// `2^(-age of last occurrence / halfLife)`, for signals awarded once.
    var recency: Double?
    var daysSinceLast: Double?
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
