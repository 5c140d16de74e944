import AsyncHTTPClient
import Foundation
import SignalboxCore

/// The configured destinations, each with its adapter, rate and attempt limit, built from
/// `signalbox.yaml` and the environment variables that hold their secrets.
public struct DestinationSet: Sendable {
    /// One destination ready to deliver to.
    public struct Entry: Sendable {
        public var adapter: any DestinationAdapter
        public var ratePerSecond: Double
        public var maxAttempts: Int

        public init(adapter: any DestinationAdapter, ratePerSecond: Double, maxAttempts: Int) {
            self.adapter = adapter
            self.ratePerSecond = ratePerSecond
            self.maxAttempts = maxAttempts
        }
    }

    public var entries: [String: Entry]

    public init(entries: [String: Entry]) {
        self.entries = entries
    }

    /// Adapters for `destinations`, reading secrets from `environment`; fails naming every missing variable.
    public init(_ destinations: [Destination], environment: [String: String], client: HTTPClient = .shared) throws(DestinationSetupError) {
        var entries: [String: Entry] = [:]
        var missing: [String] = []
        for destination in destinations {
            func secret(_ key: String) -> String {
                let variable = destination.settings[key] ?? ""
                guard let value = environment[variable], !value.isEmpty else {
                    missing.append("\(variable) (destinations.\(destination.name).\(key))")
                    return ""
                }
                return value
            }
            let adapter: any DestinationAdapter
            switch destination.kind {
            case .slack:
                adapter = SlackAdapter(client: client, webhookURL: secret("webhook_url_env"))
            case .webhook:
                adapter = WebhookAdapter(client: client, url: secret("url_env"), secret: secret("secret_env"))
            case .hubspot:
                adapter = HubSpotAdapter(
                    client: client, token: secret("token_env"), baseURL: destination.settings["base_url"] ?? "https://api.hubapi.com",
                    idProperty: destination.settings["company_id_property"] ?? "signalbox_account_id"
                )
            case .salesforce:
                adapter = SalesforceAdapter(
                    client: client, instanceURL: secret("instance_url_env"), token: secret("token_env"),
                    apiVersion: destination.settings["api_version"] ?? "60.0", object: destination.settings["object"] ?? "Account",
                    externalIdField: destination.settings["external_id_field"] ?? "Signalbox_Account_Id__c"
                )
            case .file:
                adapter = FileAdapter(path: destination.settings["path"] ?? "handoffs.ndjson")
            }
            entries[destination.name] = Entry(
                adapter: adapter, ratePerSecond: destination.ratePerSecond ?? Self.defaultRate(destination.kind), maxAttempts: destination.maxAttempts
            )
        }
        guard missing.isEmpty else { throw DestinationSetupError(missingVariables: missing) }
        self.entries = entries
    }

    /// Each receiver's published pace: Slack about one message a second per webhook; HubSpot 100
    /// requests per 10 s (four per handoff: upsert, the company's tasks, their bodies, the task);
    /// Salesforce counts per day, not per second.
    static func defaultRate(_ kind: Destination.Kind) -> Double {
        switch kind {
        case .slack: 1
        case .hubspot: 2
        case .salesforce: 10
        case .webhook: 20
        case .file: 1_000
        }
    }
}

/// Destinations whose secrets are not in the environment.
public struct DestinationSetupError: Error, CustomStringConvertible {
    public var missingVariables: [String]
    public var description: String { "environment variables not set: " + missingVariables.joined(separator: ", ") }
}
