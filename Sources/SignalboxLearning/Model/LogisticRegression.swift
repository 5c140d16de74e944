import Foundation
import SignalboxCore

/// L2-regularised logistic regression, fitted by Newton's method on standardised features.
///
/// Features are centred and scaled to unit variance before fitting, so one penalty suits all of
/// them and the weights compare; ``Fit`` maps the weights back to the raw feature scale. The
/// intercept is not penalised. The objective is the mean log loss plus `l2 / 2 · |w|²`, so a fitted
/// model satisfies `Xᵀ(y − p) / n = l2 · w` on the standardised scale (the check the tests use).
///
/// ```swift
/// let fit = try LogisticRegression(l2: 0.01).fit(rows, labels: labels)
/// fit.probability(row)
/// ```
public struct LogisticRegression: Sendable {
    public var l2: Double
    public var maxIterations: Int
    /// Stop when no weight moves by more than this in an iteration.
    public var tolerance: Double

    public init(l2: Double = 0.01, maxIterations: Int = 100, tolerance: Double = 1e-10) {
        self.l2 = l2
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// A fitted model.
    public struct Fit: Sendable, Equatable {
        /// Weights on the standardised scale, one per feature.
        public var standardizedWeights: [Double]
        public var standardizedIntercept: Double
        public var means: [Double]
        /// Standard deviations (1 for a constant feature, whose weight is then 0).
        public var scales: [Double]
        public var iterations: Int

        /// Weights per unit of each raw feature.
        public var weights: [Double] { zip(standardizedWeights, scales).map { $0 / $1 } }
        /// The intercept on the raw scale.
        public var intercept: Double {
            standardizedIntercept - zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 }
        }

        /// The linear score `b + w·x` of a raw row.
        public func logit(_ row: [Double]) -> Double {
            var total = standardizedIntercept
            for index in row.indices { total += standardizedWeights[index] * (row[index] - means[index]) / scales[index] }
            return total
        }

        public func probability(_ row: [Double]) -> Double { LogisticRegression.sigmoid(logit(row)) }
    }

    /// Why a fit could not be made.
    public enum FitError: Error, Equatable, CustomStringConvertible {
        case empty
        case raggedRow(index: Int, expected: Int, found: Int)
        case oneClass
        case notConverged(iterations: Int)

        public var description: String {
            switch self {
            case .empty: "no rows to fit"
            case .raggedRow(let index, let expected, let found): "row \(index) has \(found) features, expected \(expected)"
            case .oneClass: "every label is the same: a model needs both converters and non-converters"
            case .notConverged(let iterations): "Newton's method did not converge in \(iterations) iterations"
            }
        }
    }

    public func fit(_ rows: [[Double]], labels: [Bool], sampleWeights: [Double]? = nil) throws(FitError) -> Fit {
        guard let width = rows.first?.count, rows.count == labels.count else { throw .empty }
        for (index, row) in rows.enumerated() where row.count != width { throw .raggedRow(index: index, expected: width, found: row.count) }
        guard labels.contains(true), labels.contains(false) else { throw .oneClass }
        let count = Double(rows.count)
        var means = [Double](repeating: 0, count: width)
        for row in rows { for index in 0..<width { means[index] += row[index] / count } }
        var scales = [Double](repeating: 0, count: width)
        for row in rows { for index in 0..<width { scales[index] += (row[index] - means[index]) * (row[index] - means[index]) / count } }
        scales = scales.map { $0 > 1e-24 ? $0.squareRoot() : 1 }
        let x = rows.map { row in (0..<width).map { (row[$0] - means[$0]) / scales[$0] } }
        let y = labels.map { $0 ? 1.0 : 0.0 }
        let sample = sampleWeights ?? [Double](repeating: 1, count: rows.count)
        let totalWeight = sample.reduce(0, +)

        // Parameters: the intercept first, then the weights.
        var beta = [Double](repeating: 0, count: width + 1)
        let positives = zip(y, sample).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
        beta[0] = log(positives / (1 - positives))
        for iteration in 1...maxIterations {
            var gradient = [Double](repeating: 0, count: width + 1)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: width + 1), count: width + 1)
            for (index, row) in x.enumerated() {
                var z = beta[0]
                for feature in 0..<width { z += beta[feature + 1] * row[feature] }
                let p = Self.sigmoid(z)
                let residual = (y[index] - p) * sample[index] / totalWeight
                let curvature = p * (1 - p) * sample[index] / totalWeight
                gradient[0] += residual
                hessian[0][0] += curvature
                for a in 0..<width {
                    gradient[a + 1] += residual * row[a]
                    hessian[0][a + 1] += curvature * row[a]
                    for b in a..<width { hessian[a + 1][b + 1] += curvature * row[a] * row[b] }
                }
            }
            for a in 0..<width {
                gradient[a + 1] -= l2 * beta[a + 1]
                hessian[a + 1][a + 1] += l2
            }
            // A whisper of curvature keeps the factorisation stable when nearly every prediction is certain.
            for a in 0...width { hessian[a][a] += 1e-12 }
            for a in 0...width { for b in 0..<a { hessian[a][b] = hessian[b][a] } }
            guard let step = Self.solve(hessian, gradient) else { throw .notConverged(iterations: iteration) }
            // Damped Newton: halve the step until the objective does not rise, so a far start cannot overshoot.
            let current = objective(beta, x: x, y: y, sample: sample, total: totalWeight)
            var scale = 1.0
            var candidate = zip(beta, step).map { $0 + $1 }
            while objective(candidate, x: x, y: y, sample: sample, total: totalWeight) > current + 1e-15 * abs(current), scale > 1e-10 {
                scale /= 2
                candidate = zip(beta, step).map { $0 + scale * $1 }
            }
            var largest = 0.0
            for index in beta.indices { largest = max(largest, abs(candidate[index] - beta[index])) }
            beta = candidate
            if largest < tolerance {
                return Fit(standardizedWeights: Array(beta.dropFirst()), standardizedIntercept: beta[0], means: means, scales: scales, iterations: iteration)
            }
        }
        throw .notConverged(iterations: maxIterations)
    }

    /// Mean weighted log loss plus the penalty, on the standardised scale.
    private func objective(_ beta: [Double], x: [[Double]], y: [Double], sample: [Double], total: Double) -> Double {
        var loss = 0.0
        for (index, row) in x.enumerated() {
            var z = beta[0]
            for feature in row.indices { z += beta[feature + 1] * row[feature] }
            // log(1 + e^z) − y·z, computed without overflow.
            let softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
            loss += (softplus - y[index] * z) * sample[index] / total
        }
        return loss + l2 / 2 * beta.dropFirst().reduce(0) { $0 + $1 * $1 }
    }

    public static func sigmoid(_ z: Double) -> Double {
        LogisticScoring.sigmoid(z)
    }

    /// Solves `a · x = b` for a symmetric positive definite `a` by Cholesky; nil when it is not.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var lower = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i][j]
                for k in 0..<j { sum -= lower[i][k] * lower[j][k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    lower[i][i] = sum.squareRoot()
                } else {
                    lower[i][j] = sum / lower[j][j]
                }
            }
        }
        var forward = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= lower[i][k] * forward[k] }
            forward[i] = sum / lower[i][i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = forward[i]
            for k in (i + 1)..<n { sum -= lower[k][i] * x[k] }
            x[i] = sum / lower[i][i]
        }
        return x
    }
}
