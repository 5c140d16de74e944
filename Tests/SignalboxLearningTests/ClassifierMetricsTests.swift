import SignalboxLearning
import XCTest

final class ClassifierMetricsTests: XCTestCase {
    func testAUCCountsTiesAsHalf() {
        // Pairs (converter, non-converter): 0.4>0.1, 0.4=0.4 (half), 0.8>0.1, 0.8>0.4 → 3.5 of 4.
        XCTAssertEqual(ClassifierMetrics.auc([0.1, 0.4, 0.4, 0.8], [false, true, false, true]), 0.875)
        XCTAssertEqual(ClassifierMetrics.auc([1, 1, 1, 1], [false, true, false, true]), 0.5, "all tied is a coin flip")
        XCTAssertEqual(ClassifierMetrics.auc([0.9, 0.2], [false, true]), 0)
        XCTAssertNil(ClassifierMetrics.auc([0.3, 0.4], [true, true]))
    }

    func testLogLossAndBrierByHand() {
        let probabilities = [0.8, 0.3, 0.5]
        let labels = [true, false, true]
        XCTAssertEqual(ClassifierMetrics.logLoss(probabilities, labels), -(log(0.8) + log(0.7) + log(0.5)) / 3, accuracy: 1e-12)
        XCTAssertEqual(ClassifierMetrics.brier(probabilities, labels), (0.04 + 0.09 + 0.25) / 3, accuracy: 1e-12)
        XCTAssertEqual(ClassifierMetrics.logLoss([0], [true]), -log(1e-15), accuracy: 1e-9, "certainty that is wrong is clipped, not infinite")
    }

    func testPrecisionRecallLiftAndCalibration() {
        let scores = (0..<20).map { Double($0) }
        let labels = (0..<20).map { $0 >= 16 || $0 == 3 }
        let flagged = ClassifierMetrics.precisionRecall(scores, labels, threshold: 15)
        XCTAssertEqual(flagged.flagged, 5)
        XCTAssertEqual(flagged.precision, 0.8)
        XCTAssertEqual(flagged.recall, 0.8)
        let deciles = ClassifierMetrics.liftByDecile(scores, labels)
        XCTAssertEqual(deciles.count, 10)
        XCTAssertEqual(deciles[0].converted, 2)
        XCTAssertEqual(deciles[0].lift, 4, accuracy: 1e-12, "the top tenth converts at 100% against 25% overall")
        XCTAssertEqual(deciles.reduce(0) { $0 + $1.converted }, 5)
        let bins = ClassifierMetrics.calibration([0.05, 0.07, 0.92, 0.97], [false, true, true, true])
        XCTAssertEqual(bins.map(\.accounts), [2, 2])
        XCTAssertEqual(bins[0].observedRate, 0.5)
        XCTAssertEqual(bins[1].meanPredicted, 0.945, accuracy: 1e-12)
    }
}
