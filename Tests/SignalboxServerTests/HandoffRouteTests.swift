import Foundation
import HummingbirdTesting
import SignalboxCore
import SignalboxPipeline
import XCTest

/// Live routing and the handoff routes: an account that rises is routed in the same round that
/// records its transition, its handoff is queued for delivery, and reps' dispositions come back.
final class HandoffRouteTests: XCTestCase {
    private static let handRaiser = Wire.batch([
        Wire.identify(id: "i1"), Wire.group(id: "g1"),
        Wire.track("Project Created", id: "p1", at: "2026-11-15T10:00:00Z"),
        Wire.track("Integration Connected", id: "c1", at: "2026-11-17T10:00:00Z"),
        Wire.track("Contact Sales Requested", id: "s1", at: "2026-11-19T10:00:00Z"),
    ])

    /// Ingests the hand-raiser with company data so it becomes sales-ready, and waits for its handoff.
    private static func routedHandRaiser(_ server: ServerHarness, _ client: any TestClientProtocol) async throws -> JSONValue {
        _ = try await client.api("/api/firmographics", method: .put, body: #"{"companies":[{"domain":"acme.com","name":"Acme","employees":800,"industry":"Software","country":"US"}]}"#)
        let ingested = try await client.ingest(HandoffRouteTests.handRaiser)
        XCTAssertEqual(ingested.status, .ok)
        for _ in 0..<200 {
            let feed = try await client.api("/api/handoffs")
            if let first = feed.json["handoffs"]?.arrayValue?.first { return first }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("no handoff was recorded")
        return .null
    }

    func testAnAccountThatBecomesSalesReadyIsRoutedAndQueuedForDelivery() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let handoff = try await Self.routedHandRaiser(server, client)
            XCTAssertEqual(handoff["decision"]?["account_id"], "ws1")
            XCTAssertEqual(handoff["decision"]?["route"], "hand_raiser")
            XCTAssertEqual(handoff["decision"]?["motion"], "ae")
            // 12:00 UTC on a Friday: only the Paris rep of the AE team is at work.
            XCTAssertEqual(handoff["decision"]?["owner"]?["email"], "lea.martin@example.com")
            XCTAssertEqual(handoff["decision"]?["brief"]?["play"]?["id"], "asked_for_sales")
            let id = try XCTUnwrap(handoff["id"]?.doubleValue).formatted()
            let detail = try await client.api("/api/handoffs/\(id)")
            XCTAssertEqual(detail.status, .ok)
            XCTAssertEqual(detail.json["deliveries"]?.arrayValue?.map { $0["destination"] }, ["handoff_log"])
            XCTAssertEqual(detail.json["deliveries"]?.arrayValue?.first?["status"], "pending")
            let transitions = try await client.api("/api/transitions?account=ws1")
            XCTAssertEqual(transitions.json["transitions"]?.arrayValue?.last?["transition"]?["to"], "sales_ready")

            // More events for a routed account do not route it again: one action per account.
            let more = try await client.ingest(Wire.batch([Wire.track("Project Created", id: "p9", at: "2026-11-20T10:00:00Z")]))
            XCTAssertEqual(more.status, .ok)
            _ = try await server.live.read { _, _ in 0 }
            let feed = try await client.api("/api/handoffs")
            XCTAssertEqual(feed.json["handoffs"]?.arrayValue?.count, 1)
        }
    }

