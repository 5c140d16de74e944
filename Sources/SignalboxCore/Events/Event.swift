import CPrefetch
import Foundation

/// The Segment message types Signalbox understands.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case track, identify, group, page, screen, alias

    /// The type a message's `type` names, in any letter case. Compared case by case, most
    /// frequent first: a plain comparison of short strings costs less than the raw-value lookup.
    init?(sent name: String) {
        guard let type = EventType.allCases.first(where: { $0.rawValue == name }) ?? EventType(rawValue: name.lowercased()) else { return nil }
        self = type
    }

    /// True for messages that describe what people did, as opposed to who they are.
    public var isActivity: Bool {
        switch self {
        case .track, .page, .screen: true
        case .identify, .group, .alias: false
        }
    }
}

/// One normalized Segment-format message, with its time already corrected for client clock skew.
///
/// Two events are equal when their fields are; how the original bytes were kept does not matter.
/// Events pass through every stage of an import, so their fields live in one shared, copy-on-write
/// box: copying an event is one reference count, not one per string.
public struct Event: Sendable, Equatable {
    private struct Fields: Equatable {
        /// Empty when the id is read from the payload (`Box.messageIdInPayload`).
        var messageId: String
        var type: EventType
        var userId: String?
        var anonymousId: String?
        var previousId: String?
        var groupId: String?
        var name: String?
        var properties: [String: JSONValue]
        var traits: [String: JSONValue]
        var timestamp: Date
    }

    /// Never changed once made (its members are constants, so reading them needs no exclusivity
    /// check); a setter replaces the box.
    private final class Box: Sendable {
        let fields: Fields
        let payload: ArraySlice<UInt8>?
        /// Where the message id's bytes are in `payload` (offsets from its start), when it was
        /// decoded as plain ASCII: an import then never makes a string of it, since only
        /// deduplication reads it, and it reads the bytes.
        let messageIdInPayload: Range<Int>?
        /// `actorId`'s hash value, worked out where the event is made: on the decoding threads
        /// of an import, not on the engine's.
        let actorHash: Int

        init(_ fields: Fields, payload: ArraySlice<UInt8>?, messageIdInPayload: Range<Int>? = nil) {
            self.fields = fields
            self.payload = payload
            self.messageIdInPayload = messageIdInPayload
            actorHash = (fields.userId ?? fields.anonymousId)?.hashValue ?? 0
        }
    }

    private var box: Box

    public init(
        messageId: String, type: EventType, userId: String? = nil, anonymousId: String? = nil,
        previousId: String? = nil, groupId: String? = nil, name: String? = nil,
        properties: [String: JSONValue] = [:], traits: [String: JSONValue] = [:], timestamp: Date
    ) {
        self.init(
            messageId: messageId, type: type, userId: userId, anonymousId: anonymousId, previousId: previousId, groupId: groupId,
            name: name, properties: properties, traits: traits, timestamp: timestamp, payload: nil
        )
    }

    /// An event with the message JSON it was decoded from; `messageIdInPayload` says where in
    /// `payload` its id is, and then `messageId` is not used.
    init(
        messageId: String, type: EventType, userId: String?, anonymousId: String?, previousId: String?, groupId: String?,
        name: String?, properties: [String: JSONValue], traits: [String: JSONValue], timestamp: Date, payload: ArraySlice<UInt8>?,
        messageIdInPayload: Range<Int>? = nil
    ) {
        box = Box(Fields(
            messageId: messageId, type: type, userId: userId, anonymousId: anonymousId, previousId: previousId,
            groupId: groupId, name: name, properties: properties, traits: traits, timestamp: timestamp
        ), payload: payload, messageIdInPayload: messageIdInPayload)
    }

    private mutating func update(_ body: (inout Fields, inout ArraySlice<UInt8>?) -> Void) {
        var fields = box.fields
        // An id read from the payload is kept as text from here on, so a new payload cannot move it.
        fields.messageId = messageId
        var payload = box.payload
        body(&fields, &payload)
        box = Box(fields, payload: payload)
    }

    public var messageId: String {
        get {
            guard let range = box.messageIdInPayload, let payload = box.payload else { return box.fields.messageId }
            return payload.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
        }
        set { update { fields, _ in fields.messageId = newValue } }
    }

    /// Calls `body` with the message id's UTF-8 bytes, read in place, so deduplicating a decoded
    /// event makes no string of its id.
    public func withMessageIdUTF8<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let range = box.messageIdInPayload, let payload = box.payload {
            return try payload.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        var id = box.fields.messageId
        return try id.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    public var type: EventType {
        get { box.fields.type }
        set { update { fields, _ in fields.type = newValue } }
    }
    public var userId: String? {
        get { box.fields.userId }
        set { update { fields, _ in fields.userId = newValue } }
    }
    public var anonymousId: String? {
        get { box.fields.anonymousId }
        set { update { fields, _ in fields.anonymousId = newValue } }
    }
    /// The anonymous or earlier id an `alias` call merges into `userId`.
    public var previousId: String? {
        get { box.fields.previousId }
        set { update { fields, _ in fields.previousId = newValue } }
    }
    /// `groupId` of a group call, else `context.groupId`.
    public var groupId: String? {
        get { box.fields.groupId }
        set { update { fields, _ in fields.groupId = newValue } }
    }
    /// Track event name, or page/screen name.
    public var name: String? {
        get { box.fields.name }
        set { update { fields, _ in fields.name = newValue } }
    }
    public var properties: [String: JSONValue] {
        get { box.fields.properties }
        set { update { fields, _ in fields.properties = newValue } }
    }
    /// Identify/group traits, plus `context.traits` on other calls.
    public var traits: [String: JSONValue] {
        get { box.fields.traits }
        set { update { fields, _ in fields.traits = newValue } }
    }
    public var timestamp: Date {
        get { box.fields.timestamp }
        set { update { fields, _ in fields.timestamp = newValue } }
    }
    /// The message's JSON as it arrived (for a batch, its element), so storage can keep it as is;
    /// nil for events built in code.
    public var payload: ArraySlice<UInt8>? {
        get { box.payload }
        set { update { _, payload in payload = newValue } }
    }

    /// Starts loading the event's fields into the cache. A stage that walks many events announces
    /// the one a few places ahead, so the cache misses of reading them overlap.
    public func prefetch() {
        signalbox_prefetch(Unmanaged.passUnretained(box).toOpaque())
    }

    public static func == (lhs: Event, rhs: Event) -> Bool {
        if lhs.box === rhs.box { return true }
        // The same id compares equal whether it is kept as text or read from the payload.
        var left = lhs.box.fields
        var right = rhs.box.fields
        left.messageId = lhs.messageId
        right.messageId = rhs.messageId
        return left == right
    }

    /// The id that names the person: `userId` when known, else `anonymousId`.
    public var actorId: String? { userId ?? anonymousId }

    /// `actorId.hashValue` (0 without an actor), computed once when the event is made, so the
    /// engine's thread does not hash ids the decoding threads already read.
    var actorHash: Int { box.actorHash }
}

extension Event {
    /// How far ahead a pass over many scattered items (events, hash-set slots) announces the one it
    /// reads next: far enough for the load to finish, near enough to still be in the cache.
    public static let prefetchDistance = 8
}

extension Array where Element == Event {
    /// Announces the event ``Event/prefetchDistance`` places after `index` (``Event/prefetch()``): a
    /// pass that reads each event of a batch in turn calls this before reading the one at `index`.
    public func prefetch(after index: Int) {
        let ahead = index + Event.prefetchDistance
        if ahead < count { self[ahead].prefetch() }
    }
}
