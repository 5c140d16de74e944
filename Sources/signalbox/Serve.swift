import ArgumentParser
import Foundation
import SignalboxPipeline
import SignalboxServer

/// `signalbox serve`: the live ingestion server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take events from Segment, RudderStack and PostHog clients and rescore accounts as they arrive.",
        discussion: """
            Point a client's host at this server (it serves POST /v1/batch, /v1/track, … and PostHog's /batch/). \
            Each request is answered 200 only once its events are committed. SIGTERM or Ctrl-C stops accepting, \
            finishes what is in flight and exits. Settings come from the server: section of the config; \
            the API is described at /openapi.json. \
            Accounts that rise to PQL or sales-ready are routed at once and their handoffs delivered \
            from the outbox while the server runs.

            Environment:
              SIGNALBOX_WRITE_KEY     write key of a source named "default" (quick start, no config change)
              SIGNALBOX_ADMIN_TOKEN   bearer token for the /api routes (server.admin_token_env names another variable)
              <server.sources.*.write_key_env>   write key of each configured source
              <destinations.*.*_env>  secrets of the destinations routed handoffs are delivered to
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one (default: server.port in the config, else 8080).")
    var port: Int?

    @Option(help: "Address to listen on (default: server.host in the config, else 127.0.0.1).")
    var host: String?

    @Flag(help: "Write logs as one JSON object per line.")
    var jsonLogs = false

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 (any free port) to 65535") }
    }

    func run() async throws {
        let config = try project.loadConfig()
        let environment = ProcessInfo.processInfo.environment
        var settings = config.server
        if let port { settings.port = port }
        if let host { settings.host = host }
        let keys: WriteKeys
        do {
            keys = try ServerLaunch.writeKeys(settings: settings, environment: environment)
        } catch let failure as ServerLaunch.Failure {
            throw fail(failure.description, code: 64)
        }
        let token = environment[settings.adminTokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        let options = SignalboxApplication.Options(settings: settings, writeKeys: keys, adminToken: token)
        let database = ProjectFiles.databasePath(option: project.db, config: config)
        do {
            try await ServerLaunch.run(config: config, databasePath: database, options: options, environment: environment, jsonLogs: jsonLogs)
        } catch let failure as ServerLaunch.Failure {
            throw fail(failure.description, code: 64)
        } catch {
            throw fail("signalbox serve: \(error)", code: 70)
        }
    }
}
