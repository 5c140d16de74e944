import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// A backtest scores each day on the events up to that day, as the model would have run.
final class BacktestReplayTests: ScratchDirectoryTestCase {
    private static let day: TimeInterval = 86_400
    private static let start = Date(timeIntervalSince1970: 1_793_491_200)   // 2026-11-01T00:00:00Z

    private func event(_ id: String, _ name: String, workspace: String, atDay offset: Double) -> Event {
        Event(messageId: id, type: .track, userId: "u-\(workspace)", groupId: workspace, name: name, timestamp: Self.start.addingTimeInterval(offset * Self.day))
    }

    func testAFlagAppearsOnTheFirstDayAfterItsEventAndLeadTimeRunsToTheConversion() throws {
        let store = try SQLiteStore(path: directory + "/s.sqlite")
        _ = try store.appendEvents([
            event("a", "Project Created", workspace: "ws1", atDay: -3),
            event("b", "Billing Added", workspace: "ws1", atDay: 5.5),
            event("c", "Project Created", workspace: "ws2", atDay: -2),
            event("d", "Project Created", workspace: "ws3", atDay: 4.2),
        ], source: "web")
        let outcomes = [Outcome(key: .workspace("ws1"), convertedAt: Self.start.addingTimeInterval(8 * Self.day))]
        let replay = TrainingSnapshots(store: store, model: CompiledModel(try Preset.weighted.config()), companies: [:])
        let history = try replay.backtestHistory(from: Self.start, to: Self.start.addingTimeInterval(10 * Self.day), outcomes: outcomes)

        XCTAssertEqual(history.days, 10)
        let ws1 = Int32(history.accounts.firstIndex(of: "ws1")!)
        let stages = history.observations.filter { $0.account == ws1 }.map(\.stage)
        XCTAssertEqual(stages.count, 11)
        XCTAssertEqual(stages.firstIndex(of: .salesReady), 6, "the hand-raise at day 5.5 is not known at day 5")
        XCTAssertEqual(history.firstSeenDay[history.accounts.firstIndex(of: "ws3")!], 5, "ws3's first event is on day 4.2")
        XCTAssertNil(history.firstSeenDay[history.accounts.firstIndex(of: "ws2")!])

        let report = Backtest.evaluate(history, horizon: 30 * Self.day)
        XCTAssertEqual(report.flagged, 1)
        XCTAssertEqual(report.flaggedConverted, 1)
        XCTAssertEqual(report.converters, 1)
        XCTAssertEqual(report.medianLeadDays, 2)
        XCTAssertEqual(report.newSignups, 1)
    }

    func testProfilesKeptBetweenDaysGiveTheScoresOfAFreshReplayEachDay() throws {
        // A demo world: identify and group calls, anonymous visitors and late joiners keep
        // changing who is in which account while the backtest steps through it.
        let end = Self.start.addingTimeInterval(20 * Self.day)
        var options = DemoWorld.Options(end: end)
        options.workspaces = 150
        options.days = 40
        let job = try DemoJob(directory: directory, options: options).run()
        let store = try SQLiteStore(path: job.files[4])
        let model = CompiledModel(try ProjectFiles.loadConfig(path: job.files[3]))
        let companies = try store.loadEngine(model: model).companies
        let from = end.addingTimeInterval(-12 * Self.day)
        let history = try TrainingSnapshots(store: store, model: model, companies: companies).backtestHistory(from: from, to: end, outcomes: [])
        for day in [1, 5, 12] {
            let time = from.addingTimeInterval(Double(day) * Self.day)
            let fresh = try store.replay(model: model, companies: companies, until: time).scoreAll(asOf: time, explained: false)
            let observed = history.observations.filter { $0.day == Int32(day) }
            XCTAssertEqual(
                observed.map { "\(history.accounts[Int($0.account)]) \($0.stage) \($0.total)" }.sorted(),
                fresh.map { "\($0.accountId) \($0.stage) \($0.total)" }.sorted(), "day \(day)"
            )
        }
    }
}
