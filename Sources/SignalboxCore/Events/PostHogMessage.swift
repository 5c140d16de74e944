import Foundation

/// Maps PostHog capture messages onto the Segment model, so PostHog clients can send to the same
/// pipeline and the stored message replays exactly like one sent in Segment form.
///
/// | PostHog | Segment |
/// | --- | --- |
/// | `$identify`, `$set`, `$set_once` (person properties in `$set` / `$set_once`, top level or in properties) | `identify` (`$anon_distinct_id` → `anonymousId`) |
/// | `$groupidentify` (`$group_type`, `$group_key`, `$group_set`) | `group` |
/// | `$create_alias` (old id in `distinct_id`, new id in `properties.alias`) | `alias` |
/// | `$pageview`, `$screen` | `page`, `screen` |
/// | any other event, `$groups: {company: …}` in its properties | `track` with `context.groupId` |
///
/// ```swift
/// let segment = PostHogMessage.segmentMessage(message, path: "$.batch[0]", groupType: "company")
/// ```
public enum PostHogMessage {
    /// The Segment message for one PostHog message. `groupType` is the PostHog group type that names
    /// workspaces; `apiKey` fields and PostHog's own bookkeeping are dropped.
    public static func segmentMessage(_ message: JSONValue, path: String, groupType: String) -> Result<JSONValue, EventRejection> {
        guard let fields = message.objectValue else {
            return .failure(EventRejection(.notAnObject, "\(path) must be a JSON object"))
        }
        guard let event = fields["event"]?.stringValue, !event.isEmpty else {
            return .failure(EventRejection(.missingEventName, "\(path).event is required"))
        }
        var properties = fields["properties"]?.objectValue ?? [:]
        guard let distinctId = nonEmpty(fields["distinct_id"]) ?? nonEmpty(properties["distinct_id"]) ?? nonEmpty(fields["$distinct_id"]) else {
            return .failure(EventRejection(.missingIdentity, "\(path).distinct_id is required"))
        }
        // An event sent without a person (`$process_person_profile: false`) carries a random id: anonymous.
        let anonymous = properties["$process_person_profile"]?.boolValue == false
        var segment: [String: JSONValue] = [anonymous ? "anonymousId" : "userId": .string(distinctId)]
        for (from, to) in [("uuid", "messageId"), ("timestamp", "timestamp"), ("sent_at", "sentAt")] {
            if let value = fields[from], !value.isNull { segment[to] = value }
        }
        if segment["messageId"] == nil, let uuid = properties["$insert_id"] { segment["messageId"] = uuid }
        switch event {
        case "$identify", "$set", "$set_once":
            segment["type"] = "identify"
            if let anonymous = nonEmpty(properties["$anon_distinct_id"]), anonymous != distinctId { segment["anonymousId"] = .string(anonymous) }
            var traits: [String: JSONValue] = [:]
            for key in ["$set_once", "$set"] {
                for source in [fields[key], properties[key]] {
                    traits.merge(source?.objectValue ?? [:]) { _, later in later }
                }
            }
            segment["traits"] = .object(traits)
        case "$groupidentify":
            guard let type = properties["$group_type"]?.stringValue, let key = nonEmpty(properties["$group_key"]) else {
                return .failure(EventRejection(.missingGroupId, "\(path).properties needs $group_type and $group_key on $groupidentify"))
            }
            guard type == groupType else {
                return .failure(EventRejection(.wrongType, "\(path).properties.$group_type \"\(type)\" is not the workspace group type \"\(groupType)\" (server.posthog_group_type)"))
            }
            segment["type"] = "group"
            segment["groupId"] = .string(key)
            segment["traits"] = .object(properties["$group_set"]?.objectValue ?? [:])
        case "$create_alias":
            guard let alias = nonEmpty(properties["alias"]) else {
                return .failure(EventRejection(.missingPreviousId, "\(path).properties.alias is required on $create_alias"))
            }
            segment["type"] = "alias"
            segment["userId"] = .string(alias)
            segment["previousId"] = .string(distinctId)
        default:
            if let group = properties["$groups"]?.objectValue?[groupType], let key = nonEmpty(group) ?? group.doubleValue.map({ String(format: "%.0f", $0) }) {
                segment["context"] = .object(["groupId": .string(key)])
            }
            properties["$groups"] = nil
            switch event {
            case "$pageview":
                segment["type"] = "page"
                if let name = nonEmpty(properties["$pathname"]) ?? nonEmpty(properties["$current_url"]) { segment["name"] = .string(name) }
            case "$screen":
                segment["type"] = "screen"
                if let name = nonEmpty(properties["$screen_name"]) { segment["name"] = .string(name) }
            default:
                segment["type"] = "track"
                segment["event"] = .string(event)
            }
            segment["properties"] = .object(properties)
        }
        return .success(.object(segment))
    }

    private static func nonEmpty(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return text
    }
}
