import Foundation
import SignalboxCore
import SignalboxLearning
import XCTest

final class TrainerTests: XCTestCase {
    private func rows(times: Int, perTime: Int, positivesPerTime: Int) -> [TrainingRow] {
        var generator = SplitMix(seed: 3)
        return (0..<times).flatMap { time in
            (0..<perTime).map { index in
                let converted = index < positivesPerTime
                let signal = (converted ? 2.0 : 0.0) + generator.next() * 3
                return TrainingRow(
                    accountId: "a\(index)", at: Date(timeIntervalSince1970: Double(time) * 604_800), features: [signal, generator.next()],
                    currentScore: signal * 20, currentStage: signal > 3 ? .salesReady : .notPQL, converted: converted
                )
            }
        }
    }

    func testTheMostRecentSnapshotsValidateAndTheLearnedModelIsMeasuredBesideTheCurrentOne() throws {
        let data = rows(times: 8, perTime: 60, positivesPerTime: 12)
        let trainer = Trainer()
        let (train, validation) = trainer.split(data)
        XCTAssertEqual(Set(train.map(\.at)).count, 6)
        XCTAssertEqual(Set(validation.map(\.at)).count, 2)
        XCTAssertLessThan(train.map(\.at).max()!, validation.map(\.at).min()!, "validation lies strictly after training in time")
        let (fit, report) = try trainer.train(data, names: ["signal.strong", "noise"])
        XCTAssertGreaterThan(fit.weights[0], 0)
        XCTAssertEqual(report.weights.first?.feature, "signal.strong")
        XCTAssertGreaterThan(report.challenger.auc ?? 0, 0.8)
        XCTAssertEqual(report.validationRows, 120)
        XCTAssertEqual(report.trainConversions, 72)
        XCTAssertNotNil(report.challengerAtEqualRecall)
    }

    func testTooFewConversionsAreRefusedWithAWayForward() {
        let data = rows(times: 4, perTime: 50, positivesPerTime: 5)
        XCTAssertThrowsError(try Trainer().train(data, names: ["a", "b"])) { error in
            XCTAssertEqual(error as? Trainer.Refusal, .tooFewOutcomes(positives: 15, negatives: 135, minimum: 40))
            XCTAssertTrue("\(error)".contains("keep the rule-based model"))
        }
    }
}
