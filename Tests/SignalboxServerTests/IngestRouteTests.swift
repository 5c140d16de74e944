import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SignalboxCore
import SignalboxServer
import XCTest

final class IngestRouteTests: XCTestCase {
    func testBatchIsCommittedAndAnsweredWithExactly200() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let response = try await client.ingest(Wire.batch([Wire.group(id: "g1"), Wire.track("Project Created", id: "t1")]))
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.json["success"], true)
            XCTAssertEqual(response.json["accepted"], 2)
        }
        // The 200 came after the commit: the events are in the store.
        XCTAssertEqual(try server.store.statistics().events, 2)
    }

    func testEveryWriteKeyFormIsAccepted() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let colon = try await client.ingest(Wire.batch([Wire.track("A", id: "1")]))
            XCTAssertEqual(colon.status, .ok)
            let noColon = try await client.ingest(
                Wire.batch([Wire.track("A", id: "2")]), key: nil,
                headers: [.authorization: "Basic " + Data(ServerHarness.writeKey.utf8).base64EncodedString()]
            )
            XCTAssertEqual(noColon.status, .ok)
            let bodyKey = try await client.ingest(#"{"writeKey":"\#(ServerHarness.writeKey)","batch":[\#(Wire.track("A", id: "3"))]}"#, key: nil)
            XCTAssertEqual(bodyKey.status, .ok)
            let postHog = try await client.ingest("/batch", #"{"api_key":"\#(ServerHarness.otherKey)","batch":[{"event":"A","distinct_id":"u1","uuid":"p1"}]}"#, key: nil)
            XCTAssertEqual(postHog.status, .ok)
        }
        XCTAssertEqual(try server.store.statistics().events, 4)
    }

    func testMissingUnknownAndMalformedKeysAre401() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let body = Wire.batch([Wire.track("A", id: "1")])
            let missing = try await client.ingest(body, key: nil)
            XCTAssertEqual(missing.status, .unauthorized)
            XCTAssertEqual(missing.json["code"], "missing_write_key")
            let unknown = try await client.ingest(body, key: "nope")
            XCTAssertEqual(unknown.status, .unauthorized)
            XCTAssertEqual(unknown.json["code"], "unknown_write_key")
            let bearer = try await client.ingest(body, key: nil, headers: [.authorization: "Bearer \(ServerHarness.writeKey)"])
            XCTAssertEqual(bearer.status, .unauthorized)
            let garbled = try await client.ingest(body, key: nil, headers: [.authorization: "Basic !!!"])
            XCTAssertEqual(garbled.status, .unauthorized)
            XCTAssertEqual(garbled.json["code"], "invalid_authorization")
        }
        XCTAssertEqual(try server.store.statistics().events, 0)
    }

    func testRetriedBatchDoesNotDoubleCountAndDedupeIsPerSource() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let batch = Wire.batch([Wire.group(id: "g1"), Wire.track("Project Created", id: "t1")])
            _ = try await client.ingest(batch)
            let retry = try await client.ingest(batch)
            XCTAssertEqual(retry.status, .ok)
            XCTAssertEqual(retry.json["accepted"], 0)
            XCTAssertEqual(retry.json["duplicates"], 2)
            let otherSource = try await client.ingest(batch, key: ServerHarness.otherKey)
            XCTAssertEqual(otherSource.json["accepted"], 2)
        }
        XCTAssertEqual(try server.store.statistics().events, 4)
    }

    func testBatchWithSomeInvalidMessagesKeepsTheValidOnesAndReportsTheRest() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let response = try await client.ingest(Wire.batch([
                Wire.track("Project Created", id: "ok1"),
                #"{"type":"track","userId":"u1","messageId":"bad1"}"#,
                #"{"type":"track","event":"X","messageId":"bad2"}"#,
                #"{"type":"track","event":"X","userId":"u1","messageId":"bad3","timestamp":"not-a-time"}"#,
                #"{"type":"launch","userId":"u1","messageId":"bad4"}"#,
                "7",
                Wire.track("Report Created", id: "ok2"),
            ]))
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.json["accepted"], 2)
            let rejected = response.json["rejected"]?.arrayValue ?? []
            XCTAssertEqual(rejected.map { $0["index"] }, [1, 2, 3, 4, 5])
            XCTAssertEqual(rejected.map { $0["code"] }, ["missing_event_name", "missing_identity", "invalid_timestamp", "unknown_type", "not_an_object"])
            XCTAssertEqual(rejected[0]["message"], "$.batch[1].event is required on a track call")

            let stored = try await client.api("/api/rejections")
            let rejections = stored.json["rejections"]?.arrayValue ?? []
            XCTAssertEqual(rejections.count, 5)
            XCTAssertEqual(rejections.last?["payload"], #"{"messageId":"bad1","type":"track","userId":"u1"}"#)
            XCTAssertTrue(rejections.last?["location"]?.stringValue?.hasSuffix("message 1") ?? false)

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertTrue(metrics.text.contains(#"signalbox_events_rejected_total{code="missing_event_name"}"#), metrics.text)
        }
        XCTAssertEqual(try server.store.statistics().events, 2)
    }

    func testBadRequestsGet400WithCodeAndMessage() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let cases: [(String, String, String)] = [
                ("/v1/batch", "{not json", "invalid_json"),
                ("/v1/batch", #"{"batch":"nope"}"#, "not_an_object"),
                ("/v1/batch", #"{"type":"track","event":"A","userId":"u1"}"#, "missing_batch"),
                ("/v1/batch", #"{"batch":[{"type":"track","userId":"u1"}]}"#, "missing_event_name"),
                ("/v1/track", #"{"userId":"u1"}"#, "missing_event_name"),
                ("/v1/track", #"{"event":"A"}"#, "missing_identity"),
                ("/v1/track", #"{"event":"A","userId":"u1","type":"identify"}"#, "wrong_type"),
                ("/v1/track", #"["event"]"#, "not_an_object"),
                ("/v1/group", #"{"userId":"u1"}"#, "missing_group_id"),
                ("/v1/alias", #"{"userId":"u1"}"#, "missing_previous_id"),
                ("/v1/identify", #"{"userId":"u1","timestamp":"yesterday"}"#, "invalid_timestamp"),
                ("/batch", #"{"api_key":"\#(ServerHarness.writeKey)","batch":[{"event":"A"}]}"#, "missing_identity"),
            ]
            for (path, body, code) in cases {
                let response = try await client.ingest(path, body)
                XCTAssertEqual(response.status, .badRequest, "\(path) \(body)")
                XCTAssertEqual(response.json["code"]?.stringValue, code, "\(path) \(body): \(response.text)")
                XCTAssertFalse(response.json["message"]?.stringValue?.isEmpty ?? true)
            }
        }
        XCTAssertEqual(try server.store.statistics().events, 0)
    }

    func testSingleCallsTakeTheirTypeFromThePath() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            for (path, body) in [
                ("/v1/identify", #"{"userId":"u1","anonymousId":"a1","traits":{"email":"jo@acme.com"}}"#),
                ("/v1/group", #"{"userId":"u1","groupId":"ws1","traits":{"name":"Acme"}}"#),
                ("/v1/track", #"{"anonymousId":"a1","event":"Project Created","properties":{"n":1}}"#),
                ("/v1/page", #"{"userId":"u1","name":"Pricing","context":{"groupId":"ws1"}}"#),
                ("/v1/screen", #"{"userId":"u1","name":"Home"}"#),
                ("/v1/alias", #"{"userId":"u1","previousId":"a2"}"#),
            ] {
                let response = try await client.ingest(path, body)
                XCTAssertEqual(response.status, .ok, "\(path): \(response.text)")
            }
            let account = try await client.api("/api/accounts/ws1")
            XCTAssertEqual(account.status, .ok)
            XCTAssertEqual(account.json["score"]?["name"], "Acme")
            // The anonymous project was resolved to u1 through identify and attributed to ws1.
            XCTAssertEqual(account.json["recent_events"]?.arrayValue?.contains { $0["name"] == "Project Created" }, true)
        }
        XCTAssertEqual(try server.store.statistics().events, 6)
    }

    func testOversizedMessagesAndBodiesAre413AndOthersAreKept() async throws {
        let server = try ServerHarness(maxRequestBytes: 256 * 1024)
        let big = String(repeating: "x", count: 40 * 1024)
        try await server.test { client in
            let single = try await client.ingest("/v1/track", #"{"userId":"u1","event":"A","properties":{"blob":"\#(big)"}}"#)
            XCTAssertEqual(single.status, .contentTooLarge)
            XCTAssertEqual(single.json["code"], "too_large")
            let mixed = try await client.ingest(Wire.batch([Wire.track("A", id: "small"), Wire.track("A", id: "huge", properties: #"{"blob":"\#(big)"}"#)]))
            XCTAssertEqual(mixed.status, .ok)
            XCTAssertEqual(mixed.json["accepted"], 1)
            XCTAssertEqual(mixed.json["rejected"]?.arrayValue?.first?["code"], "too_large")
            let messages = (0..<10).map { Wire.track("A", id: "b\($0)", properties: #"{"blob":"\#(String(repeating: "y", count: 30 * 1024))"}"#) }
            let tooBig = try await client.ingest(Wire.batch(messages))
            XCTAssertEqual(tooBig.status, .contentTooLarge)
        }
        XCTAssertEqual(try server.store.statistics().events, 1)
    }

    func testGzipBodiesAreInflatedAndCorruptOrBombsAreRefused() async throws {
        let server = try ServerHarness(maxRequestBytes: 64 * 1024)
        try await server.test { client in
            let gzip: HTTPFields = [.contentEncoding: "gzip"]
            let good = try await client.execute(
                uri: "/v1/batch", method: .post,
                headers: gzip.merging([.authorization: "Basic " + Data("\(ServerHarness.writeKey):".utf8).base64EncodedString()]),
                body: ByteBuffer(bytes: try Gzip.compress(Array(Wire.batch([Wire.track("A", id: "z1")]).utf8)))
            )
            XCTAssertEqual(good.status, .ok, good.text)
            let corrupt = try await client.ingest(Wire.batch([Wire.track("A", id: "z2")]), headers: gzip)
            XCTAssertEqual(corrupt.status, .badRequest)
            XCTAssertEqual(corrupt.json["code"], "invalid_gzip")
            // 10 MB of spaces compress to about 10 KB: small on the wire, refused once inflated past the limit.
            let bomb = try Gzip.compress([UInt8](repeating: 0x20, count: 10 * 1024 * 1024))
            XCTAssertLessThan(bomb.count, 64 * 1024)
            let exploded = try await client.execute(
                uri: "/v1/batch", method: .post,
                headers: gzip.merging([.authorization: "Basic " + Data("\(ServerHarness.writeKey):".utf8).base64EncodedString()]),
                body: ByteBuffer(bytes: bomb)
            )
            XCTAssertEqual(exploded.status, .contentTooLarge)
            XCTAssertEqual(exploded.json["code"], "too_large")
        }
        XCTAssertEqual(try server.store.statistics().events, 1)
    }

    func testBrowserPreflightIsAnsweredAndAnswersCarryCORSHeaders() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let preflight = try await client.execute(
                uri: "/v1/batch", method: .options,
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "authorization, content-type"]
            )
            XCTAssertEqual(preflight.status.code / 100, 2)
            XCTAssertEqual(preflight.headers[.accessControlAllowOrigin], "https://app.example.com")
            XCTAssertTrue(preflight.headers[.accessControlAllowHeaders]?.lowercased().contains("authorization") ?? false)
            let sent = try await client.ingest(Wire.batch([Wire.track("A", id: "1")]), headers: [.origin: "https://app.example.com"])
            XCTAssertEqual(sent.status, .ok)
            XCTAssertEqual(sent.headers[.accessControlAllowOrigin], "https://app.example.com")
        }
    }

    func testWrongMethodIs405AndUnknownPathIs404() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let wrongMethod = try await client.execute(uri: "/v1/batch", method: .get)
            XCTAssertEqual(wrongMethod.status, .methodNotAllowed)
            XCTAssertEqual(wrongMethod.headers[.allow], "POST")
            XCTAssertEqual(wrongMethod.json["code"], "method_not_allowed")
            let unknown = try await client.ingest("/v2/batch", "{}")
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertEqual(unknown.json["code"], "not_found")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
