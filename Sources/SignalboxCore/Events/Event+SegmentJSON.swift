import Foundation

extension Event {
    /// The event as a Segment message, for keeping events that were built in code rather than
    /// decoded (they have no ``payload``). Decoding it gives back the same event.
    public func segmentJSON() -> String {
        var message: [String: JSONValue] = [
            "type": .string(type.rawValue), "messageId": .string(messageId), "timestamp": .string(Timestamp.format(timestamp)),
        ]
        if let userId { message["userId"] = .string(userId) }
        if let anonymousId { message["anonymousId"] = .string(anonymousId) }
        if let previousId { message["previousId"] = .string(previousId) }
        if let groupId {
            if type == .group { message["groupId"] = .string(groupId) } else { message["context"] = .object(["groupId": .string(groupId)]) }
        }
        if let name { message[type == .track ? "event" : "name"] = .string(name) }
        if !properties.isEmpty { message["properties"] = .object(properties) }
        if !traits.isEmpty { message["traits"] = .object(traits) }
        return JSONValue.object(message).serialized()
    }
}
