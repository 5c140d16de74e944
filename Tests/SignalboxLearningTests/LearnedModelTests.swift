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

final class CarriedFitThresholdsTests: XCTestCase {
    func testTiersAndMinimumFitKeepTheirShareOnTheLearnedFitScale() throws {
        let config = try ConfigLoader.load(yaml: """
        signals:
          pricing: { category: intent, event: Pricing Viewed, points: 5 }
        fit:
          big: { field: employees, between: [200, null], points: 60 }
          saas: { field: industry, in: [software], points: 40 }
        stages:
          pql: { score: 20 }
          sales_ready: { score: 50 }
        fast_lane: { signals: [pricing], min_fit: 50 }
        routing:
          fit_tiers: { A: 100, B: 60, C: 0 }
        """, file: "t.yaml")
        let space = FeatureSpace(model: CompiledModel(config))
        XCTAssertEqual(space.names, ["signal.pricing", "fit.big", "fit.saas", "fit_unknown"])
        // Learned: big is worth 2 log-odds, saas 1, so fit reads 100·σ(3), 100·σ(2), 100·σ(1), 50.
        let model = LearnedModel(names: space.names, weights: [0.3, 2, 1, -0.5], standardizedWeights: [0, 0, 0, 0], intercept: -3, dropped: [])
        let rows = [(1.0, 1.0, 100.0), (1, 0, 60), (0, 1, 40), (0, 0, 0)].map { big, saas, fit in
            TrainingRow(accountId: "a", at: Date(), features: [0, big, saas, 0], currentScore: 0, currentStage: .notPQL, currentFit: fit, converted: false)
        } + [TrainingRow(accountId: "u", at: Date(), features: [0, 0, 0, 1], currentScore: 0, currentStage: .notPQL, converted: false)]
        let carried = space.carriedFitThresholds(of: config, rows: rows, model: model)
        func fit(_ logit: Double) -> Double { 100 / (1 + exp(-logit)) }
        // A (≥ 100) holds 1 of 4 known fits, B (≥ 60) 2, C everyone; min_fit 50 holds 2, like B.
        XCTAssertEqual(try XCTUnwrap(carried.tiers["A"]), ((fit(3) + fit(2)) / 2 * 10).rounded() / 10)
        XCTAssertEqual(try XCTUnwrap(carried.tiers["B"]), ((fit(2) + fit(1)) / 2 * 10).rounded() / 10)
        XCTAssertEqual(carried.tiers["C"], 0)
        XCTAssertEqual(carried.minimumFit, carried.tiers["B"])
    }
}
