import Foundation
import SignalboxCore
import SignalboxLearning
import XCTest

/// Backtest metrics on a history small enough to count by hand.
final class BacktestTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_790_000_000)
    private let day: TimeInterval = 86_400

    /// Each account's stage by day (nil: not scored that day).
    private func history(_ stages: [[Stage?]], firstSeen: [Int?], converted: [Int: Double], totals: [[Double]]? = nil) -> BacktestHistory {
        var observations: [BacktestHistory.Observation] = []
        for dayIndex in 0...20 {
            for (account, byDay) in stages.enumerated() {
                guard let stage = byDay[dayIndex] else { continue }
                observations.append(.init(
                    account: Int32(account), day: Int32(dayIndex), total: totals?[account][dayIndex] ?? 0, stage: stage,
                    fastLane: false, readyGates: true, pqlGates: true
                ))
            }
        }
        return BacktestHistory(
            start: start, days: 20, accounts: stages.indices.map { "a\($0)" }, firstSeenDay: firstSeen,
            fitTier: stages.indices.map { $0 % 2 == 0 ? "A" : "B" }, observations: observations,
            convertedAt: converted.mapValues { start.addingTimeInterval($0 * day) }, lostAt: [:]
        )
    }

    private func days(_ from: Int = 0, _ stages: (Int) -> Stage) -> [Stage?] {
        (0...20).map { $0 < from ? nil : stages($0) }
    }

    func testPrecisionRecallTimeToFlagAndPQLRateCountAsDefined() {
        let stages: [[Stage?]] = [
            days { $0 >= 5 ? .salesReady : .notPQL },           // a0: flagged day 5, converts day 15
            days { $0 >= 2 ? .pql : .notPQL },                  // a1: PQL only, converts day 12
            days { _ in .salesReady },                          // a2: flagged day 0, never converts
            days(3) { $0 >= 8 ? .pql : .notPQL },               // a3: signs up day 3, PQL day 8
            days(4) { _ in .notPQL },                           // a4: signs up day 4
            days { _ in .excluded },                            // a5: excluded, never counted
            days { $0 >= 18 ? .salesReady : .notPQL },          // a6: flagged day 18, converts day 40
        ]
        let report = Backtest.evaluate(
            history(stages, firstSeen: [nil, nil, nil, 3, 4, nil, nil], converted: [0: 15, 1: 12, 6: 40]), horizon: 30 * day
        )
        XCTAssertEqual(report.accounts, 6)
        XCTAssertEqual(report.flagged, 3)
        XCTAssertEqual(report.flaggedConverted, 2, "a0 and a6 converted within 30 days of their first flag")
        XCTAssertEqual(report.converters, 2, "a0 and a1 converted inside the period; a6 after it")
        XCTAssertEqual(report.convertersFlagged, 1)
        XCTAssertEqual(report.medianLeadDays, 10)
        XCTAssertEqual(report.leadDistribution.map(\.converters), [0, 1, 0, 0, 0])
        XCTAssertEqual(report.newSignups, 2)
        XCTAssertEqual(report.newSignupsPQL, 1)
        XCTAssertEqual(report.weeklySalesReady, [2, 0, 1])
        XCTAssertEqual(report.byStage.map(\.name), ["not_pql", "pql", "sales_ready"])
        XCTAssertEqual(report.byStage.map(\.accounts), [1, 2, 3])
        XCTAssertEqual(report.byStage.map(\.converted), [0, 1, 2])
        XCTAssertEqual(report.byFitTier.map(\.name), ["A", "B"])
        XCTAssertEqual(report.byFitTier.map(\.converters), [1, 1])
        XCTAssertEqual(report.byFitTier.map(\.caught), [1, 0])
    }

    func testAConversionBeforeTheFlagIsNotALeadAndAConvertedAccountIsNoLongerAProspect() {
        let stages: [[Stage?]] = [days { $0 >= 10 ? .salesReady : .notPQL }]
        let report = Backtest.evaluate(history(stages, firstSeen: [nil], converted: [0: 6]), horizon: 30 * day)
        XCTAssertEqual(report.flagged, 0, "from day 6 on the account is a customer, so its later stage is not a flag")
        XCTAssertEqual(report.converters, 1)
        XCTAssertEqual(report.convertersFlagged, 0)
        XCTAssertNil(report.medianLeadDays)
    }

    func testTuningFindsTheLowestThresholdThatMeetsThePrecisionTarget() {
        // Totals 5, 15, 25, 35, 45 by account; a3 and a4 convert. At 10: 2 of 4 convert, at 20: 2 of 3.
        let totals = (0..<5).map { account in [Double](repeating: Double(account) * 10 + 5, count: 21) }
        let stages: [[Stage?]] = (0..<5).map { _ in days { _ in .notPQL } }
        let tuning = ThresholdTuning(
            history: history(stages, firstSeen: [nil, nil, nil, 3, nil], converted: [3: 10, 4: 12], totals: totals),
            horizon: 30 * day, targetPrecision: 0.6, pqlRate: 0.5...1, candidates: [10, 20, 30, 40]
        )
        XCTAssertEqual(tuning.options.map(\.flagged), [4, 3, 2, 1])
        XCTAssertEqual(tuning.options.map(\.precision), [0.5, 2.0 / 3, 1, 1])
        XCTAssertEqual(tuning.salesReady, 20)
        XCTAssertEqual(tuning.pqlOptions.map(\.pql), [10, 20], "PQL never sits above sales-ready")
        XCTAssertEqual(tuning.pql, 10, "the only new signup (a3, total 35) is a PQL at either; the lower wins the tie")
    }
}
