import Foundation

/// How `signalbox serve` listens and whom it takes events from: the `server:` section of
/// `signalbox.yaml`. Secrets (write keys, the admin token) are named here by environment
/// variable and never written in the file.
///
/// ```yaml
/// server:
///   port: 8080
///   sources:
///     web_app: { write_key_env: WEB_APP_WRITE_KEY }
/// ```
public struct ServerSettings: Sendable, Equatable {
    /// A named event source; its write key is read from `writeKeyVariable`. Dedupe is per source.
    public struct Source: Sendable, Equatable {
        public var name: String
        public var writeKeyVariable: String

        public init(name: String, writeKeyVariable: String) {
            self.name = name
            self.writeKeyVariable = writeKeyVariable
        }
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var sources: [Source] = []
    /// Environment variable holding the bearer token of the `/api` routes.
    public var adminTokenVariable = "SIGNALBOX_ADMIN_TOKEN"
    /// Largest accepted request body, after gzip inflation. The RudderStack client sends up to 4 MB.
    public var maxRequestBytes = 4 * 1024 * 1024
    /// How often every account is rescored so that decay and windows move stages without new events.
    public var reevaluateEvery: TimeInterval = 300
    /// Events waiting to be committed before new requests are turned away with 429.
    public var maxQueuedEvents = 100_000
    /// The PostHog group type whose key names the workspace (`$groups: {company: …}`).
    public var postHogGroupType = "company"

    public init() {}
}
