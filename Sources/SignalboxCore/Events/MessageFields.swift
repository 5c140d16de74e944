import Foundation

/// The parts of one Segment message Signalbox reads, scanned from its JSON without building the
/// rest: unknown members (most of `context`, for one) are checked for validity and skipped.
struct MessageFields {
    /// A time member: absent (or null), a valid time, or a value that is not a time.
    enum Time {
        case absent
        case valid(Date)
        case invalid(JSONValue)
    }

    var type: JSONValue?
    var messageId: JSONValue?
    /// The message id's bytes, instead of `messageId`, when it is a non-empty ASCII string without
    /// escapes: the same bytes its text would have.
    var messageIdBytes: Range<Int>?
    var userId: JSONValue?
    var anonymousId: JSONValue?
    var previousId: JSONValue?
    var groupId: JSONValue?
    var event: JSONValue?
    var name: JSONValue?
    var properties: JSONValue?
    var traits: JSONValue?
    var contextGroupId: JSONValue?
    var contextTraits: JSONValue?
    var timestamp = Time.absent
    var originalTimestamp = Time.absent
    var sentAt = Time.absent
    var receivedAt = Time.absent
    /// A write key sent in the body (`writeKey`), as Segment's HTTP API allows.
    var writeKey: JSONValue?
    /// Where the `batch` array starts, when this object is a batch.
    var batchStart: Int?
    /// The object's bytes within the scanned buffer.
    var bytes: Range<Int> = 0..<0

    /// Scans the object at the parser's position, building only the `properties` members `wanted`.
    static func scan(_ parser: inout JSONParser, properties wanted: PropertySelection = .all) throws(JSONParseError) -> MessageFields {
        var fields = MessageFields()
        let start = parser.index
        try parser.scanObject(into: &fields) { (parser, fields, key) throws(JSONParseError) in
            switch MessageKey(key) {
            case .type: fields.type = try parser.parseValue()
            case .messageId: try scanMessageId(&parser, into: &fields)
            case .userId: fields.userId = try parser.parseValue()
            case .anonymousId: fields.anonymousId = try parser.parseValue()
            case .previousId: fields.previousId = try parser.parseValue()
            case .groupId: fields.groupId = try parser.parseValue()
            case .event: fields.event = try parser.parseValue()
            case .name: fields.name = try parser.parseValue()
            case .properties: fields.properties = try scanProperties(&parser, wanted: wanted)
            case .traits: fields.traits = try parser.parseValue()
            case .timestamp: fields.timestamp = try scanTime(&parser)
            case .originalTimestamp: fields.originalTimestamp = try scanTime(&parser)
            case .sentAt: fields.sentAt = try scanTime(&parser)
            case .receivedAt: fields.receivedAt = try scanTime(&parser)
            case .writeKey: fields.writeKey = try parser.parseValue()
            case .batch:
                fields.batchStart = parser.index
                try parser.skipValue()
            case .context:
                guard parser.isAt(UInt8(ascii: "{")) else { return try parser.skipValue() }
                try parser.scanObject(into: &fields) { (parser, fields, key) throws(JSONParseError) in
                    switch MessageKey(key) {
                    case .groupId: fields.contextGroupId = try parser.parseValue()
                    case .traits: fields.contextTraits = try parser.parseValue()
                    default: try parser.skipValue()
                    }
                }
            case nil:
                try parser.skipValue()
            }
        }
        fields.bytes = start..<parser.index
        return fields
    }

    /// The `properties` value, with only the members `wanted` when it is an object (the last of a
    /// repeated key wins, as in a full parse).
    private static func scanProperties(_ parser: inout JSONParser, wanted: PropertySelection) throws(JSONParseError) -> JSONValue {
        guard !wanted.isAll, parser.isAt(UInt8(ascii: "{")) else { return try parser.parseValue() }
        var members: [String: JSONValue] = [:]
        try parser.scanObject(into: &members) { (parser, members, key) throws(JSONParseError) in
            if wanted.wants(key) {
                members[String(decoding: key, as: UTF8.self)] = try parser.parseValue()
            } else {
                try parser.skipValue()
            }
        }
        return .object(members)
    }

    /// Reads `messageId` as the range of its bytes when it is plain ASCII text, else as a value.
    private static func scanMessageId(_ parser: inout JSONParser, into fields: inout MessageFields) throws(JSONParseError) {
        guard parser.isAt(UInt8(ascii: "\"")) else { return fields.messageId = try parser.parseValue() }
        let string = try parser.scanString()
        if case .raw(let range) = string, !range.isEmpty, parser.bytes[range].allSatisfy({ $0 < 0x80 }) {
            fields.messageIdBytes = range
        } else {
            fields.messageId = .string(parser.text(of: string))
        }
    }

    /// Reads a time member straight from its bytes when it is a plain string.
    private static func scanTime(_ parser: inout JSONParser) throws(JSONParseError) -> Time {
        guard parser.isAt(UInt8(ascii: "\"")) else { return Time(try parser.parseValue()) }
        let string = try parser.scanString()
        if case .raw(let range) = string, let date = Timestamp.parse(utf8: UnsafeRawBufferPointer(rebasing: parser.bytes[range])) {
            return .valid(date)
        }
        return Time(.string(parser.text(of: string)))
    }
}

extension MessageFields.Time {
    init(_ value: JSONValue) {
        if value.isNull {
            self = .absent
        } else if let date = Timestamp.parse(value) {
            self = .valid(date)
        } else {
            self = .invalid(value)
        }
    }

    var date: Date? {
        guard case .valid(let date) = self else { return nil }
        return date
    }
}

/// The member names a message scan looks for, matched on raw bytes.
enum MessageKey: CaseIterable {
    case type, messageId, userId, anonymousId, previousId, groupId, event, name, properties, traits
    case timestamp, originalTimestamp, sentAt, receivedAt, batch, context, writeKey

    init?(_ key: UnsafeRawBufferPointer) {
        guard let found = MessageKey.named(key) else { return nil }
        self = found
    }

    /// By length first, so a member name is compared with at most three names.
    private static func named(_ key: UnsafeRawBufferPointer) -> MessageKey? {
        func matches(_ name: StaticString) -> Bool { memcmp(key.baseAddress!, name.utf8Start, key.count) == 0 }
        switch key.count {
        case 4: return matches("type") ? .type : matches("name") ? .name : nil
        case 5: return matches("event") ? .event : matches("batch") ? .batch : nil
        case 6: return matches("userId") ? .userId : matches("traits") ? .traits : matches("sentAt") ? .sentAt : nil
        case 7: return matches("groupId") ? .groupId : matches("context") ? .context : nil
        case 8: return matches("writeKey") ? .writeKey : nil
        case 9: return matches("messageId") ? .messageId : matches("timestamp") ? .timestamp : nil
        case 10: return matches("properties") ? .properties : matches("previousId") ? .previousId : matches("receivedAt") ? .receivedAt : nil
        case 11: return matches("anonymousId") ? .anonymousId : nil
        case 17: return matches("originalTimestamp") ? .originalTimestamp : nil
        default: return nil
        }
    }
}
