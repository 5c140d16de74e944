import Foundation
import SignalboxCore
import SignalboxLearning
import XCTest

/// PSI, its reading, and the drift report, against hand-computed values.
final class DriftAnalysisTests: XCTestCase {
    private static let week: TimeInterval = 7 * 86_400
    private static let t0 = Date(timeIntervalSince1970: 1_793_491_200)

    func testPSIOfTwoHistogramsMatchesTheHandComputedValue() {
        // (0.4 − 0.5) ln(0.4 / 0.5) + 0 + (0.3 − 0.2) ln(0.3 / 0.2)
        XCTAssertEqual(PopulationStability.index(baseline: [50, 30, 20], current: [40, 30, 30]), 0.0628609, accuracy: 1e-7)
        XCTAssertEqual(PopulationStability.index(baseline: [5, 3, 2], current: [50, 30, 20]), 0, accuracy: 1e-12, "shares, not counts")
    }

    func testAnEmptyBinIsFlooredAtOneInTenThousand() {
        // (0.5 − 1) ln(0.5 / 1) + (0.5 − 0.0001) ln(0.5 / 0.0001)
        XCTAssertEqual(PopulationStability.index(baseline: [10, 0], current: [5, 5]), 4.604319, accuracy: 1e-6)
    }

    func testLevelsFollowTheConventionalRule() {
        XCTAssertEqual(PopulationStability.Level(0.099), .stable)
        XCTAssertEqual(PopulationStability.Level(0.1), .moderate)
        XCTAssertEqual(PopulationStability.Level(0.25), .moderate)
        XCTAssertEqual(PopulationStability.Level(0.2501), .significant)
    }

    func testTheZScoreOfAConversionChangeUsesThePooledRate() {
        // pooled 30 / 100 = 0.3; se = √(0.3 · 0.7 · (1/50 + 1/50)) = 0.0916515; (0.4 − 0.2) / se
        XCTAssertEqual(DriftAnalysis.zScore(converted: 10, of: 50, converted: 20, of: 50)!, 2.18218, accuracy: 1e-5)
        XCTAssertNil(DriftAnalysis.zScore(converted: 1, of: 9, converted: 20, of: 50), "fewer than 10 on one side")
    }

    private func rows(_ count: Int, score: Double, stage: Stage, signal: Double, converted: Bool, at time: Date) -> [TrainingRow] {
        (0..<count).map { TrainingRow(accountId: "a\($0)", at: time, features: [signal, 0], currentScore: score, currentStage: stage, converted: converted) }
    }

    func testAShiftedPopulationIsReportedWithWhatMovedAndARetrainVerdict() throws {
        let before = Self.t0
        let after = Self.t0.addingTimeInterval(10 * Self.week)
        // Baseline: 80 at score 5 without the signal, 20 at 45 with it (10 convert). Current: 50 and 50 (5 convert).
        let baseline = rows(70, score: 5, stage: .notPQL, signal: 0, converted: false, at: before) + rows(10, score: 5, stage: .notPQL, signal: 0, converted: false, at: before)
            + rows(10, score: 45, stage: .pql, signal: 2, converted: true, at: before) + rows(10, score: 45, stage: .pql, signal: 2, converted: false, at: before)
        let current = rows(50, score: 5, stage: .notPQL, signal: 0, converted: false, at: after)
            + rows(5, score: 100, stage: .salesReady, signal: 1, converted: true, at: after) + rows(45, score: 45, stage: .pql, signal: 1, converted: false, at: after)
        let analysis = DriftAnalysis(names: ["signal.pricing_viewed", "fit.company_size"], horizon: 30 * 86_400)
        let report = try analysis.compare(
            baseline: baseline, current: current, baselinePeriod: DateInterval(start: before, duration: Self.week),
            currentPeriod: DateInterval(start: after, duration: Self.week), outcomesKnownUntil: after.addingTimeInterval(31 * 86_400)
        )
        XCTAssertEqual(report.scores.baseline, [80, 0, 0, 0, 20, 0, 0, 0, 0, 0])
        XCTAssertEqual(report.scores.current, [50, 0, 0, 0, 45, 0, 0, 0, 0, 5], "a total of 100 falls in 90–100")
        // 0–10: (0.5 − 0.8) ln(0.5/0.8); 40–50: (0.45 − 0.2) ln(0.45/0.2); 90–100: (0.05 − 0.0001) ln(0.05/0.0001)
        XCTAssertEqual(report.scores.psi, 0.141001 + 0.202733 + 0.310109, accuracy: 1e-5)
        XCTAssertEqual(report.scores.level, .significant)
        XCTAssertEqual(report.stages.baseline, [80, 20, 0])
        XCTAssertEqual(report.stages.current, [50, 45, 5])
        XCTAssertEqual(report.verdict, .significant)
        XCTAssertTrue(report.retrain)
        XCTAssertEqual(report.signals.map(\.signal), ["pricing_viewed"], "fit columns are not signals")
        let pricing = report.signals[0]
        XCTAssertEqual([pricing.baselinePresent, pricing.currentPresent, pricing.baselineConverted, pricing.currentConverted], [20, 50, 10, 5])
        // 2 bins: (0.5 − 0.2) ln(0.5/0.2) + (0.5 − 0.8) ln(0.5/0.8)
        XCTAssertEqual(pricing.presencePSI, 0.274887 + 0.141001, accuracy: 1e-5)
        // pooled 15/70; (0.1 − 0.5) / √(p(1 − p)(1/20 + 1/50))
        XCTAssertEqual(pricing.conversionZ!, -3.68453, accuracy: 1e-5)
        XCTAssertEqual(report.unsettledSnapshotTimes, 0)
        XCTAssertTrue(report.summary.last!.hasPrefix("Verdict: significant shift"))
        XCTAssertTrue(report.summary.contains { $0.contains("pricing_viewed 20.0% → 50.0%") })
        XCTAssertTrue(report.summary.contains { $0.contains("pricing_viewed 50.0% (10/20) → 10.0% (5/50)") })
    }

    func testTheSamePopulationIsStableAndAnEmptyPeriodIsRefused() throws {
        let base = rows(30, score: 25, stage: .notPQL, signal: 1, converted: false, at: Self.t0)
        let later = rows(30, score: 25, stage: .notPQL, signal: 1, converted: false, at: Self.t0.addingTimeInterval(Self.week))
        let analysis = DriftAnalysis(names: ["signal.a", "fit_unknown"], horizon: 30 * 86_400)
        let period = DateInterval(start: Self.t0, duration: Self.week)
        let report = try analysis.compare(baseline: base, current: later, baselinePeriod: period, currentPeriod: period, outcomesKnownUntil: Self.t0)
        XCTAssertEqual(report.verdict, .stable)
        XCTAssertFalse(report.retrain)
        XCTAssertEqual(report.unsettledSnapshotTimes, 1, "the current snapshot's 30 days are not over at the last known outcome")
        XCTAssertEqual(report.summary.last, "Verdict: stable (PSI below 0.1): no need to retrain.")
        XCTAssertThrowsError(try analysis.compare(baseline: base, current: [], baselinePeriod: period, currentPeriod: period, outcomesKnownUntil: Self.t0)) {
            XCTAssertEqual($0 as? DriftRefusal, .emptyPeriod(name: "current"))
        }
    }
}
