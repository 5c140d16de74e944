import Foundation

/// Turns Segment / RudderStack JSON (single messages or `{"batch": [...]}`) into ``Event`` values.
///
/// It reads the members scoring uses straight from the bytes and only checks the rest, so decoding
/// costs little more than one pass over the line.
/// ```swift
/// let outcome = EventDecoder().decode(line: bytes, fallbackReceivedAt: now)
/// for case .success(let event) in outcome { … }
/// ```
public struct EventDecoder: Sendable {
    /// Largest accepted message, as the Segment API enforces.
    public static let maximumMessageBytes = 32 * 1024

    /// Which `properties` members events carry.
    public let properties: PropertySelection

    /// A decoder whose events carry the `properties` members selected (all of them by default).
    public init(properties: PropertySelection = .all) {
        self.properties = properties
    }

    /// The same decoder with storage of its own, for one of several threads decoding at once
    /// (``PropertySelection/unshared()``).
    public func unshared() -> EventDecoder {
        EventDecoder(properties: properties.unshared())
    }

    /// Decodes one NDJSON line. A batch line yields one result per message, so one bad message
    /// does not cost the others. `fallbackReceivedAt` is when the collector got it, if the line
    /// does not say.
    public func decode(line: [UInt8], fallbackReceivedAt: Date? = nil) -> [Result<Event, EventRejection>] {
        decode(line: line[...], fallbackReceivedAt: fallbackReceivedAt)
    }

    /// Decodes one NDJSON line held in a larger buffer; each event's ``Event/payload`` is a slice of it.
    public func decode(line: ArraySlice<UInt8>, fallbackReceivedAt: Date? = nil) -> [Result<Event, EventRejection>] {
        var results: [Result<Event, EventRejection>] = []
        decode(line: line, fallbackReceivedAt: fallbackReceivedAt) { results.append($0) }
        return results
    }

    /// Decodes one NDJSON line, handing each message's result to `body` in order; a line that is
    /// not a JSON object (or whose `batch` is not an array) gives one failure.
    public func decode(line: ArraySlice<UInt8>, fallbackReceivedAt: Date? = nil, _ body: (Result<Event, EventRejection>) -> Void) {
        if let rejection = decodeDocument(line, fallbackReceivedAt: fallbackReceivedAt, body).rejection { body(.failure(rejection)) }
    }

    /// Decodes one JSON document (an NDJSON line or an HTTP request body): a batch or a single
    /// message. Fails as a whole only when it is not one JSON object or its `batch` is not an array.
    public func decodeMessages(_ line: ArraySlice<UInt8>, fallbackReceivedAt: Date? = nil) -> Result<DecodedMessages, EventRejection> {
        var results: [Result<Event, EventRejection>] = []
        let document = decodeDocument(line, fallbackReceivedAt: fallbackReceivedAt) { results.append($0) }
        if let rejection = document.rejection { return .failure(rejection) }
        return .success(DecodedMessages(results: results, isBatch: document.isBatch, writeKey: document.writeKey))
    }

    /// What a document was, apart from its messages.
    private struct Document {
        var rejection: EventRejection?
        var isBatch = false
        var writeKey: String?
    }

    /// Decodes a batch or a single message, handing each message's result to `body` in order.
    private func decodeDocument(_ line: ArraySlice<UInt8>, fallbackReceivedAt: Date?, _ body: (Result<Event, EventRejection>) -> Void) -> Document {
        line.withUnsafeBytes { buffer in
            let root: MessageFields
            do throws(EventRejection) { root = try scanRoot(buffer) } catch { return Document(rejection: error) }
            let writeKey = root.writeKey?.stringValue
            guard let batchStart = root.batchStart else {
                body(interpret(root, path: .root, batchSentAt: nil, receivedAt: root.receivedAt.date ?? fallbackReceivedAt, in: buffer, of: line))
                return Document(writeKey: writeKey)
            }
            guard buffer[batchStart] == UInt8(ascii: "[") else {
                return Document(rejection: EventRejection(.notAnObject, "$.batch must be an array"))
            }
            let receivedAt = root.receivedAt.date ?? fallbackReceivedAt
            var count = 0
            var parser = JSONParser(buffer)
            parser.index = batchStart
            do throws(JSONParseError) {
                try parser.scanArray { (parser) throws(JSONParseError) in
                    let path = MessagePath.batch(count)
                    count += 1
                    guard parser.isAt(UInt8(ascii: "{")) else {
                        try parser.skipValue()
                        body(.failure(EventRejection(.notAnObject, "\(path) must be a JSON object")))
                        return
                    }
                    let fields = try MessageFields.scan(&parser, properties: properties)
                    body(interpret(fields, path: path, batchSentAt: root.sentAt.date, receivedAt: receivedAt, in: buffer, of: line))
                }
            } catch {
                return Document(rejection: EventRejection(.invalidJSON, error.description))
            }
            return Document(isBatch: true, writeKey: writeKey)
        }
    }

