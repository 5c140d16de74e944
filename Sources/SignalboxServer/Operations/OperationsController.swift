import Hummingbird
import SignalboxCore
import SignalboxStore

/// `/health` (the process answers), `/ready` (the store answers), `/metrics` (Prometheus) and
/// `/openapi.json`. None of them needs a key, so load balancers and scrapers can reach them.
struct OperationsController: Sendable {
    let store: any SignalStore
    let metrics: ServerMetrics
    let openAPI: @Sendable () -> String

    static let routeList = [
        route("/health", "Liveness: the server process answers"), route("/ready", "Readiness: the store can be queried"),
        route("/metrics", "Prometheus metrics"), route("/openapi.json", "This API's OpenAPI 3.1 document"),
    ]

    func routes() -> [(ServerRoute, @Sendable (Request, BasicRequestContext) async throws -> Response)] {
        let routes = OperationsController.routeList
        return [
            (routes[0], { _, _ in json(["status": "ok"]) }),
            (routes[1], { _, _ in
                guard store.isReachable() else {
                    throw APIError(.serviceUnavailable, code: "store_unreachable", "the store does not answer")
                }
                return json(["status": "ready"])
            }),
            (routes[2], { _, _ in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
            }),
            (routes[3], { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: openAPI())))
            }),
        ]
    }

    private static func route(_ path: String, _ summary: String) -> ServerRoute {
        ServerRoute(method: .get, path: path, summary: summary, access: .open, tag: "operations")
    }
}

private func json(_ fields: [String: JSONValue]) -> Response {
    Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(fields).serialized())))
}
