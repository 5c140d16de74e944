import Foundation

/// Turns Segment / RudderStack JSON (single messages or `{"batch": [...]}`) into ``Event`` values.
///
/// ```swift
/// let outcome = EventDecoder().decode(line: bytes, receivedAt: now)
/// for case .success(let event) in outcome { … }
/// ```
public struct EventDecoder: Sendable {
    /// Largest accepted message, as the Segment API enforces.
    public static let maximumMessageBytes = 32 * 1024

    public init() {}

    /// Decodes one NDJSON line. A batch line yields one result per message, so one bad message
    /// does not cost the others.
    public func decode(line: [UInt8], fallbackReceivedAt: Date? = nil) -> [Result<Event, EventRejection>] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(line)
        } catch {
            return [.failure(EventRejection(.invalidJSON, error.description))]
        }
        return decode(document: root, fallbackReceivedAt: fallbackReceivedAt)
    }

    /// Decodes a parsed document: one message, or a batch whose `sentAt`/`context` apply to each message.
    public func decode(document: JSONValue, fallbackReceivedAt: Date? = nil) -> [Result<Event, EventRejection>] {
        guard let object = document.objectValue else {
            return [.failure(EventRejection(.notAnObject, "$ must be a JSON object"))]
        }
        guard let batch = object["batch"] else {
            return [decode(message: object, path: "$", batchSentAt: nil, receivedAt: fallbackReceivedAt)]
        }
        guard let messages = batch.arrayValue else {
            return [.failure(EventRejection(.notAnObject, "$.batch must be an array"))]
        }
        let sentAt = object["sentAt"].flatMap(Timestamp.parse)
        let receivedAt = object["receivedAt"].flatMap(Timestamp.parse) ?? fallbackReceivedAt
        return messages.enumerated().map { index, message in
            guard let fields = message.objectValue else {
                return .failure(EventRejection(.notAnObject, "$.batch[\(index)] must be a JSON object"))
            }
            return decode(message: fields, path: "$.batch[\(index)]", batchSentAt: sentAt, receivedAt: receivedAt)
        }
    }

    /// Decodes one message object. `receivedAt` is when the collector got it (the server clock).
    public func decode(
        message: [String: JSONValue], path: String, batchSentAt: Date?, receivedAt: Date?
    ) -> Result<Event, EventRejection> {
        guard let rawType = message["type"]?.stringValue else {
            return .failure(EventRejection(.missingType, "\(path).type is required"))
        }
        guard let type = EventType(rawValue: rawType.lowercased()) else {
            return .failure(EventRejection(.unknownType, "\(path).type \"\(rawType)\" is not one of track, identify, group, page, screen, alias"))
        }
        let userId = nonEmptyString(message["userId"])
        let anonymousId = nonEmptyString(message["anonymousId"])
        guard userId != nil || anonymousId != nil else {
            return .failure(EventRejection(.missingIdentity, "\(path) needs userId or anonymousId"))
        }
        let context = message["context"]?.objectValue ?? [:]
        let timestamp: Date
        let received = message["receivedAt"].flatMap(Timestamp.parse) ?? receivedAt
        switch eventTime(message, path: path, batchSentAt: batchSentAt, receivedAt: received) {
        case .success(let time): timestamp = time
        case .failure(let rejection): return .failure(rejection)
        }

        var event = Event(
            messageId: nonEmptyString(message["messageId"]) ?? EventDecoder.derivedMessageId(message),
            type: type, userId: userId, anonymousId: anonymousId,
            groupId: nonEmptyString(context["groupId"]),
            properties: message["properties"]?.objectValue ?? [:],
            traits: message["traits"]?.objectValue ?? context["traits"]?.objectValue ?? [:],
            timestamp: timestamp
        )
        switch type {
        case .track:
            guard let name = nonEmptyString(message["event"]) else {
                return .failure(EventRejection(.missingEventName, "\(path).event is required on a track call"))
            }
            event.name = name
        case .page, .screen:
            event.name = nonEmptyString(message["name"]) ?? event.properties["name"]?.stringValue
        case .group:
            guard let groupId = nonEmptyString(message["groupId"]) else {
                return .failure(EventRejection(.missingGroupId, "\(path).groupId is required on a group call"))
            }
            event.groupId = groupId
        case .alias:
            guard let previousId = nonEmptyString(message["previousId"]) else {
                return .failure(EventRejection(.missingPreviousId, "\(path).previousId is required on an alias call"))
            }
            event.previousId = previousId
        case .identify:
            break
        }
        return .success(event)
    }

    /// The event's true time: the client's own clock shifted by how far it was off when it sent the
    /// message (`receivedAt − (sentAt − originalTimestamp)`, as Segment corrects it).
    private func eventTime(
        _ message: [String: JSONValue], path: String, batchSentAt: Date?, receivedAt: Date?
    ) -> Result<Date, EventRejection> {
        var parsed: [String: Date] = [:]
        for field in ["timestamp", "originalTimestamp", "sentAt"] {
            guard let value = message[field], !value.isNull else { continue }
            guard let date = Timestamp.parse(value) else {
                return .failure(EventRejection(.invalidTimestamp, "\(path).\(field) \(value.serialized()) is not a timestamp"))
            }
            parsed[field] = date
        }
        let sentAt = parsed["sentAt"] ?? batchSentAt
        if let original = parsed["originalTimestamp"] ?? parsed["timestamp"], let sentAt, let receivedAt {
            return .success(receivedAt.addingTimeInterval(-sentAt.timeIntervalSince(original)))
        }
        if let time = parsed["timestamp"] ?? parsed["originalTimestamp"] ?? receivedAt {
            return .success(time)
        }
        return .failure(EventRejection(.invalidTimestamp, "\(path) has no timestamp, originalTimestamp or receivedAt"))
    }

    private func nonEmptyString(_ value: JSONValue?) -> String? {
        guard let string = value?.stringValue, !string.isEmpty else { return nil }
        return string
    }

    /// A stable id for messages sent without one, so re-importing the same file still dedupes.
    static func derivedMessageId(_ message: [String: JSONValue]) -> String {
        "derived-" + String(StableHash.of(JSONValue.object(message).serialized()), radix: 16)
    }
}
