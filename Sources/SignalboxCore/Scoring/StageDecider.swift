import Foundation

/// Decides an account's stage: exclusions first, then the fast lane, then the model's stage policy.
struct StageDecider {
    let model: CompiledModel
    /// False decides the same stage without wording why (fast-lane reasons excepted: they mark the lane).
    var explained = true

    /// How a stage reason given by the fast lane begins.
    static let fastLanePrefix = "Fast lane: "

    struct Decision {
        var stage: Stage
        var reason: String
    }

    func decide(
        total: Double, fit: Double?, value: Double, intent: Double, state: AccountState, exclusion: String?, asOf: Date
    ) -> Decision {
        let config = model.config
        if let exclusion {
            return Decision(stage: .excluded, reason: exclusion)
        }
        if let fastLane = fastLaneReason(fit: fit, state: state, asOf: asOf) {
            return Decision(stage: .salesReady, reason: fastLane)
        }
        switch config.stages {
        case .thresholds(let pql, let salesReady):
            let scores = Subscores(fit: fit, value: value, intent: intent)
            let ready = check(salesReady, total: total, scores: scores)
            if ready.passed { return Decision(stage: .salesReady, reason: "Sales-ready: " + ready.detail) }
            let lead = check(pql, total: total, scores: scores)
            if lead.passed { return Decision(stage: .pql, reason: "PQL: \(lead.detail); not sales-ready: \(ready.failure ?? "")") }
            return Decision(stage: .notPQL, reason: "Not a PQL: " + (lead.failure ?? ""))
        case .matrix(let matrix):
            let engagementWeight = config.weights.value + config.weights.intent
            let engagement = (config.weights.value * value + config.weights.intent * intent) / max(engagementWeight, .ulpOfOne)
            let fitTier = fit.map { score in matrix.fitTiers.first { score >= $0.minimum }?.name ?? matrix.fitTiers.last?.name ?? "?" } ?? "unknown"
            let engagementTier = matrix.engagementTiers.first { engagement >= $0.minimum }?.name ?? matrix.engagementTiers.last?.name ?? "?"
            let cell = "\(fitTier)-\(engagementTier)"
            let detail = "cell \(cell) (fit \(fit.map(ReasonText.format) ?? "unknown"), engagement \(ReasonText.format(engagement.rounded(toPlaces: 1))))"
            if matrix.salesReady.contains(cell) { return Decision(stage: .salesReady, reason: "Sales-ready: " + detail) }
            if matrix.pql.contains(cell) { return Decision(stage: .pql, reason: "PQL: " + detail) }
            return Decision(stage: .notPQL, reason: "Not a PQL: " + detail)
        }
    }

    private func fastLaneReason(fit: Double?, state: AccountState, asOf: Date) -> String? {
        let lane = model.config.fastLane
        let days = CompiledModel.days(lane.window)
        for id in lane.signals {
            guard let index = model.indexById[id], let memory = state.signals[id],
                  memory.days.count(asOf: asOf, windowDays: days) > 0, let last = memory.lastAt else { continue }
            if let minimum = lane.minimumFit, let fit, fit < minimum {
                continue
            }
            let ago = ReasonText.describe(daysAgo: Int(max(0, asOf.timeIntervalSince(last)) / 86_400))
            return "\(StageDecider.fastLanePrefix)\(model.config.signals[index].label) \(ago)"
        }
        return nil
    }

    private struct Check {
        var passed: Bool
        var detail: String
        var failure: String?
    }

    /// The three subscores, fit unknown when nil.
    private struct Subscores {
        var fit: Double?
        var value: Double
        var intent: Double

        subscript(axis: Axis) -> Double? {
            switch axis {
            case .fit: fit
            case .value: value
            case .intent: intent
            }
        }
    }

    private func check(_ threshold: StageThreshold, total: Double, scores: Subscores) -> Check {
        guard explained else {
            return Check(passed: total >= threshold.minimumScore && threshold.gatesHold { scores[$0] }, detail: "", failure: "")
        }
        var met = ["total \(ReasonText.format(total.rounded(toPlaces: 1))) ≥ \(ReasonText.format(threshold.minimumScore))"]
        if total < threshold.minimumScore {
            return Check(passed: false, detail: "", failure: "total \(ReasonText.format(total.rounded(toPlaces: 1))) < \(ReasonText.format(threshold.minimumScore))")
        }
        for axis in Axis.allCases {
            guard let minimum = threshold.gates[axis] else { continue }
            guard let score = scores[axis] else {
                return Check(passed: false, detail: "", failure: "gate \(axis.rawValue) ≥ \(ReasonText.format(minimum)) not met: \(axis.rawValue) unknown")
            }
            if score < minimum {
                return Check(passed: false, detail: "", failure: "gate \(axis.rawValue) \(ReasonText.format(score.rounded(toPlaces: 1))) < \(ReasonText.format(minimum))")
            }
            met.append("\(axis.rawValue) \(ReasonText.format(score.rounded(toPlaces: 1))) ≥ \(ReasonText.format(minimum))")
        }
        return Check(passed: true, detail: met.joined(separator: ", "), failure: nil)
    }
}