    func testRepsRecordDispositionsThatBecomeTrainingLabels() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let handoff = try await Self.routedHandRaiser(server, client)
            let id = try XCTUnwrap(handoff["id"]?.doubleValue).formatted()
            let noReason = try await client.api("/api/handoffs/\(id)/disposition", method: .post, body: #"{"disposition":"rejected"}"#)
            XCTAssertEqual(noReason.status, .badRequest)
            XCTAssertEqual(noReason.json["code"], "invalid_disposition")
            let badVerdict = try await client.api("/api/handoffs/\(id)/disposition", method: .post, body: #"{"disposition":"maybe"}"#)
            XCTAssertEqual(badVerdict.status, .badRequest)
            XCTAssertTrue(badVerdict.json["message"]?.stringValue?.contains("$.disposition") ?? false, badVerdict.text)
            let unknown = try await client.api("/api/handoffs/999/disposition", method: .post, body: #"{"disposition":"accepted"}"#)
            XCTAssertEqual(unknown.status, .notFound)

            let accepted = try await client.api("/api/handoffs/\(id)/disposition", method: .post, body: """
                {"disposition":"rejected","reason":"too_early","note":"evaluating next quarter","first_touch_at":"2026-11-20T13:05:00Z","by":"dana.reyes@example.com"}
                """)
            XCTAssertEqual(accepted.status, .ok, accepted.text)
            XCTAssertEqual(accepted.json["reason"], "too_early")
            let detail = try await client.api("/api/handoffs/\(id)")
            XCTAssertEqual(detail.json["disposition"]?["verdict"], "rejected")
            XCTAssertEqual(detail.json["disposition"]?["first_touch_at"], "2026-11-20T13:05:00Z")
            let labels = try server.store.handoffLabels()
            XCTAssertEqual(labels.map(\.decision.accountId), ["ws1"])
            XCTAssertEqual(labels.first?.disposition.reason, .tooEarly)
            let csv = LabelExport.csv(labels).split(separator: "\n")
            XCTAssertEqual(csv.first, "handoff_id,account_id,routing_key,route,motion,stage,score,routed_at,owner,disposition,reason,first_touch_at,recorded_at,note")
            XCTAssertTrue(csv.last?.hasPrefix("\(id),ws1,acme.com,hand_raiser,ae,sales_ready,") ?? false, String(csv.last ?? ""))
            XCTAssertTrue(csv.last?.hasSuffix(",rejected,too_early,2026-11-20T13:05:00.000Z,2026-11-20T12:00:00.000Z,evaluating next quarter") ?? false, String(csv.last ?? ""))
        }
    }

    func testTheOutboxCanBeListedAndDeadLettersRetried() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            _ = try await Self.routedHandRaiser(server, client)
            let pending = try await client.api("/api/outbox?status=pending")
            let message = try XCTUnwrap(pending.json["messages"]?.arrayValue?.first)
            XCTAssertEqual(message["destination"], "handoff_log")
            try server.store.recordDelivery(DeliveryAttempt(messageId: Int64(message["id"]!.doubleValue!), attempts: 1, result: .dead(error: "HTTP 404: no_service")))
            let dead = try await client.api("/api/outbox?status=dead")
            XCTAssertEqual(dead.json["messages"]?.arrayValue?.first?["last_error"], "HTTP 404: no_service")
            let lost = try await client.api("/api/outbox?status=lost")
            XCTAssertEqual(lost.status, .badRequest)
            let retried = try await client.api("/api/outbox/retry", method: .post, body: "")
            XCTAssertEqual(retried.json["requeued"], 1)
            let none = try await client.api("/api/outbox?status=dead")
            XCTAssertEqual(none.json["messages"]?.arrayValue?.count, 0)
        }
    }

    func testOutcomesCanBeSentThroughTheAPI() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            _ = try await client.ingest(HandoffRouteTests.handRaiser)
            let sent = try await client.api("/api/outcomes", method: .post, body: """
                {"outcomes":[{"workspace_id":"ws1","converted_at":"2026-11-25T00:00:00Z","acv":24000},{"domain":"nowhere.io","lost_at":"2026-11-26"}]}
                """)
            XCTAssertEqual(sent.status, .ok, sent.text)
            XCTAssertEqual(sent.json["new"], 2)
            XCTAssertEqual(sent.json["unmatched"]?.arrayValue?.compactMap(\.stringValue), ["domain nowhere.io"])
            let twoKeys = try await client.api("/api/outcomes", method: .post, body: #"{"outcomes":[{"workspace_id":"ws1","domain":"acme.com","converted_at":"2026-11-25"}]}"#)
            XCTAssertEqual(twoKeys.status, .badRequest)
            XCTAssertEqual(twoKeys.json["message"], "$.outcomes[0]: give exactly one of account_id, workspace_id, group_id, domain")
            XCTAssertEqual(try server.store.outcomes().count, 2)
        }
    }
}
