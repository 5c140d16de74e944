import XCTest
@testable import SignalboxCore

final class StateWorkersTests: XCTestCase {
    private let model = CompiledModel(try! ConfigLoader.load(yaml: """
    signals:
      projects: { category: value, event: Project Created, points: 2, half_life: 7d, window: 14d }
      rows: { category: value, event: Rows Synced, sum: rows, points: 0.001, half_life: 10d }
      pricing: { category: intent, page: Pricing, points: 10, half_life: 3d }
      active: { category: value, metric: active_days, window: 14d, points: 1 }
    stages:
      pql: { score: 30 }
      sales_ready: { score: 60 }
    """, file: "test.yaml"))

    /// Memberships first, then one batch of activity: with a `groupId`, and without one from
    /// users in two workspaces, so both kinds of placement are split among threads.
    private func history() -> (memberships: [Event], activity: [Event]) {
        var memberships: [Event] = []
        for user in 0..<300 {
            memberships.append(group("u\(user)", "ws\(user % 97)"))
            if user % 5 == 0 { memberships.append(group("u\(user)", "ws\((user + 31) % 97)")) }
        }
        var activity: [Event] = []
        for index in 0..<(Engine.eventsPerStateWorker * 3) {
            let user = "u\(index % 300)"
            let time = daysBefore(Double(index % 23) + Double(index % 7) / 10)
            switch index % 4 {
            case 0: activity.append(track("Project Created", user: user, group: nil, at: time))
            case 1: activity.append(track("Rows Synced", user: user, group: "ws\(index % 300 % 97)", at: time, properties: ["rows": .number(Double(index % 1_000))]))
            case 2: activity.append(Event(messageId: "p\(index)", type: .page, userId: user, name: "Pricing", timestamp: time))
            default: activity.append(track("Project Created", user: user, group: "ws\(index % 300 % 97)", at: time))
            }
        }
        return (memberships, activity)
    }

    func testALargeBatchUpdatesStatesOnSeveralThreadsExactlyAsSmallBatchesDo() {
        let (memberships, activity) = history()
        var large = Engine(model: model)
        large.ingest(memberships)
        large.ingest(activity)
        var small = Engine(model: model)
        small.ingest(memberships)
        for start in stride(from: 0, to: activity.count, by: 1_000) {
            small.ingest(Array(activity[start..<min(start + 1_000, activity.count)]))
        }
        XCTAssertEqual(large.states.count, 97)
        // Each state sees its events in the same order either way, so the numbers agree to the bit.
        XCTAssertEqual(large.states, small.states)
        XCTAssertEqual(large.takeChanges().workspaces, small.takeChanges().workspaces)
    }
}
