import Foundation

/// Where handoffs are delivered: the `destinations:` section of `signalbox.yaml`. Secrets (webhook
/// URLs, tokens, signing keys) are named by environment variable and never written in the file.
///
/// ```yaml
/// destinations:
///   sales_slack: { type: slack, webhook_url_env: SLACK_SALES_WEBHOOK }
///   crm:         { type: hubspot, token_env: HUBSPOT_TOKEN }
///   dry_run:     { type: file, path: handoffs.ndjson }
/// ```
public struct Destination: Sendable, Equatable {
    /// The kinds of destination Signalbox delivers to.
    public enum Kind: String, Sendable, CaseIterable {
        /// A Slack incoming webhook: a Block Kit message.
        case slack
        /// Any HTTPS endpoint: the handoff as JSON, signed with HMAC-SHA256.
        case webhook
        /// HubSpot CRM: company properties upserted by domain, and a task on the company.
        case hubspot
        /// Salesforce: the account upserted by an external id, and a task on it.
        case salesforce
        /// One JSON line per handoff appended to a file, for dry runs and audits.
        case file
    }

    public var name: String
    public var kind: Kind
    /// Settings by key (`webhook_url_env`, `token_env`, `base_url`, `path`, …), as written.
    public var settings: [String: String]
    /// Most requests per second; nil uses the kind's documented limit.
    public var ratePerSecond: Double?
    /// Attempts before a message that keeps failing goes to dead letters.
    public var maxAttempts: Int

    public init(name: String, kind: Kind, settings: [String: String] = [:], ratePerSecond: Double? = nil, maxAttempts: Int = 12) {
        self.name = name
        self.kind = kind
        self.settings = settings
        self.ratePerSecond = ratePerSecond
        self.maxAttempts = maxAttempts
    }

    /// Settings each kind requires, and those it also accepts.
    static func keys(of kind: Kind) -> (required: [String], optional: [String]) {
        switch kind {
        case .slack: (["webhook_url_env"], [])
        case .webhook: (["url_env", "secret_env"], [])
        case .hubspot: (["token_env"], ["base_url", "company_id_property"])
        case .salesforce: (["instance_url_env", "token_env"], ["api_version", "external_id_field", "object"])
        case .file: (["path"], [])
        }
    }
}
