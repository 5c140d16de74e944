import Foundation
import Hummingbird
import SignalboxCore
import SignalboxStore

/// Handoffs under `/api`: the routing decisions feed, one handoff with its deliveries, reps'
/// dispositions (accepted, rejected with a reason, recycled; first touch), and the outbox.
struct HandoffController: Sendable {
    let store: any SignalStore
    let clock: @Sendable () -> Date

    func routes() -> [(ServerRoute, @Sendable (Request, BasicRequestContext) async throws -> Response)] {
        [
            (route(.get, "/api/handoffs", "Routing decisions, oldest first; pass the last id seen as after", query: ["after", "account", "limit"]), feed),
            (route(.get, "/api/handoffs/:id", "One handoff: decision, brief, deliveries and disposition"), handoff),
            (route(.post, "/api/handoffs/:id/disposition", "Record a rep's verdict on a handoff (a label for training)"), dispose),
            (route(.get, "/api/outbox", "Outbox messages, newest first", query: ["status", "limit"]), outbox),
            (route(.post, "/api/outbox/retry", "Put dead letters back in line: the ids given, or all"), retry),
        ]
    }

    private func route(_ method: HTTPRequest.Method, _ path: String, _ summary: String, query: [String] = []) -> ServerRoute {
        ServerRoute(method: method, path: path, summary: summary, access: .admin, tag: "handoffs", query: query)
    }

    @Sendable func feed(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let after = try QueryNumber.read(query["after"], name: "after", default: 0, range: 0...Int.max)
        let limit = try QueryNumber.read(query["limit"], name: "limit", default: 100, range: 1...1_000)
        let recorded = try store.routeDecisions(after: Int64(after), account: query["account"].map(String.init), limit: limit)
        return try JSONResponse.make(HandoffFeed(handoffs: recorded.map { HandoffItem(id: $0.id, decision: $0.decision) }, nextAfter: recorded.last?.id ?? Int64(after)))
    }

    @Sendable func handoff(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try handoffId(context)
        guard let recorded = try store.routeDecision(id: id) else { throw APIError.notFound("no handoff \(id)") }
        let deliveries = try store.outboxMessages(handoff: id).map { DeliveryItem($0) }
        return try JSONResponse.make(HandoffDetail(id: id, decision: recorded.decision, deliveries: deliveries, disposition: try store.disposition(handoff: id)))
    }

    @Sendable func dispose(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try handoffId(context)
        var request = request
        let body = try await RequestBodyReader(limit: 64 * 1024).read(&request, gzipped: request.headers[.contentEncoding] == "gzip")
        let upload: DispositionUpload
        do {
            upload = try JSONDecoder.api.decode(DispositionUpload.self, from: Data(body))
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_disposition", DecodingErrorText.describe(error))
        } catch {
            throw APIError.badRequest("invalid_json", "the body is not JSON: \(error)")
        }
        if upload.disposition == .rejected, upload.reason == nil {
            let reasons = Disposition.Reason.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("invalid_disposition", "reason: a rejection needs a reason (\(reasons))")
        }
        let disposition = Disposition(
            handoffId: id, verdict: upload.disposition, reason: upload.reason, note: upload.note, firstTouchAt: upload.firstTouchAt,
            recordedAt: clock(), by: upload.by
        )
        guard try store.recordDisposition(disposition) else { throw APIError.notFound("no handoff \(id)") }
        return try JSONResponse.make(disposition)
    }

    @Sendable func outbox(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let status = try query["status"].map { name throws(APIError) in
            guard let status = OutboxMessage.Status(rawValue: String(name)) else {
                throw .badRequest("invalid_parameter", "status must be one of \(OutboxMessage.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        let limit = try QueryNumber.read(query["limit"], name: "limit", default: 100, range: 1...1_000)
        return try JSONResponse.make(OutboxList(messages: try store.outboxMessages(status: status, limit: limit).map { DeliveryItem($0) }))
    }

    @Sendable func retry(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader(limit: 1024 * 1024).read(&request, gzipped: false)
        let ids: [Int64]?
        do {
            ids = body.isEmpty ? nil : try JSONDecoder.api.decode(OutboxRetry.self, from: Data(body)).ids
        } catch {
            throw APIError.badRequest("invalid_json", "expected {\"ids\": [1, 2]} or an empty body for every dead letter")
        }
        return try JSONResponse.make(OutboxRetryResult(requeued: try store.requeueOutbox(ids: ids, from: .dead, at: clock())))
    }

    private func handoffId(_ context: BasicRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw APIError.badRequest("invalid_parameter", "a handoff id is a positive whole number, got \"\(text)\"") }
        return id
    }
}
