import Foundation

/// The Segment message types Signalbox understands.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case track, identify, group, page, screen, alias

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
public struct Event: Sendable, Equatable {
    public var messageId: String
    public var type: EventType
    public var userId: String?
    public var anonymousId: String?
    /// The anonymous or earlier id an `alias` call merges into `userId`.
    public var previousId: String?
    /// `groupId` of a group call, else `context.groupId`.
    public var groupId: String?
    /// Track event name, or page/screen name.
    public var name: String?
    public var properties: [String: JSONValue]
    /// Identify/group traits, plus `context.traits` on other calls.
    public var traits: [String: JSONValue]
    public var timestamp: Date
    /// The message's JSON as it arrived (for a batch, its element), so storage can keep it as is;
    /// nil for events built in code.
    public var payload: ArraySlice<UInt8>?

    public init(
        messageId: String, type: EventType, userId: String? = nil, anonymousId: String? = nil,
        previousId: String? = nil, groupId: String? = nil, name: String? = nil,
        properties: [String: JSONValue] = [:], traits: [String: JSONValue] = [:], timestamp: Date
    ) {
        self.messageId = messageId
        self.type = type
        self.userId = userId
        self.anonymousId = anonymousId
        self.previousId = previousId
        self.groupId = groupId
        self.name = name
        self.properties = properties
        self.traits = traits
        self.timestamp = timestamp
    }

    public static func == (lhs: Event, rhs: Event) -> Bool {
        lhs.messageId == rhs.messageId && lhs.type == rhs.type && lhs.userId == rhs.userId && lhs.anonymousId == rhs.anonymousId
            && lhs.previousId == rhs.previousId && lhs.groupId == rhs.groupId && lhs.name == rhs.name
            && lhs.properties == rhs.properties && lhs.traits == rhs.traits && lhs.timestamp == rhs.timestamp
    }

    /// The id that names the person: `userId` when known, else `anonymousId`.
    public var actorId: String? { userId ?? anonymousId }
}
