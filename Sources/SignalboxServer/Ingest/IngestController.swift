import Foundation
import Hummingbird
import SignalboxCore
import SignalboxPipeline
import SignalboxStore

/// The ingest endpoints: Segment / RudderStack `/v1/*` and PostHog `/batch/` and `/capture/`.
///
/// A handler only authenticates, decodes and hands the events to ``LiveIngest``; it answers
/// `200 {"success":true}` once they are committed. Messages that cannot be used are stored as
/// rejects and listed in the answer; the rest of the request is kept.
struct IngestController: Sendable {
    let live: LiveIngest
    let keys: WriteKeys
    let bodyReader: RequestBodyReader
    let decoding: IngestDecoding
    let metrics: ServerMetrics
    let clock: @Sendable () -> Date

    /// What each route decodes.
    enum Format: Sendable {
        case segmentBatch
        case segmentCall(EventType)
        case postHog
    }

    static let segmentCalls: [EventType] = [.track, .identify, .group, .page, .screen, .alias]

    func routes() -> [(ServerRoute, Format)] {
        var routes: [(ServerRoute, Format)] = [
            (ServerRoute(method: .post, path: "/v1/batch", summary: "Ingest a Segment / RudderStack batch", access: .writeKey, tag: "ingest"), .segmentBatch),
        ]
        for type in IngestController.segmentCalls {
            routes.append((ServerRoute(method: .post, path: "/v1/\(type.rawValue)", summary: "Ingest one Segment \(type.rawValue) call", access: .writeKey, tag: "ingest"), .segmentCall(type)))
        }
        for path in ["/batch", "/capture"] {
            routes.append((ServerRoute(method: .post, path: path, summary: "Ingest PostHog capture messages", access: .writeKey, tag: "ingest"), .postHog))
        }
        return routes
    }

    func handle(_ request: Request, context: some RequestContext, format: Format) async throws -> Response {
        let received = ContinuousClock.now
        do {
            let response = try await ingest(request, context: context, format: format, received: received)
            metrics.request(status: 200)
            return response
        } catch let error as APIError {
            metrics.request(status: Int(error.status.code))
            throw error
        }
    }

    private func ingest(_ request: Request, context: some RequestContext, format: Format, received: ContinuousClock.Instant) async throws -> Response {
        var request = request
        // A key in the header is checked before the body is read; a body key only after.
        let headerKey = try WriteKeys.basicKey(in: request)
        if let headerKey, keys.source(for: headerKey) == nil { throw unknownKey() }
        let encoding = request.headers[.contentEncoding]?.lowercased() ?? ""
        let compression = request.uri.queryParameters["compression"].map(String.init) ?? ""
        let gzipped = encoding.contains("gzip") || compression.hasPrefix("gzip")
        if !encoding.isEmpty && !gzipped && encoding != "identity" {
            throw APIError(.unsupportedMediaType, code: "unsupported_encoding", "Content-Encoding \(encoding) is not supported; send gzip or plain JSON")
        }
        let body = try await bodyReader.read(&request, gzipped: gzipped)
        let receivedAt = clock()
        let decoded: IngestRequest
        switch format {
        case .segmentBatch: decoded = try decoding.segmentBatch(body, receivedAt: receivedAt)
        case .segmentCall(let type): decoded = try decoding.segmentCall(body, type: type, receivedAt: receivedAt)
        case .postHog: decoded = try decoding.postHog(body, receivedAt: receivedAt)
        }
        guard let key = headerKey ?? decoded.bodyKey else {
            throw APIError.unauthorized("missing_write_key", "send the write key as HTTP Basic auth (user name = key, empty password) or as writeKey / api_key in the body")
        }
        guard let source = keys.source(for: key) else { throw unknownKey() }

        let location = "\(request.method) \(request.uri.path) request \(context.id)"
        let rejects = decoded.rejected.map {
            RejectedMessage(source: source, location: "\(location) message \($0.index)", code: $0.rejection.code.rawValue, message: $0.rejection.message, payload: $0.payload)
        }
        let receipt: IngestReceipt
        do {
            receipt = try await live.submit(IngestSubmission(events: decoded.events, rejects: rejects, source: source, arrived: received))
        } catch let error as LiveIngestError {
            throw APIError(error)
        }
        metrics.accepted(receipt.accepted, source: source)
        metrics.duplicated(receipt.duplicates, source: source)
        for rejected in decoded.rejected { metrics.rejected(code: rejected.rejection.code.rawValue) }
        metrics.commit(seconds: receipt.commitSeconds)

        if decoded.events.isEmpty, let first = decoded.rejected.first {
            // Nothing in the request could be used: a client error it should not retry.
            let summary = decoded.messageCount == 1 ? first.rejection.message
                : "none of the \(decoded.messageCount) messages could be used; first: \(first.rejection.message)"
            throw APIError.badRequest(first.rejection.code.rawValue, summary)
        }
        return IngestAnswer(receipt: receipt, rejected: decoded.rejected).response()
    }

    private func unknownKey() -> APIError {
        .unauthorized("unknown_write_key", "the write key does not belong to any configured source")
    }
}

extension APIError {
    /// The answer when live ingest did not take a request: 429 to slow down, 503 to retry later.
    init(_ error: LiveIngestError) {
        switch error {
        case .saturated:
            self.init(.tooManyRequests, code: "saturated", error.description, headers: [.retryAfter: "1"])
        case .storage:
            self.init(.serviceUnavailable, code: "storage_unavailable", error.description, headers: [.retryAfter: "5"])
        case .closed:
            self.init(.serviceUnavailable, code: "shutting_down", error.description, headers: [.retryAfter: "5"])
        }
    }
}

/// The 200 answer: `{"success": true}` as the clients expect, with counts and any rejected messages.
struct IngestAnswer {
    let receipt: IngestReceipt
    let rejected: [IngestRequest.Rejected]

    func response() -> Response {
        var body: [String: JSONValue] = [
            "success": true, "status": 1,
            "accepted": .number(Double(receipt.accepted)), "duplicates": .number(Double(receipt.duplicates)),
        ]
        if !rejected.isEmpty {
            body["rejected"] = .array(rejected.map {
                .object(["index": .number(Double($0.index)), "code": .string($0.rejection.code.rawValue), "message": .string($0.rejection.message)])
            })
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(body).serialized()))
        )
    }
}
