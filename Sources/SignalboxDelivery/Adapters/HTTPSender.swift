import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one HTTP request and sorts the answer into a ``DeliveryOutcome`` the same way for every
/// destination: 2xx delivered; 408, 429 and 5xx retried (with `Retry-After` when given); any other
/// status permanent; a transport error retried.
struct HTTPSender: Sendable {
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(10)

    /// The response of a request that reached the receiver.
    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    func send(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders, body: Data?) async -> Result<Response, DeliveryFailure> {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let answer = Response(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
            if (200..<300).contains(answer.status) { return .success(answer) }
            return .failure(DeliveryFailure(response: answer))
        } catch {
            return .failure(DeliveryFailure(outcome: .retry(after: nil, reason: "request failed: \(error)")))
        }
    }

    /// Sends `json` as the body with `Authorization: Bearer <token>`, as the CRM APIs take it.
    func sendJSON(_ method: HTTPMethod, _ url: String, bearer token: String, _ json: Any) async -> Result<Response, DeliveryFailure> {
        // Built from strings, numbers, arrays and dictionaries only: always serialisable.
        let body = try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return await send(method, url, headers: Self.headers(bearer: token, ("Content-Type", "application/json")), body: body)
    }

    /// Sends a request without a body (a read) with `Authorization: Bearer <token>`.
    func send(_ method: HTTPMethod, _ url: String, bearer token: String) async -> Result<Response, DeliveryFailure> {
        await send(method, url, headers: Self.headers(bearer: token, ("Accept", "application/json")), body: nil)
    }

    private static func headers(bearer token: String, _ other: (String, String)) -> HTTPHeaders {
        HTTPHeaders([("Authorization", "Bearer \(token)"), other])
    }
}

/// A failed request, already sorted into retry or permanent.
struct DeliveryFailure: Error {
    var outcome: DeliveryOutcome
    /// The receiver's answer, when the request reached it.
    var response: HTTPSender.Response?

    init(outcome: DeliveryOutcome) {
        self.outcome = outcome
    }

    init(response: HTTPSender.Response) {
        self.response = response
        let snippet = String(decoding: response.body.prefix(300), as: UTF8.self)
        let reason = "HTTP \(response.status): \(snippet)"
        switch response.status {
        case 408, 429, 500...599:
            outcome = .retry(after: response.headers.first(name: "Retry-After").flatMap { RetryAfter.seconds($0) }, reason: reason)
        default:
            outcome = .permanent(reason: reason)
        }
    }
}

/// Reads a `Retry-After` header: delta-seconds or an HTTP date.
enum RetryAfter {
    static func seconds(_ value: String, now: Date = Date()) -> TimeInterval? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return max(0, seconds) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return format.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}
