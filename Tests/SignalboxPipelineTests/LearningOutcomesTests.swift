import Foundation
import SignalboxCore
import SignalboxPipeline
import SignalboxStore
import XCTest

/// Training labels come from imported outcomes, the configured conversion event and reps' dispositions.
final class LearningOutcomesTests: ScratchDirectoryTestCase {
    private static let start = Date(timeIntervalSince1970: 1_793_491_200)   // 2026-11-01T00:00:00Z

    func testTheConversionEventAndDispositionsBecomeOutcomes() throws {
        let store = try SQLiteStore(path: directory + "/s.sqlite")
        let config = try ConfigLoader.load(yaml: Preset.weighted.yaml + "\noutcomes:\n  conversion_event: Subscription Started\n", file: "signalbox.yaml")
        XCTAssertEqual(config.outcomes.conversionEvent, "Subscription Started")
        let paid = Self.start.addingTimeInterval(3_600)
        _ = try store.appendEvents([
            Event(messageId: "a", type: .track, userId: "u1", groupId: "ws1", name: "Project Created", timestamp: Self.start),
            Event(messageId: "b", type: .track, userId: "u1", groupId: "ws1", name: "Subscription Started", timestamp: paid),
            Event(messageId: "c", type: .track, userId: "u2", groupId: "ws2", name: "Subscription Cancelled", timestamp: paid),
        ], source: "web")
        _ = try store.recordOutcomes([Outcome(key: .domain("acme.com"), convertedAt: paid)], source: "csv")
        let decisions = ["ws2", "ws3"].map { account in
            RouteDecision(accountId: account, routingKey: account, at: Self.start, stage: .salesReady, total: 70, route: "ae", motion: .ae, outcome: .handoff, reason: "test")
        }
        try store.recordRouting(decisions, credits: [:])
        let recorded = try store.routeDecisions(after: 0, account: nil, limit: 10)
        let decided = Self.start.addingTimeInterval(86_400)
        _ = try store.recordDisposition(Disposition(handoffId: recorded[0].id, verdict: .rejected, reason: .notICP, recordedAt: decided))
        _ = try store.recordDisposition(Disposition(handoffId: recorded[1].id, verdict: .accepted, recordedAt: decided))
        let engine = try store.loadEngine(model: CompiledModel(config))

        let outcomes = try store.learningOutcomes(config: config, engine: engine)
        XCTAssertEqual(outcomes, [
            Outcome(key: .domain("acme.com"), convertedAt: paid),
            Outcome(key: .account("ws1"), convertedAt: paid),
            Outcome(key: .account("ws2"), convertedAt: nil, lostAt: decided),
        ])
        let accepted = try store.learningOutcomes(config: config, engine: engine, labels: .accepted)
        XCTAssertEqual(accepted.last, Outcome(key: .account("ws3"), convertedAt: decided))
    }
}
