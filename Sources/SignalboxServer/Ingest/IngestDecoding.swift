import Foundation
import SignalboxCore
import SignalboxStore

/// The messages of one ingest request: events to store, and the ones that could not be used with
/// their position in the request.
struct IngestRequest {
    /// One message of the request that was not used.
    struct Rejected {
        var index: Int
        var rejection: EventRejection
        var payload: String
    }

    var events: [Event] = []
    var rejected: [Rejected] = []
    /// A write key found in the body (`writeKey`, PostHog's `api_key`).
    var bodyKey: String?
    var messageCount: Int { events.count + rejected.count }
}

/// Decodes request bodies of the wire formats the analytics clients send.
struct IngestDecoding {
    let decoder = EventDecoder()
    /// PostHog group type that names workspaces.
    let postHogGroupType: String

    /// A Segment `/v1/batch` body: `{"batch": [...], "sentAt": …}`.
    func segmentBatch(_ body: [UInt8], receivedAt: Date) throws(APIError) -> IngestRequest {
        let decoded = try decode(body, receivedAt: receivedAt)
        guard decoded.isBatch else {
            throw .badRequest("missing_batch", "$.batch is required: /v1/batch takes {\"batch\": [messages]}")
        }
        return split(decoded, body: body)
    }

    /// A Segment single-call body (`/v1/track` and the like): one message whose type the path names.
    func segmentCall(_ body: [UInt8], type: EventType, receivedAt: Date) throws(APIError) -> IngestRequest {
        guard body.count <= EventDecoder.maximumMessageBytes else {
            throw APIError(.contentTooLarge, code: "too_large", "a message may be at most \(EventDecoder.maximumMessageBytes) bytes; this one is \(body.count)")
        }
        guard case .object(var message) = try parse(body) else { throw .badRequest("not_an_object", "$ must be a JSON object") }
        if let stated = message["type"], stated.stringValue?.lowercased() != type.rawValue {
            throw .badRequest("wrong_type", "$.type \(stated.serialized()) does not match the endpoint /v1/\(type.rawValue)")
        }
        message["type"] = .string(type.rawValue)
        let normalized = Array(JSONValue.object(message).serialized().utf8)
        return split(try decode(normalized, receivedAt: receivedAt), body: normalized)
    }

    /// A PostHog `/batch/` or `/capture/` body: `{"api_key", "batch": [...]}`, one message with
    /// `api_key`, or a bare array of messages. Messages are mapped onto Segment's and decoded as such.
    func postHog(_ body: [UInt8], receivedAt: Date) throws(APIError) -> IngestRequest {
        let root = try parse(body)
        let messages: [JSONValue]
        var envelope: [String: JSONValue] = [:]
        switch root {
        case .array(let list):
            messages = list
        case .object(let object):
            envelope = object
            if let batch = object["batch"] {
                guard let list = batch.arrayValue else { throw .badRequest("not_an_array", "$.batch must be an array") }
                messages = list
            } else {
                messages = [root]
            }
        default:
            throw .badRequest("not_an_object", "$ must be a JSON object or array")
        }
        let key = (envelope["api_key"] ?? envelope["token"] ?? messages.first?["api_key"])?.stringValue
        var request = IngestRequest(bodyKey: key)
        var translated: [JSONValue] = []
        var origin: [Int] = []
        for (index, message) in messages.enumerated() {
            let path = root.arrayValue != nil || envelope["batch"] != nil ? "$.batch[\(index)]" : "$"
            switch PostHogMessage.segmentMessage(message, path: path, groupType: postHogGroupType) {
            case .success(let segment):
                translated.append(segment)
                origin.append(index)
            case .failure(let rejection):
                request.rejected.append(.init(index: index, rejection: rejection, payload: message.serialized()))
            }
        }
        guard !translated.isEmpty else { return request }
        var batch: [String: JSONValue] = ["batch": .array(translated)]
        batch["sentAt"] = envelope["sent_at"] ?? envelope["sentAt"]
        let decoded = try decode(Array(JSONValue.object(batch).serialized().utf8), receivedAt: receivedAt)
        for (position, result) in decoded.results.enumerated() {
            switch result {
            case .success(let event) where (event.payload?.count ?? 0) > EventDecoder.maximumMessageBytes:
                request.rejected.append(.init(index: origin[position], rejection: tooLarge(event), payload: messages[origin[position]].serialized()))
            case .success(let event):
                request.events.append(event)
            case .failure(let rejection):
                let message = rejection.message.replacingOccurrences(of: "$.batch[\(position)]", with: "$.batch[\(origin[position])]")
                request.rejected.append(.init(index: origin[position], rejection: EventRejection(rejection.code, message), payload: messages[origin[position]].serialized()))
            }
        }
        request.rejected.sort { $0.index < $1.index }
        return request
    }

    // MARK: Shared

    private func decode(_ body: [UInt8], receivedAt: Date) throws(APIError) -> DecodedMessages {
        switch decoder.decodeMessages(body[...], fallbackReceivedAt: receivedAt) {
        case .success(let decoded): return decoded
        case .failure(let rejection): throw .badRequest(rejection.code.rawValue, rejection.message)
        }
    }

    private func parse(_ body: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try body.withUnsafeBytes { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }
        } catch {
            throw .badRequest("invalid_json", String(describing: error))
        }
    }

    /// Splits decoded messages into events and rejections; a message over the size limit is rejected.
    private func split(_ decoded: DecodedMessages, body: [UInt8]) -> IngestRequest {
        var request = IngestRequest(bodyKey: decoded.writeKey)
        var batchItems: [JSONValue]?
        func payload(_ index: Int) -> String {
            guard decoded.isBatch else { return String(decoding: body, as: UTF8.self) }
            if batchItems == nil {
                batchItems = (try? body.withUnsafeBytes { buffer throws(JSONParseError) in try JSONParser.parse(buffer) })?["batch"]?.arrayValue ?? []
            }
            return batchItems.flatMap { index < $0.count ? $0[index].serialized() : nil } ?? ""
        }
        for (index, result) in decoded.results.enumerated() {
            switch result {
            case .success(let event) where (event.payload?.count ?? 0) > EventDecoder.maximumMessageBytes:
                request.rejected.append(.init(index: index, rejection: tooLarge(event), payload: payload(index)))
            case .success(let event):
                request.events.append(event)
            case .failure(let rejection):
                request.rejected.append(.init(index: index, rejection: rejection, payload: payload(index)))
            }
        }
        return request
    }

    private func tooLarge(_ event: Event) -> EventRejection {
        EventRejection(.tooLarge, "message \(event.messageId) is \(event.payload?.count ?? 0) bytes; at most \(EventDecoder.maximumMessageBytes) are accepted")
    }
}
