import Foundation
import SignalboxLearning
import XCTest

final class LogisticRegressionTests: XCTestCase {
    /// One binary feature without a penalty has a closed form: the intercept is the log-odds of the
    /// zero group and the weight the difference in log-odds.
    func testOneBinaryFeatureMatchesTheClosedForm() throws {
        // Group x=0: 2 of 10 convert; group x=1: 6 of 8 convert.
        var rows: [[Double]] = []
        var labels: [Bool] = []
        for index in 0..<10 { rows.append([0]); labels.append(index < 2) }
        for index in 0..<8 { rows.append([1]); labels.append(index < 6) }
        let fit = try LogisticRegression(l2: 0).fit(rows, labels: labels)
        func logit(_ p: Double) -> Double { log(p / (1 - p)) }
        XCTAssertEqual(fit.intercept, logit(0.2), accuracy: 1e-9)
        XCTAssertEqual(fit.weights[0], logit(0.75) - logit(0.2), accuracy: 1e-9)
        XCTAssertEqual(fit.probability([1]), 0.75, accuracy: 1e-9)
    }

    /// With a penalty the optimum satisfies Xᵀ(y − p)/n = l2·w on the standardised scale and the
    /// residuals sum to zero (the intercept is free).
    func testPenalisedFitSatisfiesItsOptimalityConditions() throws {
        var generator = SplitMix(seed: 7)
        var rows: [[Double]] = []
        var labels: [Bool] = []
        for _ in 0..<400 {
            let row = [generator.next() * 10, generator.next() > 0.5 ? 1 : 0, generator.next() * 3 - 1]
            let z = -2 + 0.3 * row[0] + 1.2 * row[1] - 0.8 * row[2]
            rows.append(row)
            labels.append(generator.next() < LogisticRegression.sigmoid(z))
        }
        let l2 = 0.05
        let fit = try LogisticRegression(l2: l2).fit(rows, labels: labels)
        var gradient = [Double](repeating: 0, count: 3)
        var residualSum = 0.0
        for (row, label) in zip(rows, labels) {
            let residual = (label ? 1 : 0) - fit.probability(row)
            residualSum += residual
            for index in 0..<3 { gradient[index] += residual * (row[index] - fit.means[index]) / fit.scales[index] / Double(rows.count) }
        }
        XCTAssertEqual(residualSum, 0, accuracy: 1e-8)
        for index in 0..<3 { XCTAssertEqual(gradient[index], l2 * fit.standardizedWeights[index], accuracy: 1e-9) }
        XCTAssertGreaterThan(fit.weights[0], 0)
        XCTAssertGreaterThan(fit.weights[1], 0)
        XCTAssertLessThan(fit.weights[2], 0)
    }

    func testAPenaltyShrinksTheWeightsAndOneClassIsRefused() throws {
        let rows: [[Double]] = [[0], [1], [2], [3], [4], [5]]
        let labels = [false, false, true, false, true, true]
        let loose = try LogisticRegression(l2: 0.001).fit(rows, labels: labels)
        let tight = try LogisticRegression(l2: 1).fit(rows, labels: labels)
        XCTAssertLessThan(abs(tight.weights[0]), abs(loose.weights[0]))
        XCTAssertThrowsError(try LogisticRegression().fit(rows, labels: labels.map { _ in true })) { error in
            XCTAssertEqual(error as? LogisticRegression.FitError, .oneClass)
        }
        XCTAssertThrowsError(try LogisticRegression().fit([[0], [1, 2]], labels: [true, false])) { error in
            XCTAssertEqual(error as? LogisticRegression.FitError, .raggedRow(index: 1, expected: 1, found: 2))
        }
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// Uniform in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
