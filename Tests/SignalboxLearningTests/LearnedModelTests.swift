import Foundation
import SignalboxCore
import SignalboxLearning
import XCTest

final class LearnedModelTests: XCTestCase {
    /// Rows where the "cooling" column goes with converting: the data would reward it.
    private func rows() -> (rows: [[Double]], labels: [Bool]) {
        var generator = SplitMix(seed: 11)
        var rows: [[Double]] = []
        var labels: [Bool] = []
        for index in 0..<400 {
            let converted = index % 4 == 0
            let strong = (converted ? 1.5 : 0) + generator.next() * 2
            let cooling = (converted ? 0.6 : 0) + generator.next()
            rows.append([strong, cooling])
            labels.append(converted)
        }
        return (rows, labels)
    }

    func testACoolingSignalThatWouldRewardIsLeftOutAndTheRestRefitted() throws {
        let data = rows()
        let free = try LearnedModel.fit(data.rows, labels: data.labels, names: ["signal.strong", "signal.quiet"], nonPositive: [], l2: 0.01)
        XCTAssertGreaterThan(free.weights[1], 0, "unconstrained, the data rewards the column")
        let constrained = try LearnedModel.fit(data.rows, labels: data.labels, names: ["signal.strong", "signal.quiet"], nonPositive: [1], l2: 0.01)
        XCTAssertEqual(constrained.weights[1], 0)
        XCTAssertEqual(constrained.dropped, ["signal.quiet"])
        let alone = try LogisticRegression(l2: 0.01).fit(data.rows.map { [$0[0]] }, labels: data.labels)
        XCTAssertEqual(constrained.weights[0], alone.weights[0], accuracy: 1e-9)
        XCTAssertEqual(constrained.intercept, alone.intercept, accuracy: 1e-9)
        XCTAssertEqual(constrained.probability([2, 5]), alone.probability([2]), accuracy: 1e-12)
    }

    func testThresholdsStopWhereTheNextAccountsConvertBelowTheTarget() throws {
        // 100 accounts by score: the top 30 convert 2 in 3, the next 30 1 in 10, the rest never.
        var probabilities: [Double] = []
        var labels: [Bool] = []
        for index in 0..<100 {
            probabilities.append(Double(100 - index) / 100)
            labels.append(index < 30 ? index % 3 != 2 : index < 60 ? index % 10 == 0 : false)
        }
        let advice = try XCTUnwrap(ThresholdAdvice(probabilities: probabilities, labels: labels, targetPrecision: 0.6))
        XCTAssertEqual(advice.baseRate, 0.23, accuracy: 1e-12)
        // 23 converters, so the window is 25 accounts. The 11th to 35th accounts hold 14 converters
        // (56% < 60%): sales-ready keeps the top 34, down to score 67, though the cumulative precision is still 62%.
        XCTAssertEqual(advice.salesReadyScore, 67)
        XCTAssertEqual(advice.salesReady, OperatingPoint(flagged: 34, precision: 21.0 / 34, recall: 21.0 / 23))
        // PQL needs twice the base rate, 46%: the 15th to 39th hold 11 (44%), so it keeps the top 38.
        XCTAssertEqual(advice.pqlScore, 63)
        XCTAssertEqual(advice.pql, OperatingPoint(flagged: 38, precision: 21.0 / 38, recall: 21.0 / 23))
        XCTAssertNil(ThresholdAdvice(probabilities: [0.2, 0.1], labels: [false, false], targetPrecision: 0.3))
    }
}

final class HalfLifeSelectionTests: XCTestCase {
    func testTheColumnThatAloneFitsTheLabelsBestIsChosen() {
        var generator = SplitMix(seed: 5)
        let labels = (0..<300).map { $0 % 5 == 0 }
        let noise = labels.map { _ in generator.next() }
        let informative = labels.map { ($0 ? 2.0 : 0.0) + generator.next() }
        let candidates = [
            HalfLifeSelection.Candidate(halfLife: 30 * 86_400, values: noise),
            HalfLifeSelection.Candidate(halfLife: 7 * 86_400, values: informative),
        ]
        XCTAssertEqual(HalfLifeSelection.best(candidates, labels: labels, l2: 0.01), 1)
        XCTAssertEqual(HalfLifeSelection.best([candidates[0], candidates[0]], labels: labels, l2: 0.01), 0, "a tie keeps the configured one")
    }
}

final class ScaleMappingTests: XCTestCase {
    func testAThresholdKeepsTheShareOfAccountsThatReachIt() throws {
        // Old fit 0, 25, 50, 75, 100; the new scale squeezes them into 40…60 in the same order.
        let old: [Double] = [0, 25, 50, 75, 100]
        let new: [Double] = [40, 45, 50, 55, 60]
        let mapped = try XCTUnwrap(ScaleMapping.byShare([75, 50, 25, 0, 101], old: old, new: new))
        // 75 is reached by 2 of 5: between the 2nd (55) and 3rd (50) new values.
        XCTAssertEqual(mapped, [52.5, 47.5, 42.5, 0, 60.1])
        XCTAssertNil(ScaleMapping.byShare([50], old: [], new: []))
    }
}
