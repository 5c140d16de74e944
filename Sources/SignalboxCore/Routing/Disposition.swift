import Foundation

/// A rep's verdict on a handoff: the label that tells training whether routing sent the right account.
public struct Disposition: Sendable, Equatable, Codable {
    /// What the rep decided.
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        /// Worth working: the rep takes it.
        case accepted
        /// Not a lead; `reason` says why.
        case rejected
        /// Not now: back to nurture, to be routed again when it rises.
        case recycled
    }

    /// Why a handoff was rejected.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        case notICP = "not_icp"
        case tooEarly = "too_early"
        case student
        case competitor
        case existingCustomer = "existing_customer"
        case badData = "bad_data"
        case other
    }

    /// The routing decision it judges.
    public var handoffId: Int64
    public var verdict: Verdict
    public var reason: Reason?
    public var note: String?
    /// When the rep first reached out; stops the SLA clock.
    public var firstTouchAt: Date?
    public var recordedAt: Date
    /// Who recorded it (a rep's email), when given.
    public var by: String?

    public init(
        handoffId: Int64, verdict: Verdict, reason: Reason? = nil, note: String? = nil, firstTouchAt: Date? = nil, recordedAt: Date,
        by: String? = nil
    ) {
        self.handoffId = handoffId
        self.verdict = verdict
        self.reason = reason
        self.note = note
        self.firstTouchAt = firstTouchAt
        self.recordedAt = recordedAt
        self.by = by
    }
}
