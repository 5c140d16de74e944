import Foundation

/// Chooses each decaying signal's half-life from candidate feature columns: the one whose column
/// alone fits the training labels best (lowest mean log loss of a one-feature logistic regression).
/// Only training rows are read, so validation stays untouched.
public enum HalfLifeSelection {
    /// One candidate: a half-life and the signal's feature value in each training row.
    public struct Candidate: Sendable {
        public var halfLife: TimeInterval
        public var values: [Double]

        public init(halfLife: TimeInterval, values: [Double]) {
            self.halfLife = halfLife
            self.values = values
        }
    }

    /// The index of the best candidate; the first one (the config's own) wins ties and fits that fail.
    public static func best(_ candidates: [Candidate], labels: [Bool], l2: Double) -> Int {
        var bestIndex = 0
        var bestLoss = Double.infinity
        for (index, candidate) in candidates.enumerated() {
            guard let fit = try? LogisticRegression(l2: l2).fit(candidate.values.map { [$0] }, labels: labels) else { continue }
            let loss = ClassifierMetrics.logLoss(candidate.values.map { fit.probability([$0]) }, labels)
            if loss < bestLoss - 1e-12 {
                bestLoss = loss
                bestIndex = index
            }
        }
        return bestIndex
    }
}
