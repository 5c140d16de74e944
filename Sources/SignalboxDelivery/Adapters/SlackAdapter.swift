import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SignalboxCore

/// Posts each handoff to a Slack incoming webhook as a Block Kit message.
///
/// Slack answers 200 `ok`; 429 with `Retry-After` when a webhook sends faster than about one message
/// a second; other 4xx (`invalid_blocks`, `no_service`, `channel_is_archived`) are permanent.
public struct SlackAdapter: DestinationAdapter {
    let sender: HTTPSender
    let webhookURL: String

    public init(client: HTTPClient, webhookURL: String) {
        sender = HTTPSender(client: client)
        self.webhookURL = webhookURL
    }

    public func send(_ message: OutboxMessage) async -> DeliveryOutcome {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        switch await sender.send(.POST, webhookURL, headers: headers, body: SlackMessage.body(for: message)) {
        case .success: return .delivered
        case .failure(let failure): return failure.outcome
        }
    }
}
