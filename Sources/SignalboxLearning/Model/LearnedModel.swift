import Foundation

/// A fitted conversion model on the raw feature scale: the points a `kind: logistic` config ships.
///
/// Columns the fit was not allowed to use (a cooling signal whose weight came out positive) carry
/// a weight of 0 and are listed in ``dropped``.
public struct LearnedModel: Sendable, Equatable {
    public var names: [String]
    /// Log-odds per unit of each feature.
    public var weights: [Double]
    /// Log-odds per standard deviation of each feature (0 for dropped columns), to rank them.
    public var standardizedWeights: [Double]
    public var intercept: Double
    /// Features left out because their weight had the wrong sign.
    public var dropped: [String]

    public init(names: [String], weights: [Double], standardizedWeights: [Double], intercept: Double, dropped: [String]) {
        self.names = names
        self.weights = weights
        self.standardizedWeights = standardizedWeights
        self.intercept = intercept
        self.dropped = dropped
    }

    /// The log-odds of a row.
    public func logit(_ row: [Double]) -> Double {
        var total = intercept
        for index in row.indices where weights[index] != 0 { total += weights[index] * row[index] }
        return total
    }

    /// The probability of converting within the horizon.
    public func probability(_ row: [Double]) -> Double { LogisticRegression.sigmoid(logit(row)) }

    /// Fits `rows`, then refits without any column in `nonPositive` whose weight came out above 0,
    /// until every such column has a weight of at most 0: a cooling signal that the data says is
    /// harmless is left out rather than turned into a reward.
    public static func fit(
        _ rows: [[Double]], labels: [Bool], names: [String], nonPositive: Set<Int>, l2: Double
    ) throws(LogisticRegression.FitError) -> LearnedModel {
        var kept = Array(names.indices)
        while true {
            let fit = try LogisticRegression(l2: l2).fit(rows.map { row in kept.map { row[$0] } }, labels: labels)
            let wrong = kept.indices.filter { nonPositive.contains(kept[$0]) && fit.weights[$0] > 0 }
            if wrong.isEmpty || wrong.count == kept.count {
                var weights = [Double](repeating: 0, count: names.count)
                var standardized = weights
                for (position, column) in kept.enumerated() {
                    weights[column] = fit.weights[position]
                    standardized[column] = fit.standardizedWeights[position]
                }
                let keptSet = Set(kept)
                return LearnedModel(
                    names: names, weights: weights, standardizedWeights: standardized, intercept: fit.intercept,
                    dropped: names.indices.filter { !keptSet.contains($0) }.map { names[$0] }
                )
            }
            let removing = Set(wrong.map { kept[$0] })
            kept.removeAll { removing.contains($0) }
        }
    }
}
