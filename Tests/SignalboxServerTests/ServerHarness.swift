import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SignalboxCore
import SignalboxPipeline
import SignalboxServer
import SignalboxStore
import Synchronization
import XCTest

/// A server over a real SQLite store in a temporary directory, with a clock the test moves.
final class ServerHarness: Sendable {
    static let writeKey = "wk_test"
    static let otherKey = "wk_mobile"
    static let adminToken = "admin-secret"
    /// 2026-11-20T12:00:00Z.
    static let start = Timestamp.parse("2026-11-20T12:00:00Z")!

    let directory: URL
    let store: any SignalStore
    let sqlite: SQLiteStore
    let live: LiveIngest
    let clock = TestClock(ServerHarness.start)
    let options: SignalboxApplication.Options
    let metrics = ServerMetrics()

    init(store wrap: (SQLiteStore) -> any SignalStore = { $0 }, maxQueuedEvents: Int = 100_000, maxRequestBytes: Int = 4 * 1024 * 1024) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        sqlite = try SQLiteStore(path: directory.appendingPathComponent("signalbox.sqlite").path)
        store = wrap(sqlite)
        let model = CompiledModel(try Preset.weighted.config())
        let clock = clock
        live = try LiveIngest(store: store, engine: try store.loadEngine(model: model), clock: clock.read, maxQueuedEvents: maxQueuedEvents, onScored: metrics.scored)
        var settings = ServerSettings()
        settings.maxRequestBytes = maxRequestBytes
        var options = SignalboxApplication.Options(
            settings: settings, writeKeys: WriteKeys(sources: [ServerHarness.writeKey: "web", ServerHarness.otherKey: "mobile"]),
            adminToken: ServerHarness.adminToken
        )
        options.reevaluateEvery = nil
        options.slaCheckEvery = nil
        self.options = options
    }

    deinit {
        live.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func advance(days: Double) {
        clock.advance(seconds: days * 86_400)
    }

    /// Runs `body` against the application through Hummingbird's router test client.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = SignalboxApplication(store: store, live: live, options: options, metrics: metrics, clock: clock.read).make()
        try await app.test(.router, body)
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let time: Mutex<Date>

    init(_ start: Date) {
        time = Mutex(start)
    }

    @Sendable func read() -> Date { time.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Request helpers.
extension TestClientProtocol {
    /// POSTs `body` to `/v1/batch` with the write key as Basic auth (`key:`).
    func ingest(_ body: String, key: String? = ServerHarness.writeKey, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await ingest("/v1/batch", body, key: key, headers: headers)
    }

    /// POSTs `body` to `path` with the write key as Basic auth (`key:`).
    func ingest(_ path: String, _ body: String, key: String? = ServerHarness.writeKey, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/json"
        if let key { headers[.authorization] = "Basic " + Data("\(key):".utf8).base64EncodedString() }
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Calls an `/api` route with the admin token.
    func api(_ path: String, method: HTTPRequest.Method = .get, body: String? = nil, token: String? = ServerHarness.adminToken) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as JSON.
    var json: JSONValue {
        let bytes = Array(body.readableBytesView)
        return (try? bytes.withUnsafeBytes { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }) ?? .null
    }

    var text: String { String(buffer: body) }
}

/// Segment messages for tests, in the wire format the clients send.
enum Wire {
    static func track(_ event: String, user: String = "u1", workspace: String? = "ws1", id: String, at time: String = "2026-11-20T11:00:00Z", properties: String = "{}") -> String {
        let context = workspace.map { #","context":{"groupId":"\#($0)"}"# } ?? ""
        return #"{"type":"track","event":"\#(event)","userId":"\#(user)","messageId":"\#(id)","timestamp":"\#(time)","properties":\#(properties)\#(context)}"#
    }

    static func group(_ workspace: String = "ws1", user: String = "u1", domain: String = "acme.com", name: String = "Acme", id: String) -> String {
        #"{"type":"group","groupId":"\#(workspace)","userId":"\#(user)","messageId":"\#(id)","timestamp":"2026-11-01T10:00:00Z","traits":{"name":"\#(name)","domain":"\#(domain)"}}"#
    }

    static func identify(_ user: String = "u1", email: String = "jo@acme.com", title: String = "VP Engineering", id: String) -> String {
        #"{"type":"identify","userId":"\#(user)","messageId":"\#(id)","timestamp":"2026-11-01T10:00:00Z","traits":{"email":"\#(email)","title":"\#(title)"}}"#
    }

    static func batch(_ messages: [String]) -> String {
        #"{"batch":[\#(messages.joined(separator: ","))],"sentAt":"2026-11-20T11:00:00Z"}"#
    }
}