    /// Decodes a message as it was stored: its own JSON, with the time already corrected.
    public func decode(stored message: ArraySlice<UInt8>, timestamp: Date) -> Result<Event, EventRejection> {
        message.withUnsafeBytes { buffer in
            do throws(EventRejection) {
                let fields = try scanRoot(buffer)
                return interpret(fields, path: .root, batchSentAt: nil, receivedAt: nil, correctedTime: timestamp, in: buffer, of: message)
            } catch {
                return .failure(error)
            }
        }
    }

    /// Scans the whole line: it must be exactly one valid JSON object. Throws rather than returning
    /// a `Result`, so the scanned fields are not copied out of one.
    private func scanRoot(_ buffer: UnsafeRawBufferPointer) throws(EventRejection) -> MessageFields {
        var parser = JSONParser(buffer)
        do throws(JSONParseError) {
            parser.skipWhitespace()
            guard parser.index < buffer.count else { throw JSONParseError(offset: 0, message: "empty input") }
            if buffer[parser.index] == UInt8(ascii: "{") {
                let fields = try MessageFields.scan(&parser, properties: properties)
                parser.skipWhitespace()
                guard parser.index == buffer.count else { throw parser.error("unexpected data after the JSON value") }
                return fields
            }
            // Valid JSON that is not an object says so; invalid JSON says where it breaks.
            _ = try JSONParser.parse(buffer)
        } catch {
            throw EventRejection(.invalidJSON, error.description)
        }
        throw EventRejection(.notAnObject, "$ must be a JSON object")
    }

    /// Builds the event from one message's members. `receivedAt` is when the collector got it (the
    /// server clock); `correctedTime`, when given, is the event time already worked out.
    private func interpret(
        _ fields: MessageFields, path: MessagePath, batchSentAt: Date?, receivedAt: Date?, correctedTime: Date? = nil,
        in buffer: UnsafeRawBufferPointer, of line: ArraySlice<UInt8>
    ) -> Result<Event, EventRejection> {
        guard let rawType = fields.type?.stringValue else {
            return .failure(EventRejection(.missingType, "\(path).type is required"))
        }
        guard let type = EventType(sent: rawType) else {
            return .failure(EventRejection(.unknownType, "\(path).type \"\(rawType)\" is not one of track, identify, group, page, screen, alias"))
        }
        let userId = nonEmptyString(fields.userId)
        let anonymousId = nonEmptyString(fields.anonymousId)
        guard userId != nil || anonymousId != nil else {
            return .failure(EventRejection(.missingIdentity, "\(path) needs userId or anonymousId"))
        }
        let timestamp: Date
        if let correctedTime {
            timestamp = correctedTime
        } else {
            switch eventTime(fields, path: path, batchSentAt: batchSentAt, receivedAt: receivedAt) {
            case .success(let time): timestamp = time
            case .failure(let rejection): return .failure(rejection)
            }
        }
        let properties = fields.properties?.objectValue ?? [:]
        var name: String?
        var groupId = nonEmptyString(fields.contextGroupId)
        var previousId: String?
        switch type {
        case .track:
            guard let event = nonEmptyString(fields.event) else {
                return .failure(EventRejection(.missingEventName, "\(path).event is required on a track call"))
            }
            name = event
        case .page, .screen:
            name = nonEmptyString(fields.name) ?? properties["name"]?.stringValue
        case .group:
            guard let group = nonEmptyString(fields.groupId) else {
                return .failure(EventRejection(.missingGroupId, "\(path).groupId is required on a group call"))
            }
            groupId = group
        case .alias:
            guard let previous = nonEmptyString(fields.previousId) else {
                return .failure(EventRejection(.missingPreviousId, "\(path).previousId is required on an alias call"))
            }
            previousId = previous
        case .identify:
            break
        }
        let messageIdInPayload = fields.messageIdBytes.map { ($0.lowerBound - fields.bytes.lowerBound)..<($0.upperBound - fields.bytes.lowerBound) }
        let event = Event(
            messageId: messageIdInPayload != nil ? "" : nonEmptyString(fields.messageId)
                ?? EventDecoder.derivedMessageId(UnsafeRawBufferPointer(rebasing: buffer[fields.bytes])),
            type: type, userId: userId, anonymousId: anonymousId, previousId: previousId, groupId: groupId, name: name,
            properties: properties, traits: fields.traits?.objectValue ?? fields.contextTraits?.objectValue ?? [:],
            timestamp: timestamp, payload: line[(line.startIndex + fields.bytes.lowerBound)..<(line.startIndex + fields.bytes.upperBound)],
            messageIdInPayload: messageIdInPayload
        )
        return .success(event)
    }

