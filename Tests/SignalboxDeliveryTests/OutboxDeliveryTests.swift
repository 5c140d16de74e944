import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import SignalboxCore
import SignalboxDelivery
import SignalboxStore
import XCTest

/// The outbox worker against local stand-ins of Slack, HubSpot, Salesforce and a signed webhook,
/// each checking requests against the published contract.
final class OutboxDeliveryTests: XCTestCase {
    private static let fastRetries = RetryPolicy(base: 0.05, cap: 0.2)

    private static func worker(_ fixture: HandoffFixture, _ entries: [String: DestinationSet.Entry], store: (any SignalStore)? = nil) -> OutboxWorker {
        var quiet = Logger(label: "signalbox.outbox.test")
        quiet.logLevel = .critical
        return OutboxWorker(store: store ?? fixture.store, destinations: DestinationSet(entries: entries), policy: Self.fastRetries, logger: quiet)
    }

    func testSlackReceivesEveryHandoffOnceWithinBlockKitLimits() async throws {
        let fixture = try HandoffFixture(accounts: 3, destinations: ["slack"])
        defer { fixture.remove() }
        XCTAssertEqual(fixture.decisions.filter { $0.outcome == .handoff }.count, 3)
        let slack = StandIn()
        try await StandIn.serve(SlackStandIn.router(slack)) { base in
            let adapter = SlackAdapter(client: .shared, webhookURL: base + SlackStandIn.path)
            try await Self.worker(fixture, ["slack": .init(adapter: adapter, ratePerSecond: 50, maxAttempts: 5)]).drain()
        }
        XCTAssertEqual(slack.violations, [])
        XCTAssertEqual(slack.received.count, 3)
        let text = slack.received.compactMap { $0.json["text"]?.string }
        XCTAssertTrue(text.allSatisfy { $0.hasPrefix("Sales-ready handoff: Company ") }, "\(text)")
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 3)
    }

    func testSLARemindersReachSlackAndSkipTheCRM() async throws {
        let fixture = try HandoffFixture(accounts: 1, destinations: ["slack", "crm"])
        defer { fixture.remove() }
        let handoff = try XCTUnwrap(try fixture.store.routeDecisions(after: 0, account: nil, limit: 1).first)
        try fixture.store.recordSLAStep(
            SLAStepTaken(handoffId: handoff.id, step: .reminder, at: HandoffFixture.now, detail: "Dana: first touch on Company 0 was due", reassignedTo: nil),
            credits: [:]
        )
        let slack = StandIn()
        let hubspot = HubSpotStandIn()
        try await StandIn.serve(SlackStandIn.router(slack)) { slackBase in
            try await StandIn.serve(hubspot.router()) { hubspotBase in
                let entries: [String: DestinationSet.Entry] = [
                    "slack": .init(adapter: SlackAdapter(client: .shared, webhookURL: slackBase + SlackStandIn.path), ratePerSecond: 50, maxAttempts: 5),
                    "crm": .init(adapter: HubSpotAdapter(client: .shared, token: HubSpotStandIn.token, baseURL: hubspotBase), ratePerSecond: 50, maxAttempts: 5),
                ]
                try await Self.worker(fixture, entries).drain()
            }
        }
        XCTAssertEqual(slack.violations, [])
        let texts = Set(slack.received.compactMap { $0.json["text"]?.string })
        XCTAssertEqual(texts.count, 2)
        XCTAssertTrue(texts.contains("⏰ SLA reminder: Company 0"), "\(texts)")
        XCTAssertEqual(hubspot.standIn.received.filter { $0.path == "/crm/v3/objects/tasks" }.count, 1, "one task for the handoff, none for the reminder")
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 4)
    }

    func testTheSlackStandInRefusesWhatSlackRefuses() {
        let tooMany = JSONObject(["text": "x", "blocks": Array(repeating: ["type": "divider"], count: 51)])
        XCTAssertEqual(SlackStandIn.validate(tooMany, [.contentType: "application/json"]), ["invalid_blocks: 51 blocks, at most 50"])
        let longField = JSONObject(["blocks": [["type": "section", "fields": [["type": "mrkdwn", "text": String(repeating: "a", count: 2_001)]]]]])
        XCTAssertEqual(SlackStandIn.validate(longField, [.contentType: "application/json"]), ["invalid_blocks: block 0 has a field over 2000 characters"])
        XCTAssertFalse(SlackStandIn.validate(JSONObject(["text": "hi"]), [:]).isEmpty, "JSON content type is required")
    }

    func testRetryAfterIsHonouredAndNothingIsSentBeforeIt() async throws {
        let fixture = try HandoffFixture(accounts: 2, destinations: ["slack"])
        defer { fixture.remove() }
        let slack = StandIn()
        slack.script([StandIn.Scripted(status: .tooManyRequests, headers: [.retryAfter: "1"], body: "rate_limited")])
        let started = Date()
        try await StandIn.serve(SlackStandIn.router(slack)) { base in
            let adapter = SlackAdapter(client: .shared, webhookURL: base + SlackStandIn.path)
            try await Self.worker(fixture, ["slack": .init(adapter: adapter, ratePerSecond: 50, maxAttempts: 5)]).drain(waitingUpTo: 5)
        }
        XCTAssertEqual(slack.received.count, 2)
        XCTAssertEqual(slack.attempts, 3, "one 429, then each message once")
        let first = try XCTUnwrap(slack.received.map(\.at).min())
        XCTAssertGreaterThanOrEqual(first.timeIntervalSince(started), 1, "no request until the Retry-After second has passed")
        let delivered = try fixture.store.outboxMessages(status: .delivered, limit: 10)
        XCTAssertEqual(delivered.map(\.attempts).sorted(), [1, 2], "the rate-limited message was tried twice; the other waited without using an attempt")
    }

    func testADestinationDownForALongTimeGetsEverythingOnceWhenItReturns() async throws {
        let fixture = try HandoffFixture(accounts: 5, destinations: ["hook"])
        defer { fixture.remove() }
        let hook = WebhookStandIn()
        hook.standIn.setDown(true)
        try await StandIn.serve(hook.router()) { base in
            let adapter = WebhookAdapter(client: .shared, url: base + WebhookStandIn.path, secret: WebhookStandIn.secret)
            let worker = Self.worker(fixture, ["hook": .init(adapter: adapter, ratePerSecond: 100, maxAttempts: 50)])
            for _ in 0..<4 { try await worker.drain(waitingUpTo: 0.3) }
            XCTAssertEqual(try fixture.store.outboxMessages(status: .pending, limit: 10).count, 5, "still waiting, nothing given up")
            XCTAssertGreaterThan(hook.standIn.attempts, 10)
            hook.standIn.setDown(false)
            try await worker.drain(waitingUpTo: 2)
        }
        XCTAssertEqual(hook.standIn.violations, [])
        XCTAssertEqual(hook.deliveriesByKey.count, 5)
        XCTAssertTrue(hook.deliveriesByKey.values.allSatisfy { $0 == 1 })
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 5)
    }

    func testAPermanentErrorLandsInDeadLettersWithTheReasonAndCanBeRetried() async throws {
        let fixture = try HandoffFixture(accounts: 1, destinations: ["slack"])
        defer { fixture.remove() }
        let slack = StandIn()
        slack.script([StandIn.Scripted(status: .notFound, body: "no_service")])
        try await StandIn.serve(SlackStandIn.router(slack)) { base in
            let adapter = SlackAdapter(client: .shared, webhookURL: base + SlackStandIn.path)
            let worker = Self.worker(fixture, ["slack": .init(adapter: adapter, ratePerSecond: 50, maxAttempts: 5)])
            try await worker.drain(waitingUpTo: 1)
            let dead = try fixture.store.outboxMessages(status: .dead, limit: 10)
            XCTAssertEqual(dead.count, 1)
            XCTAssertEqual(dead.first?.lastError, "HTTP 404: no_service")
            XCTAssertEqual(dead.first?.attempts, 1, "a permanent error is not retried")
            XCTAssertEqual(try fixture.store.requeueOutbox(ids: nil, from: .dead, at: Date()), 1)
            try await worker.drain()
        }
        XCTAssertEqual(slack.received.count, 1)
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 1)
    }

    func testAMessageForAnUnconfiguredDestinationIsADeadLetterNotALoss() async throws {
        let fixture = try HandoffFixture(accounts: 1, destinations: ["gone"])
        defer { fixture.remove() }
        try await Self.worker(fixture, [:]).drain()
        XCTAssertEqual(try fixture.store.outboxMessages(status: .dead, limit: 10).first?.lastError, "destination \"gone\" is not configured")
    }

    func testACrashBetweenCommitAndSendOrBetweenSendAndRecordStillDeliversEachKeyOnce() async throws {
        let fixture = try HandoffFixture(accounts: 3, destinations: ["hook"])
        defer { fixture.remove() }
        let hook = WebhookStandIn()
        try await StandIn.serve(hook.router()) { base in
            let adapter = WebhookAdapter(client: .shared, url: base + WebhookStandIn.path, secret: WebhookStandIn.secret)
            let entries: [String: DestinationSet.Entry] = ["hook": .init(adapter: adapter, ratePerSecond: 100, maxAttempts: 5)]
            // The routing commit happened in the fixture, and the process stopped before any send.
            // Then one message is sent but its answer is lost, as in a crash right after the send.
            let losing: [String: DestinationSet.Entry] = ["hook": .init(adapter: AnswerLosingAdapter(base: adapter), ratePerSecond: 100, maxAttempts: 5)]
            let first = try await Self.worker(fixture, losing).deliverDue(limit: 1)
            XCTAssertEqual(first.count, 1)
            XCTAssertEqual(try fixture.store.outboxMessages(status: .pending, limit: 10).count, 3)
            // After the restart, a fresh worker on the reopened database delivers everything.
            let reopened = try SQLiteStore(path: fixture.directory.appendingPathComponent("signalbox.sqlite").path)
            try await Self.worker(fixture, entries, store: reopened).drain(waitingUpTo: 1)
        }
        XCTAssertEqual(hook.deliveriesByKey.count, 3, "every handoff arrived")
        XCTAssertEqual(hook.standIn.received.count, 4, "the one sent before the crash arrived twice…")
        XCTAssertTrue(hook.deliveriesByKey.values.contains(2), "…under the same idempotency key, so the receiver drops the repeat")
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 3)
    }

    func testHubSpotGetsTheCompanyPropertiesAndATaskOnTheCompany() async throws {
        let fixture = try HandoffFixture(accounts: 2, destinations: ["crm"])
        defer { fixture.remove() }
        let hubspot = HubSpotStandIn()
        hubspot.standIn.script([HubSpotStandIn.rateLimited])
        try await StandIn.serve(hubspot.router()) { base in
            let adapter = HubSpotAdapter(client: .shared, token: HubSpotStandIn.token, baseURL: base)
            try await Self.worker(fixture, ["crm": .init(adapter: adapter, ratePerSecond: 100, maxAttempts: 5)]).drain(waitingUpTo: 15)
        }
        XCTAssertEqual(hubspot.standIn.violations, [])
        XCTAssertEqual(hubspot.companyProperties["company0.com"]?["signalbox_stage"], "sales_ready")
        XCTAssertEqual(hubspot.companyProperties["company0.com"]?["domain"], "company0.com")
        let tasks = hubspot.standIn.received.filter { $0.path == "/crm/v3/objects/tasks" }
        XCTAssertEqual(tasks.count, 2)
        XCTAssertTrue(tasks.contains { $0.json["properties"]?["hubspot_owner_id"]?.string == "77" }, "the rep's HubSpot owner id assigns the task")
        XCTAssertTrue(tasks.allSatisfy { $0.json["properties"]?["hs_task_body"]?.string?.contains("Why now:") == true })
    }

    func testSalesforceGetsTheAccountUpsertedByExternalIdAndATaskOnIt() async throws {
        let fixture = try HandoffFixture(accounts: 2, destinations: ["sfdc"])
        defer { fixture.remove() }
        let salesforce = SalesforceStandIn()
        try await StandIn.serve(salesforce.router()) { base in
            let adapter = SalesforceAdapter(client: .shared, instanceURL: base, token: SalesforceStandIn.token)
            try await Self.worker(fixture, ["sfdc": .init(adapter: adapter, ratePerSecond: 100, maxAttempts: 5)]).drain()
        }
        XCTAssertEqual(salesforce.standIn.violations, [])
        XCTAssertEqual(Set(salesforce.recordIds.keys), ["company0.com", "company1.com"])
        let tasks = salesforce.standIn.received.filter { $0.path.hasSuffix("/sobjects/Task") }
        XCTAssertEqual(Set(tasks.compactMap { $0.json["WhatId"]?.string }), Set(salesforce.recordIds.values))
        XCTAssertTrue(tasks.contains { $0.json["OwnerId"]?.string == "005STANDINREP" })
        let upsert = try XCTUnwrap(salesforce.standIn.received.first { $0.method == .patch })
        XCTAssertEqual(upsert.path, "/services/data/v60.0/composite/sobjects/Account/Signalbox_Account_Id__c")
    }

    func testAHubSpotTaskWhoseAnswerWasLostIsNotCreatedAgain() async throws {
        let fixture = try HandoffFixture(accounts: 2, destinations: ["crm"])
        defer { fixture.remove() }
        let hubspot = HubSpotStandIn()
        try await StandIn.serve(hubspot.router()) { base in
            let adapter = HubSpotAdapter(client: .shared, token: HubSpotStandIn.token, baseURL: base)
            // The first handoff's task is created and its answer lost, as after a timeout or a stop before recording it.
            let losing = AnswerLosingAdapter(base: adapter)
            _ = try await Self.worker(fixture, ["crm": .init(adapter: losing, ratePerSecond: 100, maxAttempts: 5)]).deliverDue(limit: 1)
            XCTAssertEqual(hubspot.taskSubjects.values.map(\.count), [1])
            try await Self.worker(fixture, ["crm": .init(adapter: adapter, ratePerSecond: 100, maxAttempts: 5)]).drain(waitingUpTo: 1)
        }
        XCTAssertEqual(hubspot.standIn.violations, [])
        XCTAssertEqual(hubspot.taskSubjects.mapValues(\.count), ["company0.com": 1, "company1.com": 1], "one task per handoff")
        XCTAssertTrue(hubspot.standIn.received.contains { $0.path == "/crm/v3/objects/tasks/batch/read" }, "the retry read the company's tasks")
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 2)
    }

    func testAHubSpotTokenThatMayNotReadTasksStillCreatesThem() async throws {
        let fixture = try HandoffFixture(accounts: 1, destinations: ["crm"])
        defer { fixture.remove() }
        let hubspot = HubSpotStandIn()
        hubspot.standIn.script([StandIn.Scripted(
            status: .forbidden, body: #"{"status":"error","category":"MISSING_SCOPES","message":"This app hasn't been granted all required scopes"}"#,
            pathPrefix: "/crm/v4/"
        )])
        try await StandIn.serve(hubspot.router()) { base in
            let adapter = HubSpotAdapter(client: .shared, token: HubSpotStandIn.token, baseURL: base)
            try await Self.worker(fixture, ["crm": .init(adapter: adapter, ratePerSecond: 100, maxAttempts: 5)]).drain(waitingUpTo: 1)
        }
        XCTAssertEqual(hubspot.taskSubjects.mapValues(\.count), ["company0.com": 1])
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 1)
    }

    func testASalesforceTaskWhoseAnswerWasLostIsNotCreatedAgain() async throws {
        // Quotes, backslashes, `&` and `+` in the subject must survive SOQL quoting and the query string.
        let fixture = try HandoffFixture(accounts: 2, destinations: ["sfdc"], name: { $0 == 0 ? #"O'Brien & Sons + Co \ Ltd"# : "Company \($0)" })
        defer { fixture.remove() }
        let salesforce = SalesforceStandIn()
        try await StandIn.serve(salesforce.router()) { base in
            let adapter = SalesforceAdapter(client: .shared, instanceURL: base, token: SalesforceStandIn.token)
            let entry = { (adapter: any DestinationAdapter) in ["sfdc": DestinationSet.Entry(adapter: adapter, ratePerSecond: 100, maxAttempts: 5)] }
            for _ in 0..<2 { _ = try await Self.worker(fixture, entry(AnswerLosingAdapter(base: adapter))).deliverDue(limit: 2) }
            try await Self.worker(fixture, entry(adapter)).drain(waitingUpTo: 1)
        }
        XCTAssertEqual(salesforce.standIn.violations, [])
        XCTAssertEqual(salesforce.taskCounts, Dictionary(uniqueKeysWithValues: salesforce.recordIds.values.map { ($0, 1) }), "one Task per handoff")
        XCTAssertEqual(salesforce.taskCounts.count, 2)
        XCTAssertEqual(try fixture.store.outboxMessages(status: .delivered, limit: 10).count, 2)
    }

    func testBackoffGrowsWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(base: 2, cap: 3_600)
        XCTAssertEqual(policy.delay(afterAttempts: 1, retryAfter: nil, random: 0.5), 1)
        XCTAssertEqual(policy.delay(afterAttempts: 4, retryAfter: nil, random: 0.5), 8)
        XCTAssertEqual(policy.delay(afterAttempts: 30, retryAfter: nil, random: 0.999), 3_596.4, accuracy: 0.01)
        XCTAssertGreaterThanOrEqual(policy.delay(afterAttempts: 1, retryAfter: 30, random: 0), 30)
        XCTAssertLessThan(policy.delay(afterAttempts: 1, retryAfter: 30, random: 0.999), 30.3)
    }
}

/// Sends through the real adapter, then loses the answer, as when the process dies right after a
/// send and before the delivery is recorded.
struct AnswerLosingAdapter: DestinationAdapter {
    let base: any DestinationAdapter

    func send(_ message: OutboxMessage) async -> DeliveryOutcome {
        _ = await base.send(message)
        return .retry(after: nil, reason: "the process stopped before recording the answer")
    }
}
