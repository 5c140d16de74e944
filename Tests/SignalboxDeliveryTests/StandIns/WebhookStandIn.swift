import Foundation
import HTTPTypes
import Hummingbird
import SignalboxDelivery
import Synchronization

/// A receiver of Signalbox's signed webhooks, written the way its documentation tells receivers to:
/// it recomputes `X-Signalbox-Signature` over `<timestamp>.<body>`, rejects a stale timestamp, and
/// counts each `Idempotency-Key` once however often it arrives.
final class WebhookStandIn: Sendable {
    static let secret = "whsec_standin"
    static let path = "/hooks/signalbox"

    let standIn = StandIn()
    private let keys = Mutex<[String: Int]>([:])

    /// How often each idempotency key arrived.
    var deliveriesByKey: [String: Int] { keys.withLock { $0 } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post(RouterPath(Self.path)) { request, _ in
            let body = try await request.body.collect(upTo: 1 << 22)
            let signature = request.headers[HTTPField.Name("X-Signalbox-Signature")!] ?? ""
            let timestamp = Int(request.headers[HTTPField.Name("X-Signalbox-Timestamp")!] ?? "") ?? 0
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            let expected = WebhookAdapter.signature(body: Data(body.readableBytesView), timestamp: timestamp, secret: Self.secret)
            var replayed = request
            replayed.body = RequestBody(buffer: body)
            return try await self.standIn.handle(replayed, validate: { _, _ in
                var problems: [String] = []
                if signature != expected { problems.append("signature does not match") }
                if abs(Date().timeIntervalSince1970 - Double(timestamp)) > 300 { problems.append("timestamp is more than 5 minutes off") }
                if key.isEmpty { problems.append("Idempotency-Key is missing") }
                return problems
            }) { _ in
                self.keys.withLock { $0[key, default: 0] += 1 }
                return StandIn.respond(.ok, "")
            }
        }
        return router
    }
}