    /// The event's true time: the client's own clock shifted by how far it was off when it sent the
    /// message (`receivedAt − (sentAt − originalTimestamp)`, as Segment corrects it).
    private func eventTime(_ fields: MessageFields, path: MessagePath, batchSentAt: Date?, receivedAt: Date?) -> Result<Date, EventRejection> {
        func invalid(_ name: String, _ value: JSONValue) -> Result<Date, EventRejection> {
            .failure(EventRejection(.invalidTimestamp, "\(path).\(name) \(value.serialized()) is not a timestamp"))
        }
        if case .invalid(let value) = fields.timestamp { return invalid("timestamp", value) }
        if case .invalid(let value) = fields.originalTimestamp { return invalid("originalTimestamp", value) }
        if case .invalid(let value) = fields.sentAt { return invalid("sentAt", value) }
        let sentAt = fields.sentAt.date ?? batchSentAt
        if let original = fields.originalTimestamp.date ?? fields.timestamp.date, let sentAt, let receivedAt {
            return .success(receivedAt.addingTimeInterval(-sentAt.timeIntervalSince(original)))
        }
        if let time = fields.timestamp.date ?? fields.originalTimestamp.date ?? receivedAt {
            return .success(time)
        }
        return .failure(EventRejection(.invalidTimestamp, "\(path) has no timestamp, originalTimestamp or receivedAt"))
    }

    private func nonEmptyString(_ value: JSONValue?) -> String? {
        guard let string = value?.stringValue, !string.isEmpty else { return nil }
        return string
    }

    /// A stable id for messages sent without one, so re-importing the same file still dedupes.
    static func derivedMessageId(_ message: UnsafeRawBufferPointer) -> String {
        let canonical = (try? JSONParser.parse(message).serialized()) ?? String(decoding: message, as: UTF8.self)
        return "derived-" + String(StableHash.of(canonical), radix: 16)
    }
}

/// Where a message is in its document, for errors: `$`, or `$.batch[3]` in a batch. Spelled out
/// only when a message is rejected, not for every message of a batch.
enum MessagePath: CustomStringConvertible {
    case root
    case batch(Int)

    var description: String {
        switch self {
        case .root: "$"
        case .batch(let index): "$.batch[\(index)]"
        }
    }
}

/// The messages of one JSON document, in order, one result each.
public struct DecodedMessages: Sendable {
    public var results: [Result<Event, EventRejection>]
    /// True when the document was `{"batch": [...]}`.
    public var isBatch: Bool
    /// `writeKey` at the top level of the document, if any.
    public var writeKey: String?
}
