import Foundation
import XCTest

/// `signalbox serve` fed by the real PyPI clients (segment-analytics-python, rudder-sdk-python
/// with gzip, posthog), each sending a batch twice as a retry does. Every event must land exactly
/// once, and the served scores must equal `signalbox import` of the same events.
///
/// Needs `SIGNALBOX_CLIENTS_PYTHON`: a Python with the three clients installed (`.ci/run` makes one).
final class LiveClientsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testRealClientsLandEveryEventOnceAndScoreLikeImport() throws {
        guard let python = ProcessInfo.processInfo.environment["SIGNALBOX_CLIENTS_PYTHON"] else {
            throw XCTSkip("set SIGNALBOX_CLIENTS_PYTHON to a Python with segment-analytics-python, rudder-sdk-python and posthog")
        }
        XCTAssertEqual(try run(binary, ["init", "--preset", "weighted"]).status, 0)
        let server = try Server(binary: binary, directory: directory)
        defer { server.stop() }
        let host = "http://127.0.0.1:\(try server.port())"

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/live_clients.py").path
        let clients = try run(URL(fileURLWithPath: python), [script, host, Server.writeKey, "expected.ndjson"])
        XCTAssertEqual(clients.status, 0, clients.errors)
        let counts = try JSONSerialization.jsonObject(with: Data(clients.output.utf8)) as? [String: Int] ?? [:]
        let sent = try XCTUnwrap(counts["sent"]), unique = try XCTUnwrap(counts["unique"])
        XCTAssertGreaterThan(sent, unique, "the stream includes retried batches")

        let scrape = try run(URL(fileURLWithPath: python), ["-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())", "\(host)/metrics"])
        let metrics = scrape.output
        XCTAssertEqual(metric("signalbox_events_accepted_total{source=\"default\"}", in: metrics), Double(unique), metrics)
        XCTAssertEqual(metric("signalbox_events_duplicated_total{source=\"default\"}", in: metrics), Double(sent - unique), metrics)
        XCTAssertNil(metric("signalbox_ingest_requests_total{status=\"400\"}", in: metrics))
        XCTAssertEqual(server.stop(), 0, "SIGTERM drains and exits cleanly")

        let imported = try run(binary, ["import", "expected.ndjson", "--db", "imported.sqlite"])
        XCTAssertEqual(imported.status, 0, imported.errors)
        XCTAssertTrue(imported.output.contains("Imported    \(unique)"), imported.output)
        let asOf = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
        let served = try scores(db: "served.sqlite", asOf: asOf)
        let replayed = try scores(db: "imported.sqlite", asOf: asOf)
        XCTAssertEqual(served.count, 3)
        XCTAssertEqual(Set(served.keys), Set(replayed.keys))
        for (account, score) in served {
            let other = try XCTUnwrap(replayed[account])
            XCTAssertEqual(score.stage, other.stage, account)
            // Live events are shifted by the client's clock skew correction (milliseconds): equal to the display precision.
            XCTAssertEqual(score.total, other.total, accuracy: 0.11, account)
        }
        XCTAssertTrue(served.values.contains { $0.stage != "not_pql" }, "the stream makes at least one account a PQL")
    }

    // MARK: Helpers

    private var binary: URL {
        let bundle = Bundle(for: Self.self).bundleURL
        let candidates = [bundle.appendingPathComponent("signalbox"), bundle.deletingLastPathComponent().appendingPathComponent("signalbox")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    private func scores(db: String, asOf: String) throws -> [String: (stage: String, total: Double)] {
        let result = try run(binary, ["score", "--db", db, "--as-of", asOf, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.errors)
        let rows = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]] ?? []
        var scores: [String: (String, Double)] = [:]
        for row in rows {
            scores[row["account_id"] as? String ?? ""] = (row["stage"] as? String ?? "", row["score"] as? Double ?? -1)
        }
        return scores
    }

    private func metric(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    private struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    private func run(_ executable: URL, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorData = Thread.detachedRead(errors.fileHandleForReading)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: errorData(), as: UTF8.self))
    }

    /// `signalbox serve` on a free port, with its log in the test directory.
    private final class Server {
        static let writeKey = "live-test-key"
        let process = Process()
        let log: URL

        init(binary: URL, directory: URL) throws {
            log = directory.appendingPathComponent("serve.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = binary
            process.arguments = ["serve", "--port", "0", "--db", "served.sqlite"]
            process.currentDirectoryURL = directory
            var environment = ProcessInfo.processInfo.environment
            environment["SIGNALBOX_WRITE_KEY"] = Server.writeKey
            process.environment = environment
            let handle = try FileHandle(forWritingTo: log)
            process.standardError = handle
            process.standardOutput = handle
            try process.run()
        }

        /// The port from the server's "listening on" line, waiting up to 30 s for it.
        func port() throws -> Int {
            for _ in 0..<300 {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
                   let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                    return port
                }
                guard process.isRunning else { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw XCTSkip("signalbox serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }

        @discardableResult
        func stop() -> Int32 {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}

extension Thread {
    /// Reads `handle` to its end on another thread, so a full stderr pipe cannot block the child.
    static func detachedRead(_ handle: FileHandle) -> () -> Data {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var data = Data()
        Thread.detachNewThread {
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        return {
            done.wait()
            return data
        }
    }
}
