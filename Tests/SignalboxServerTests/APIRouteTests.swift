import Foundation
import HummingbirdTesting
import SignalboxCore
import XCTest

final class APIRouteTests: XCTestCase {
    private static let stream = Wire.batch([
        Wire.identify(id: "i1"), Wire.group(id: "g1"),
        Wire.track("Project Created", id: "p1", at: "2026-11-15T10:00:00Z"),
        Wire.track("Project Created", id: "p2", at: "2026-11-16T10:00:00Z"),
        Wire.track("Integration Connected", id: "c1", at: "2026-11-17T10:00:00Z"),
        Wire.track("Contact Sales Requested", id: "s1", at: "2026-11-19T10:00:00Z"),
    ])

    func testAdminRoutesNeedTheBearerToken() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let missing = try await client.api("/api/accounts", token: nil)
            XCTAssertEqual(missing.status, .unauthorized)
            XCTAssertEqual(missing.json["code"], "missing_token")
            let wrong = try await client.api("/api/accounts", token: "guess")
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertEqual(wrong.json["code"], "invalid_token")
            let writeKey = try await client.api("/api/accounts", token: ServerHarness.writeKey)
            XCTAssertEqual(writeKey.status, .unauthorized)
        }
    }

    func testFirmographicsMakeAHandRaiserSalesReadyAndTheTransitionIsRecorded() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let ingested = try await client.ingest(APIRouteTests.stream)
            XCTAssertEqual(ingested.status, .ok)
            // Without company data only the buyer persona counts for fit, so the fast lane (min fit 40) is closed.
            let before = try await client.api("/api/accounts/ws1")
            XCTAssertNotEqual(before.json["score"]?["stage"], "sales_ready")
            XCTAssertEqual(before.json["score"]?["fit"], 15)

            let upsert = try await client.api("/api/firmographics", method: .put, body: """
                {"companies": [{"domain": "ACME.com", "name": "Acme Inc", "employees": 800, "industry": "Software", "country": "US", "tech_stack": ["snowflake"]}]}
                """)
            XCTAssertEqual(upsert.status, .ok, upsert.text)
            XCTAssertEqual(upsert.json["upserted"], 1)
            XCTAssertEqual(upsert.json["transitions"]?.arrayValue?.first?["to"], "sales_ready")

            let feed = try await client.api("/api/transitions")
            let transitions = feed.json["transitions"]?.arrayValue ?? []
            let last = try XCTUnwrap(transitions.last)
            XCTAssertEqual(last["transition"]?["account_id"], "ws1")
            XCTAssertEqual(last["transition"]?["to"], "sales_ready")
            XCTAssertEqual(last["transition"]?["at"], "2026-11-20T12:00:00Z")
            XCTAssertEqual(last["transition"]?["causes"]?.arrayValue?.first?["code"], "contact_sales")
            let next = try XCTUnwrap(feed.json["next_after"]?.doubleValue)
            let empty = try await client.api("/api/transitions?after=\(Int(next))")
            XCTAssertEqual(empty.json["transitions"]?.arrayValue?.count, 0)

            let ready = try await client.api("/api/accounts?stage=sales_ready")
            XCTAssertEqual(ready.json["total"], 1)
            XCTAssertEqual(ready.json["accounts"]?.arrayValue?.first?["account_id"], "ws1")
            XCTAssertEqual(ready.json["accounts"]?.arrayValue?.first?["name"], "Acme")

            let detail = try await client.api("/api/accounts/ws1")
            XCTAssertEqual(detail.json["company"]?["employees"], 800)
            XCTAssertEqual(detail.json["members"]?.arrayValue?.first?["traits"]?["title"], "VP Engineering")
            XCTAssertEqual(detail.json["recent_events"]?.arrayValue?.first?["name"], "Contact Sales Requested")
        }
    }

    func testTimeCoolsAStaleAccountDownWithoutNewEvents() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            _ = try await client.ingest(APIRouteTests.stream)
            _ = try await client.api("/api/firmographics", method: .put, body: #"{"companies":[{"domain":"acme.com","employees":800,"industry":"Software","country":"US"}]}"#)
            server.advance(days: 60)
            let observation = try await server.live.reevaluate()
            XCTAssertEqual(observation.transitions.map(\.from), [.salesReady])
            XCTAssertEqual(observation.transitions.first?.to, .notPQL)
            let feed = try await client.api("/api/transitions?account=ws1")
            XCTAssertEqual(feed.json["transitions"]?.arrayValue?.map { $0["transition"]?["to"] }, ["sales_ready", "not_pql"])
            let listed = try await client.api("/api/accounts")
            XCTAssertEqual(listed.json["accounts"]?.arrayValue?.first?["stage"], "not_pql")
        }
    }

    func testExplainNowAndAsOfAPastMoment() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            _ = try await client.ingest(APIRouteTests.stream)
            let now = try await client.api("/api/accounts/ws1/explain")
            XCTAssertEqual(now.status, .ok)
            let projects = now.json["contributions"]?.arrayValue?.first { $0["signal"] == "projects_created" }
            XCTAssertEqual(projects?["raw_count"], 2)
            XCTAssertNotNil(now.json["stage_reason"]?.stringValue)
            // Before the second project, only one counted (the replay uses corrected event times).
            let past = try await client.api("/api/accounts/ws1/explain?as_of=2026-11-16T00:00:00Z")
            XCTAssertEqual(past.status, .ok, past.text)
            XCTAssertEqual(past.json["contributions"]?.arrayValue?.first { $0["signal"] == "projects_created" }?["raw_count"], 1)
            let bad = try await client.api("/api/accounts/ws1/explain?as_of=soon")
            XCTAssertEqual(bad.status, .badRequest)
            let unknown = try await client.api("/api/accounts/nobody/explain")
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertEqual(unknown.json["code"], "not_found")
        }
    }

    func testListParametersAreValidated() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            for query in ["stage=hot", "limit=0", "limit=abc", "offset=-1"] {
                let response = try await client.api("/api/accounts?\(query)")
                XCTAssertEqual(response.status, .badRequest, query)
                XCTAssertEqual(response.json["code"], "invalid_parameter", query)
            }
            let badBody = try await client.api("/api/firmographics", method: .put, body: #"{"companies":[{"name":"No domain"}]}"#)
            XCTAssertEqual(badBody.status, .badRequest)
            XCTAssertEqual(badBody.json["message"], "$.companies[0].domain is required")
        }
    }

    func testPostHogMessagesMapOntoTheSameModel() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let body = """
                {"api_key": "\(ServerHarness.writeKey)", "sent_at": "2026-11-20T11:00:00+00:00", "batch": [
                  {"event": "$set", "distinct_id": "ph1", "$set": {"email": "kim@hog.io", "title": "Head of Data"}, "uuid": "e1", "timestamp": "2026-11-18T10:00:00+00:00", "properties": {}},
                  {"event": "$groupidentify", "distinct_id": "ph1", "uuid": "e2", "timestamp": "2026-11-18T10:00:00+00:00",
                   "properties": {"$group_type": "company", "$group_key": "hog", "$group_set": {"name": "Hog", "domain": "hog.io"}}},
                  {"event": "Project Created", "distinct_id": "anon-7", "uuid": "e3", "timestamp": "2026-11-19T10:00:00+00:00",
                   "properties": {"$groups": {"company": "hog"}}},
                  {"event": "$create_alias", "distinct_id": "anon-7", "uuid": "e4", "timestamp": "2026-11-19T10:00:00+00:00",
                   "properties": {"distinct_id": "anon-7", "alias": "ph1"}},
                  {"event": "$pageview", "distinct_id": "ph1", "uuid": "e5", "properties": {"$current_url": "https://app/pricing", "$groups": {"company": "hog"}}},
                  {"event": "$groupidentify", "distinct_id": "ph1", "uuid": "e6", "properties": {"$group_type": "project", "$group_key": "p1"}}
                ]}
                """
            let response = try await client.ingest("/batch", body, key: nil)
            XCTAssertEqual(response.status, .ok, response.text)
            XCTAssertEqual(response.json["accepted"], 5)
            XCTAssertEqual(response.json["rejected"]?.arrayValue?.first?["index"], 5)
            XCTAssertEqual(response.json["rejected"]?.arrayValue?.first?["code"], "wrong_type")

            let account = try await client.api("/api/accounts/hog")
            XCTAssertEqual(account.json["score"]?["name"], "Hog")
            XCTAssertEqual(account.json["score"]?["domain"], "hog.io")
            XCTAssertEqual(account.json["members"]?.arrayValue?.first?["user_id"], "ph1")
            let events = account.json["recent_events"]?.arrayValue ?? []
            XCTAssertEqual(Set(events.compactMap { $0["type"]?.stringValue }), ["group", "track", "page", "alias", "identify"])

            let capture = try await client.ingest("/capture", #"{"api_key":"\#(ServerHarness.writeKey)","event":"Report Created","distinct_id":"ph1","properties":{"$groups":{"company":"hog"}}}"#, key: nil)
            XCTAssertEqual(capture.status, .ok, capture.text)
        }
    }
}
