import Foundation
import HummingbirdTesting
import SignalboxCore
import XCTest

final class BackpressureTests: XCTestCase {
    func testSaturatedPipelineAnswers429WithRetryAfter() async throws {
        var faulty: FaultyStore!
        let server = try ServerHarness(store: { faulty = FaultyStore($0); return faulty }, maxQueuedEvents: 3)
        let store = faulty!
        try await server.test { client in
            store.holding.withLock { $0 = true }
            // The first request is being committed (held); the second waits; the third finds the queue full.
            async let first = client.ingest(Wire.batch([Wire.track("A", id: "1"), Wire.track("A", id: "2")]))
            while store.appendsStarted.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            async let second = client.ingest(Wire.batch([Wire.track("A", id: "3")]))
            try await Task.sleep(for: .milliseconds(100))
            let third = try await client.ingest(Wire.batch([Wire.track("A", id: "4"), Wire.track("A", id: "5"), Wire.track("A", id: "6")]))
            XCTAssertEqual(third.status, .tooManyRequests)
            XCTAssertEqual(third.headers[.retryAfter], "1")
            XCTAssertEqual(third.json["code"], "saturated")
            store.holding.withLock { $0 = false }
            let (a, b) = try await (first, second)
            XCTAssertEqual(a.status, .ok)
            XCTAssertEqual(b.status, .ok)
        }
        XCTAssertEqual(try server.store.statistics().events, 3)
    }

    func testStorageFailureIs503AndKeepsWhatWasAccepted() async throws {
        var faulty: FaultyStore!
        let server = try ServerHarness(store: { faulty = FaultyStore($0); return faulty })
        let store = faulty!
        try await server.test { client in
            let accepted = try await client.ingest(Wire.batch([Wire.group(id: "g1"), Wire.track("Project Created", id: "t1")]))
            XCTAssertEqual(accepted.status, .ok)
            store.failing.withLock { $0 = true }
            let failed = try await client.ingest(Wire.batch([Wire.track("Project Created", id: "t2")]))
            XCTAssertEqual(failed.status, .serviceUnavailable)
            XCTAssertEqual(failed.json["code"], "storage_unavailable")
            XCTAssertNotNil(failed.headers[.retryAfter])
            let notReady = try await client.execute(uri: "/ready", method: .get)
            XCTAssertEqual(notReady.status, .serviceUnavailable)
            store.failing.withLock { $0 = false }
            // The client retries: the batch lands once, on top of what was accepted before.
            let retried = try await client.ingest(Wire.batch([Wire.track("Project Created", id: "t2")]))
            XCTAssertEqual(retried.json["accepted"], 1)
            let account = try await client.api("/api/accounts/ws1/explain")
            let projects = account.json["contributions"]?.arrayValue?.first { $0["signal"] == "projects_created" }
            XCTAssertEqual(projects?["raw_count"], 2)
        }
        XCTAssertEqual(try server.store.statistics().events, 3)
    }
}
