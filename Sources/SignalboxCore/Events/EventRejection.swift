/// Why a message could not be used, kept with the original payload so an operator can look.
public struct EventRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable reasons, used to count rejects in summaries and metrics.
    public enum Code: String, Sendable, Codable, CaseIterable {
        case invalidJSON = "invalid_json"
        case notAnObject = "not_an_object"
        case missingType = "missing_type"
        case unknownType = "unknown_type"
        case missingIdentity = "missing_identity"
        case missingEventName = "missing_event_name"
        case missingGroupId = "missing_group_id"
        case missingPreviousId = "missing_previous_id"
        case invalidTimestamp = "invalid_timestamp"
        case tooLarge = "too_large"
        case wrongType = "wrong_type"
    }

    public var code: Code
    /// What was wrong, naming the JSON path (`$.batch[3].timestamp`).
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
