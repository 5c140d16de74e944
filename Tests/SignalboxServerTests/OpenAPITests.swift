import Foundation
import HummingbirdTesting
import SignalboxCore
import XCTest

final class OpenAPITests: XCTestCase {
    /// Every documented operation is routed (a request to it is not 404/405), and paths outside
    /// the document are not: the document and the router agree.
    func testDocumentMatchesTheRoutes() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            _ = try await client.ingest(Wire.batch([Wire.group(id: "g1")]))
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(response.status, .ok)
            let document = response.json
            XCTAssertEqual(document["openapi"], "3.1.0")
            let paths = try XCTUnwrap(document["paths"]?.objectValue)
            let expected: Set<String> = [
                "/v1/batch", "/v1/track", "/v1/identify", "/v1/group", "/v1/page", "/v1/screen", "/v1/alias", "/batch", "/capture",
                "/api/accounts", "/api/accounts/{id}", "/api/accounts/{id}/explain", "/api/transitions", "/api/firmographics",
                "/api/rejections", "/api/handoffs", "/api/handoffs/{id}", "/api/handoffs/{id}/disposition", "/api/outbox",
                "/api/outbox/retry", "/api/outcomes", "/health", "/ready", "/metrics", "/openapi.json",
            ]
            XCTAssertEqual(Set(paths.keys), expected)
            for (path, operations) in paths {
                for (method, operation) in operations.objectValue ?? [:] {
                    let uri = path.replacingOccurrences(of: "{id}", with: "ws1")
                    let answer = try await client.execute(
                        uri: uri, method: .init(rawValue: method.uppercased())!,
                        headers: operation["security"]?.arrayValue?.first?["adminToken"] != nil ? [.authorization: "Bearer \(ServerHarness.adminToken)"] : [:]
                    )
                    XCTAssertNotEqual(answer.status, .notFound, "\(method) \(path) is documented but not routed: \(answer.text)")
                    XCTAssertNotEqual(answer.status, .methodNotAllowed, "\(method) \(path)")
                    for parameter in path.split(separator: "/").filter({ $0.hasPrefix("{") }) {
                        let name = parameter.dropFirst().dropLast()
                        XCTAssertEqual(operation["parameters"]?.arrayValue?.contains { $0["name"]?.stringValue == String(name) }, true, "\(path) documents {\(name)}")
                    }
                }
            }
            for undocumented in ["/v1/batches", "/api/account", "/api", "/v1"] {
                let answer = try await client.execute(uri: undocumented, method: .post)
                XCTAssertEqual(answer.status, .notFound, undocumented)
            }
        }
    }

    func testHealthReadyAndMetrics() async throws {
        let server = try ServerHarness()
        try await server.test { client in
            let health = try await client.execute(uri: "/health", method: .get)
            XCTAssertEqual(health.json["status"], "ok")
            let ready = try await client.execute(uri: "/ready", method: .get)
            XCTAssertEqual(ready.status, .ok)
            _ = try await client.ingest(Wire.batch([Wire.group(id: "g1"), Wire.track("Project Created", id: "t1")]))
            _ = try await client.ingest(Wire.batch([Wire.track("Project Created", id: "t1")]))
            // Scoring follows the acknowledgement; a read on the writer waits for it.
            _ = try await server.live.read { _, _ in 0 }
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertEqual(metrics.headers[.contentType], "text/plain; version=0.0.4; charset=utf-8")
            let text = metrics.text
            XCTAssertTrue(text.contains(#"signalbox_events_accepted_total{source="web"} 2"#), text)
            XCTAssertTrue(text.contains(#"signalbox_events_duplicated_total{source="web"} 1"#), text)
            XCTAssertTrue(text.contains(#"signalbox_ingest_requests_total{status="200"} 2"#), text)
            XCTAssertTrue(text.contains("signalbox_batch_commit_seconds_count 2"), text)
            XCTAssertTrue(text.contains("signalbox_scoring_lag_seconds_bucket"), text)
        }
    }
}
