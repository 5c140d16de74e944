import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// Feature snapshots never read the future: a snapshot is built from events up to its time only,
/// accounts already converted are not prospects, and labels look only forward.
final class TrainingSnapshotTests: ScratchDirectoryTestCase {
    private static let day: TimeInterval = 86_400
    private static let snapshot = Date(timeIntervalSince1970: 1_793_491_200)   // 2026-11-01T00:00:00Z
    private func event(_ id: String, _ name: String, workspace: String, at offset: TimeInterval) -> Event {
        Event(messageId: id, type: .track, userId: "u-\(workspace)", groupId: workspace, name: name, timestamp: Self.snapshot.addingTimeInterval(offset))
    }

    func testNoFeatureReadsAnEventAtOrAfterTheLabelTime() throws {
        let store = try SQLiteStore(path: directory + "/s.sqlite")
        let model = CompiledModel(try Preset.weighted.config())
        _ = try store.appendEvents([
            event("a1", "Project Created", workspace: "ws1", at: -3 * Self.day),
            event("a2", "Pricing Viewed", workspace: "ws2", at: -2 * Self.day),
            event("a3", "Project Created", workspace: "ws3", at: -5 * Self.day),
        ], source: "web")
        let outcomes = [
            Outcome(key: .workspace("ws1"), convertedAt: Self.snapshot.addingTimeInterval(10 * Self.day)),
            Outcome(key: .workspace("ws3"), convertedAt: Self.snapshot.addingTimeInterval(-1 * Self.day)),
        ]
        let snapshots = TrainingSnapshots(store: store, model: model, companies: [:])
        let before = try snapshots.rows(at: [Self.snapshot], outcomes: outcomes, horizon: 30 * Self.day)
        XCTAssertEqual(before.map(\.accountId).sorted(), ["ws1", "ws2"], "ws3 converted before the snapshot: not a prospect")
        XCTAssertEqual(before.first { $0.accountId == "ws1" }?.converted, true)
        XCTAssertEqual(before.first { $0.accountId == "ws2" }?.converted, false)

        // Everything that happens after the snapshot, the conversion included, changes nothing in it.
        _ = try store.appendEvents([
            event("b1", "Upgrade Started", workspace: "ws1", at: 1),
            event("b2", "Billing Added", workspace: "ws1", at: 9 * Self.day),
            event("b3", "Contact Sales Requested", workspace: "ws2", at: 2 * Self.day),
            event("b4", "Pricing Viewed", workspace: "ws4", at: 3 * Self.day),
        ], source: "web")
        let after = try snapshots.rows(at: [Self.snapshot], outcomes: outcomes, horizon: 30 * Self.day)
        XCTAssertEqual(after, before)
    }

    func testSteppingOneEngineForwardGivesTheRowsOfAReplayAtEachTime() throws {
        let store = try SQLiteStore(path: directory + "/s.sqlite")
        let model = CompiledModel(try Preset.weighted.config())
        var events: [Event] = []
        for index in 0..<60 {
            events.append(event("e\(index)", index % 3 == 0 ? "Pricing Viewed" : "Project Created", workspace: "ws\(index % 7)", at: Double(index - 40) * Self.day / 2))
        }
        // Stored out of time order, as clients and imports deliver.
        _ = try store.appendEvents(Array(events.shuffled()), source: "web")
        let outcomes = [Outcome(key: .workspace("ws2"), convertedAt: Self.snapshot.addingTimeInterval(5 * Self.day))]
        let snapshots = TrainingSnapshots(store: store, model: model, companies: [:])
        let times = [-14.0, -7, 0, 7].map { Self.snapshot.addingTimeInterval($0 * Self.day) }
        let stepped = try snapshots.rows(at: times, outcomes: outcomes, horizon: 30 * Self.day)
        let replayed = try times.flatMap { try snapshots.rows(at: [$0], outcomes: outcomes, horizon: 30 * Self.day) }
        XCTAssertGreaterThan(stepped.count, 10)
        XCTAssertEqual(stepped.map(\.accountId), replayed.map(\.accountId))
        XCTAssertEqual(stepped.map(\.at), replayed.map(\.at))
        XCTAssertEqual(stepped.map(\.converted), replayed.map(\.converted))
        // Decayed sums add in a different order, so the last bits may differ.
        for (one, other) in zip(stepped, replayed) {
            for (a, b) in zip(one.features, other.features) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(a))) }
        }
    }

    func testWeeklyTimesEndOneHorizonBeforeTheEnd() {
        let times = TrainingSnapshots.weeklyTimes(asOf: Self.snapshot, horizon: 30 * Self.day, count: 3)
        XCTAssertEqual(times.map { Self.snapshot.timeIntervalSince($0) / Self.day }, [44, 37, 30])
    }
}
