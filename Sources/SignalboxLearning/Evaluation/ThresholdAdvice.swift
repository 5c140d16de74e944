import Foundation

/// Stage thresholds for a probability score, chosen on held-out rows.
///
/// A threshold sits where the accounts just above it still convert at the required rate: walking
/// down from the highest score, the cut stops before the first stretch of accounts (a window of a
/// quarter of the converters, at least 25 accounts) that converts below it. Every extra handoff is
/// then worth a rep's time, which a cumulative precision would hide behind the best accounts.
/// Sales-ready requires the target precision; PQL twice the base rate, and is never above sales-ready.
public struct ThresholdAdvice: Sendable, Equatable, Codable {
    /// Thresholds in score points (probability in percent, one decimal).
    public var pqlScore: Double
    public var salesReadyScore: Double
    /// What each threshold flags on the validation rows.
    public var pql: OperatingPoint
    public var salesReady: OperatingPoint
    public var targetPrecision: Double
    public var baseRate: Double

    /// Nil when no converter is among the rows.
    public init?(probabilities: [Double], labels: [Bool], targetPrecision: Double) {
        let positives = labels.filter { $0 }.count
        guard positives > 0 else { return nil }
        let baseRate = Double(positives) / Double(labels.count)
        // Candidate cut-offs are the scores as a config states them: percent, one decimal.
        let scores = probabilities.map { ($0 * 1000).rounded(.down) / 10 }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let window = max(25, positives / 4)
        func cut(localPrecision required: Double) -> (score: Double, point: OperatingPoint) {
            var hits = 0
            var windowHits = 0
            var best = (score: scores[order[0]], point: OperatingPoint(flagged: 0, precision: nil, recall: 0))
            for (rank, index) in order.enumerated() {
                if labels[index] { hits += 1; windowHits += 1 }
                if rank >= window, labels[order[rank - window]] { windowHits -= 1 }
                if rank + 1 >= window, Double(windowHits) / Double(window) < required { break }
                let isLastOfScore = rank + 1 == order.count || scores[order[rank + 1]] < scores[index]
                guard isLastOfScore else { continue }
                best = (scores[index], OperatingPoint(flagged: rank + 1, precision: Double(hits) / Double(rank + 1), recall: Double(hits) / Double(positives)))
            }
            return best
        }
        let ready = cut(localPrecision: targetPrecision)
        var lead = cut(localPrecision: min(targetPrecision, 2 * baseRate))
        if lead.score > ready.score { lead = ready }
        self.pqlScore = lead.score
        self.salesReadyScore = ready.score
        self.pql = lead.point
        self.salesReady = ready.point
        self.targetPrecision = targetPrecision
        self.baseRate = baseRate
    }
}
