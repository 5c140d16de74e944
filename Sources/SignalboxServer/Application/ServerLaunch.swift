import Foundation
import Logging
import Metrics
import Prometheus
import SignalboxCore
import SignalboxDelivery
import SignalboxPipeline
import SignalboxStore

/// Everything `signalbox serve` does before the server runs: reads write keys and the admin token
/// from the environment, opens the store for synced commits, loads the engine, and wires up
/// process-wide logging and metrics.
public enum ServerLaunch {
    /// The environment variable that defines a default source (named `default`) for a quick start.
    public static let writeKeyVariable = "SIGNALBOX_WRITE_KEY"

    /// Why the server cannot start.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Write keys of the configured sources, plus the quick-start one; each key from its variable.
    public static func writeKeys(settings: ServerSettings, environment: [String: String]) throws -> WriteKeys {
        var sources: [String: String] = [:]
        for source in settings.sources {
            guard let key = environment[source.writeKeyVariable], !key.isEmpty else {
                throw Failure(description: "source \"\(source.name)\": environment variable \(source.writeKeyVariable) (its write key) is not set")
            }
            if let other = sources[key] { throw Failure(description: "sources \"\(other)\" and \"\(source.name)\" have the same write key") }
            sources[key] = source.name
        }
        if let key = environment[writeKeyVariable], !key.isEmpty, sources[key] == nil { sources[key] = "default" }
        guard !sources.isEmpty else {
            throw Failure(description: "no write key: set \(writeKeyVariable), or list sources under server.sources in the config")
        }
        return WriteKeys(sources: sources)
    }

    /// Runs the server until SIGTERM or SIGINT, then finishes in-flight requests and commits and returns.
    public static func run(
        config: ModelConfig, databasePath: String, options: SignalboxApplication.Options, environment: [String: String], jsonLogs: Bool
    ) async throws {
        LoggingSystem.bootstrap { label -> any LogHandler in
            jsonLogs ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
        }
        let metrics = ServerMetrics()
        // Hummingbird's own request metrics go to the same registry as ours.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        let logger = Logger(label: "signalbox")
        let store = try SQLiteStore(path: databasePath, durability: .machine)
        let engine = try store.loadEngine(model: CompiledModel(config))
        let destinations: DestinationSet
        do {
            destinations = try DestinationSet(config.destinations, environment: environment)
        } catch {
            throw Failure(description: "destinations: \(error)")
        }
        let live = try LiveIngest(store: store, engine: engine, clock: Date.init, maxQueuedEvents: config.server.maxQueuedEvents, onScored: metrics.scored)
        logger.info("loaded store", metadata: ["database": "\(databasePath)", "accounts": "\(engine.accounts().count)"])
        let outbox = OutboxWorker(store: store, destinations: destinations, logger: Logger(label: "signalbox.outbox"), onAttempt: metrics.delivery)
        let app = SignalboxApplication(store: store, live: live, options: options, metrics: metrics, logger: logger, outbox: outbox).make()
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        live.close()
        logger.info("stopped: every accepted request is committed")
    }
}
