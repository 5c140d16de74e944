import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import Synchronization

/// What every local stand-in for a third-party API shares: a log of the requests it accepted, the
/// contract violations it refused, and answers scripted to replace its normal one (429, 5xx, 4xx).
final class StandIn: Sendable {
    /// One answer given instead of the normal one.
    struct Scripted: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields = [:]
        var body: String = ""
        /// Only a request whose path starts with this takes the answer; nil for the next request.
        var pathPrefix: String? = nil
    }

    /// An accepted request.
    struct Received: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var headers: HTTPFields
        var json: JSONObject
        var at: Date
    }

    private struct State {
        var received: [Received] = []
        var violations: [String] = []
        var script: [Scripted] = []
        var down = false
        var attempts = 0
    }

    private let state = Mutex(State())

    var received: [Received] { state.withLock { $0.received } }
    var violations: [String] { state.withLock { $0.violations } }
    /// Every request that reached the stand-in, accepted or not.
    var attempts: Int { state.withLock { $0.attempts } }

    /// The next requests get these answers, in order.
    func script(_ answers: [Scripted]) { state.withLock { $0.script += answers } }

    /// While down, every request gets 503.
    func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    /// Runs the contract check on a request: a scripted or outage answer first, then `validate`
    /// (which returns the violations), then `accept` for the normal answer.
    func handle(
        _ request: Request, validate: (JSONObject, HTTPFields) -> [String], accept: (JSONObject) -> Response
    ) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 22)
        if let answer = scriptedOrOutage(path: request.uri.path) { return answer }
        guard let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))).map(JSONObject.init) else {
            state.withLock { $0.violations.append("\(request.uri.path): body is not JSON") }
            return StandIn.respond(.badRequest, "body is not JSON")
        }
        return check(request, json, problems: validate(json, request.headers)) ?? accept(json)
    }

    /// As ``handle(_:validate:accept:)`` for a request without a body (a GET): `validate` reads the
    /// headers and the query items, which are logged as the request's JSON.
    func handleRead(
        _ request: Request, validate: ([String: String], HTTPFields) -> [String], accept: ([String: String]) -> Response
    ) async throws -> Response {
        if let answer = scriptedOrOutage(path: request.uri.path) { return answer }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        return check(request, JSONObject(query), problems: validate(query, request.headers)) ?? accept(query)
    }

    /// The scripted answer or the outage answer for a request to `path`, if any; counts the attempt.
    private func scriptedOrOutage(path: String) -> Response? {
        let (scripted, down) = state.withLock { state -> (Scripted?, Bool) in
            state.attempts += 1
            if state.down { return (nil, true) }
            guard let first = state.script.first, path.hasPrefix(first.pathPrefix ?? "") else { return (nil, false) }
            state.script.removeFirst()
            return (first, false)
        }
        if down { return Response(status: .serviceUnavailable) }
        return scripted.map { StandIn.respond($0.status, headers: $0.headers, $0.body) }
    }

    /// Logs the request as accepted when there are no `problems`; else logs them and answers 400.
    private func check(_ request: Request, _ json: JSONObject, problems: [String]) -> Response? {
        if !problems.isEmpty {
            state.withLock { $0.violations += problems.map { "\(request.uri.path): \($0)" } }
            return StandIn.respond(.badRequest, problems.joined(separator: "; "))
        }
        state.withLock { $0.received.append(Received(method: request.method, path: request.uri.path, headers: request.headers, json: json, at: Date())) }
        return nil
    }

    static func respond(_ status: HTTPResponse.Status, headers: HTTPFields = [:], _ body: String) -> Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ status: HTTPResponse.Status, _ value: Any, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let data = try! JSONSerialization.data(withJSONObject: value)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Serves `router` on a free loopback port for the length of `body`, passing its base URL.
    static func serve(_ router: Router<BasicRequestContext>, _ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }
}

/// A JSON value read by key path, for contract checks.
struct JSONObject: @unchecked Sendable {
    let value: Any

    init(_ value: Any) {
        self.value = value
    }

    subscript(key: String) -> JSONObject? { (value as? [String: Any])?[key].map(JSONObject.init) }
    var string: String? { value as? String }
    var array: [JSONObject]? { (value as? [Any])?.map(JSONObject.init) }
    var object: [String: Any]? { value as? [String: Any] }
    var number: Double? { (value as? NSNumber)?.doubleValue }
}
