import Foundation
import SignalboxCore
import SignalboxPipeline
import SignalboxStore
import Synchronization
import XCTest

/// Routing inside live ingest: hand-raisers routed as they arrive, those a full team cannot take
/// routed by a later rescoring once capacity frees, and SLA steps that follow a missed first touch.
final class LiveRoutingTests: ScratchDirectoryTestCase {
    /// Monday 2026-11-02T15:00:00Z: 10:00 in New York.
    private static let monday = Date(timeIntervalSince1970: 1_793_631_600)
    static let config = """
    signals:
      projects: { category: value, event: Project Created, points: 10, window: 14d }
      contact_sales: { category: intent, event: Contact Sales Requested, points: 50, once: true, window: 14d }
    stages:
      pql: { score: 30 }
      sales_ready: { score: 60 }
    fast_lane: { signals: [contact_sales] }
    routing:
      routes:
        ae: { when: { stage: sales_ready }, motion: ae, team: ae, sla: 2h, destinations: [log] }
      teams:
        ae:
          manager: "#sales-managers"
          reps:
            - { email: dana@example.com, name: Dana, timezone: America/New_York, daily_capacity: 1 }
            - { email: sam@example.com, name: Sam, timezone: America/New_York, daily_capacity: 1 }
    destinations:
      log: { type: file, path: handoffs.ndjson }
    """

    private final class Clock: Sendable {
        let now = Mutex(LiveRoutingTests.monday)
        @Sendable func read() -> Date { now.withLock { $0 } }
        func advance(hours: Double) { now.withLock { $0 = $0.addingTimeInterval(hours * 3_600) } }
    }

    private func handRaise(_ workspace: String, at time: Date) -> [Event] {
        [
            Event(messageId: "\(workspace)-g", type: .group, userId: "u-\(workspace)", groupId: workspace, traits: ["name": .string(workspace)], timestamp: time),
            Event(messageId: "\(workspace)-c", type: .track, userId: "u-\(workspace)", groupId: workspace, name: "Contact Sales Requested", timestamp: time),
        ]
    }

    func testAccountsAFullTeamCannotTakeAreRoutedOnceCapacityFrees() async throws {
        let store = try SQLiteStore(path: directory + "/live.sqlite")
        let model = CompiledModel(try ConfigLoader.load(yaml: Self.config, file: "test.yaml"))
        let clock = Clock()
        let live = try LiveIngest(store: store, engine: try store.loadEngine(model: model), clock: clock.read)
        defer { live.close() }
        for workspace in ["ws1", "ws2", "ws3"] {
            _ = try await live.submit(IngestSubmission(events: handRaise(workspace, at: clock.read()), source: "web"))
            _ = try await live.read { _, _ in 0 }
        }
        var decisions = try store.routeDecisions(after: 0, account: nil, limit: 100).map(\.decision)
        XCTAssertEqual(decisions.map(\.outcome), [.handoff, .handoff, .deferred])
        XCTAssertEqual(decisions.compactMap(\.owner?.email).sorted(), ["dana@example.com", "sam@example.com"])
        XCTAssertEqual(try store.deferredAccounts(), ["ws3"])

        _ = try await live.reevaluate()
        XCTAssertEqual(try store.routeDecisions(after: 0, account: nil, limit: 100).count, 3, "still waiting: not recorded again")

        clock.advance(hours: 24)
        let round = try await live.reevaluate()
        XCTAssertEqual(round.decisions.map(\.accountId), ["ws3"])
        decisions = try store.routeDecisions(after: 0, account: nil, limit: 100).map(\.decision)
        XCTAssertEqual(decisions.last?.outcome, .handoff, "the next day a rep has room")
        XCTAssertEqual(try store.deferredAccounts(), [])
    }

    func testAMissedSLARemindsThenReassignsThenEscalatesAndADispositionStopsTheClock() async throws {
        let store = try SQLiteStore(path: directory + "/live.sqlite")
        // Room for one more account each, so a reassignment finds a rep.
        let model = CompiledModel(try ConfigLoader.load(yaml: Self.config.replacingOccurrences(of: "daily_capacity: 1", with: "daily_capacity: 2"), file: "test.yaml"))
        let clock = Clock()
        let live = try LiveIngest(store: store, engine: try store.loadEngine(model: model), clock: clock.read)
        defer { live.close() }
        for workspace in ["ws1", "ws2"] {
            _ = try await live.submit(IngestSubmission(events: handRaise(workspace, at: clock.read()), source: "web"))
            _ = try await live.read { _, _ in 0 }
        }
        let handoffs = try store.routeDecisions(after: 0, account: nil, limit: 10)
        XCTAssertEqual(handoffs.map(\.decision.owner?.name), ["Dana", "Sam"])
        XCTAssertEqual(handoffs.first?.decision.slaDue.map(Timestamp.format), "2026-11-02T17:00:00.000Z", "10:00 in New York plus two working hours")
        XCTAssertTrue(try store.recordDisposition(Disposition(handoffId: handoffs[1].id, verdict: .accepted, firstTouchAt: clock.read(), recordedAt: clock.read())))

        let early = try await live.checkSLAs()
        XCTAssertEqual(early, [], "nothing is due yet")
        clock.advance(hours: 2)
        let reminder = try await live.checkSLAs()
        XCTAssertEqual(reminder.map(\.step), [.reminder], "Sam touched ws2: only Dana's clock runs")
        XCTAssertEqual(reminder.first?.detail, "Dana: first touch on ws1 was due 2026-11-02T17:00:00.000Z")
        let again = try await live.checkSLAs()
        XCTAssertEqual(again, [], "a step is taken once")
        let notices = try store.outboxMessages(status: .pending, limit: 10).filter { $0.kind == .reminder }
        XCTAssertEqual(notices.map(\.idempotencyKey), ["reminder-\(handoffs[0].id)-log"])

        clock.advance(hours: 2)
        let reassignment = try await live.checkSLAs()
        XCTAssertEqual(reassignment.map(\.step), [.reassignment])
        let moved = try XCTUnwrap(reassignment.first?.reassignedTo)
        XCTAssertEqual(moved.owner?.name, "Sam")
        XCTAssertEqual(moved.reassignedFrom, handoffs[0].id)
        let feed = try store.routeDecisions(after: handoffs[1].id, account: nil, limit: 10)
        XCTAssertEqual(feed.map(\.decision.owner?.name), ["Sam"], "the reassignment is a new handoff, delivered like one")
        XCTAssertEqual(try store.outboxMessages(handoff: feed[0].id).map(\.kind), [.handoff])

        clock.advance(hours: 2)
        let escalation = try await live.checkSLAs()
        XCTAssertEqual(escalation.map(\.step), [.escalation])
        XCTAssertEqual(escalation.first?.handoffId, feed[0].id)
        XCTAssertTrue(escalation.first?.detail.hasPrefix("to #sales-managers: no first touch on ws1 by Sam") ?? false, escalation.first?.detail ?? "")
        clock.advance(hours: 48)
        let after = try await live.checkSLAs()
        XCTAssertEqual(after, [], "an escalated handoff's clock has stopped")
    }
}
