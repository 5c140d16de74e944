import Foundation

/// What a rep reads before reaching out: who the account is, who to talk to, what they did, why now,
/// and what to say. Everything in it comes from the account's score, state and profile.
public struct HandoffBrief: Sendable, Equatable, Codable {
    public var accountId: String
    public var name: String
    public var domain: String?
    public var stage: Stage
    public var total: Double
    public var fit: Double?
    public var value: Double
    public var intent: Double
    /// The most engaged recently active user.
    public var champion: Champion?
    public var activeUsers7d: Int
    public var activeUsers30d: Int
    /// Activation milestones reached, oldest first.
    public var milestones: [Milestone]
    /// Signals seen in the last 7 days, most used first.
    public var recentFeatures: [FeatureUse]
    /// Usage against the plan's limits.
    public var usage: [Usage]
    public var company: CompanyMatch?
    /// The strongest positive reasons, in plain language.
    public var reasons: [String]
    /// What speaks against the account (negative signals, unknown fit).
    public var concerns: [String]
    /// The freshest hand-raise or signal that makes today the day to call.
    public var whyNow: String
    public var play: RecommendedPlay?

    /// A member who carries the account.
    public struct Champion: Sendable, Equatable, Codable {
        public var userId: String
        public var name: String?
        public var email: String?
        public var title: String?
        /// Activity events while recently active.
        public var events: Int
    }

    /// A value signal the account has reached.
    public struct Milestone: Sendable, Equatable, Codable {
        public var label: String
        public var firstAt: Date
    }

    /// How much a signal was used in the last week.
    public struct FeatureUse: Sendable, Equatable, Codable {
        public var label: String
        /// Occurrences in the last 7 days, when the signal keeps day counts that far back.
        public var count: Double?
        public var lastAt: Date
    }

    /// One plan limit and how close the account is to it.
    public struct Usage: Sendable, Equatable, Codable {
        public var label: String
        public var used: Double
        public var limit: Double
        public var percent: Int { Int((used / limit * 100).rounded()) }
    }

    /// The firmographic record and how sure the company match is.
    public struct CompanyMatch: Sendable, Equatable, Codable {
        public var domain: String
        public var name: String?
        public var employees: Int?
        public var industry: String?
        public var country: String?
        /// `high`, `medium` or `low`.
        public var confidence: String
        /// Where the match comes from ("the workspace names acme.com", "3 of 4 members use @acme.com").
        public var basis: String
    }

    /// The play the reasons point to, with its talk track filled in.
    public struct RecommendedPlay: Sendable, Equatable, Codable {
        public var id: String
        public var title: String
        public var talkTrack: String
    }
}
