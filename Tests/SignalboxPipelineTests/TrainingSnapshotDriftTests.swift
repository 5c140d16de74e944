import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// Drift sees each period week by week from a real store, with outcomes as known at `--as-of`.
final class TrainingSnapshotDriftTests: XCTestCase {
    func testDriftSeesEachPeriodWeekByWeekWithOutcomesKnownAtAsOf() throws {
        let store = try makeTemporaryStore()
        let start = HistoryFixture.t0.addingTimeInterval(-31 * HistoryFixture.day)   // 2026-10-01
        _ = try store.appendEvents((1...5).map { HistoryFixture.track("p\($0)", "Project Created", user: "u\($0)", workspace: "ws\($0)", at: -40 * HistoryFixture.day) }, source: "web")
        _ = try store.recordOutcomes([Outcome(key: .workspace("ws1"), convertedAt: HistoryFixture.t0.addingTimeInterval(9 * HistoryFixture.day))], source: "file")
        let snapshots = TrainingSnapshots(store: store, model: CompiledModel(try Preset.weighted.config()), companies: [:])
        let baseline = DateInterval(start: start, end: start.addingTimeInterval(14 * HistoryFixture.day))   // Oct 1, 8, 15
        let current = DateInterval(start: HistoryFixture.t0, end: HistoryFixture.t0.addingTimeInterval(7 * HistoryFixture.day)) // Nov 1, 8
        let later = try snapshots.drift(baseline: baseline, current: current, horizon: 30 * HistoryFixture.day, asOf: HistoryFixture.t0.addingTimeInterval(60 * HistoryFixture.day), outcomes: try store.outcomes())
        XCTAssertEqual([later.baseline.snapshotTimes, later.current.snapshotTimes], [3, 2])
        XCTAssertEqual([later.baseline.accountSnapshots, later.current.accountSnapshots], [15, 10])
        XCTAssertEqual([later.baseline.conversions, later.current.conversions], [1, 2], "ws1 converts Nov 10: within 30 days of Oct 15, Nov 1 and Nov 8")
        let earlier = try snapshots.drift(baseline: baseline, current: current, horizon: 30 * HistoryFixture.day, asOf: HistoryFixture.t0.addingTimeInterval(8 * HistoryFixture.day), outcomes: try store.outcomes())
        XCTAssertEqual([earlier.baseline.conversions, earlier.current.conversions], [0, 0], "on Nov 9 the conversion has not happened")
        XCTAssertEqual(earlier.unsettledSnapshotTimes, 2)
    }
}
