import AsyncHTTPClient
import Crypto
import Foundation
import NIOHTTP1
import SignalboxCore

/// Posts each handoff as JSON to an HTTPS endpoint, signed so the receiver can trust it.
///
/// Headers: `Idempotency-Key` (stable across retries), `X-Signalbox-Timestamp` (Unix seconds) and
/// `X-Signalbox-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the shared secret>`.
/// A receiver recomputes the signature and rejects stale timestamps to stop replays.
public struct WebhookAdapter: DestinationAdapter {
    let sender: HTTPSender
    let url: String
    let secret: String
    let now: @Sendable () -> Date

    public init(client: HTTPClient, url: String, secret: String, now: @escaping @Sendable () -> Date = Date.init) {
        sender = HTTPSender(client: client)
        self.url = url
        self.secret = secret
        self.now = now
    }

    /// `v1=<hex>` for a body sent at `timestamp`.
    public static func signature(body: Data, timestamp: Int, secret: String) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + code.map { String(format: "%02x", $0) }.joined()
    }

    public func send(_ message: OutboxMessage) async -> DeliveryOutcome {
        let body = HandoffJSON.encode(message)
        let timestamp = Int(now().timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Idempotency-Key", value: message.idempotencyKey)
        headers.add(name: "X-Signalbox-Timestamp", value: String(timestamp))
        headers.add(name: "X-Signalbox-Signature", value: Self.signature(body: body, timestamp: timestamp, secret: secret))
        switch await sender.send(.POST, url, headers: headers, body: body) {
        case .success: return .delivered
        case .failure(let failure): return failure.outcome
        }
    }
}
