import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SignalboxCore
import SignalboxDelivery
import SignalboxPipeline
import SignalboxServer
import SignalboxStore
import Synchronization

/// From the event that crosses the threshold to Slack receiving the handoff, with default settings
/// (the weighted preset's routing, without its reps' daily capacities): `signalbox serve`'s
/// application with its outbox worker, a Slack webhook stand-in on loopback, and a background
/// stream of ordinary product events.
///
/// Each crossing is one `Contact Sales Requested` event for a fitting account (the fast lane makes it
/// sales-ready). It is timed from just before its request is sent to the stand-in receiving the
/// Block Kit message for that account. Crossings are spaced a little over a second apart, Slack's
/// pace for one webhook, so the number measures the pipeline rather than the rate limit.
struct HandoffBenchmark {
    var crossings: Int
    var backgroundEventsPerSecond: Double
    let writeKey = "bench-key"
    let workspaces = 2_000

    func run() async throws {
        let directory = try scratchDirectory("handoff")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "signalbox-bench")
        logger.logLevel = .warning

        let arrivals = Arrivals()
        let slackPort = SharedCount()
        let slack = Application(
            router: slackRouter(arrivals), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { slackPort.value.store($0.localAddress?.port ?? 0, ordering: .relaxed) }, logger: logger
        )

        var config = try Preset.weighted.config()
        config.destinations = [Destination(name: "slack", kind: .slack, settings: ["webhook_url_env": "BENCH_SLACK_WEBHOOK_URL"])]
        for index in config.routing.routes.indices where config.routing.routes[index].motion.isHuman {
            config.routing.routes[index].destinations = ["slack"]
        }
        // The preset's daily capacities would make most crossings wait for tomorrow; this measures speed.
        for team in config.routing.teams.keys {
            for rep in config.routing.teams[team]!.reps.indices { config.routing.teams[team]!.reps[rep].dailyCapacity = nil }
        }
        let store = try SQLiteStore(path: directory + "/bench.sqlite", durability: .machine)
        let metrics = ServerMetrics()
        let live = try LiveIngest(store: store, engine: try store.loadEngine(model: CompiledModel(config)), clock: Date.init, onScored: metrics.scored)
        var options = SignalboxApplication.Options(settings: ServerSettings(), writeKeys: WriteKeys(sources: [writeKey: "bench"]), adminToken: "bench-admin")
        options.port = 0
        options.reevaluateEvery = nil

        let slackGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [slack], gracefulShutdownSignals: [], logger: logger))
        let slackTask = Task { try await slackGroup.run() }
        while slackPort.value.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let webhook = "http://127.0.0.1:\(slackPort.value.load(ordering: .relaxed))/services/bench"
        let destinations = try DestinationSet(config.destinations, environment: ["BENCH_SLACK_WEBHOOK_URL": webhook])
        let worker = OutboxWorker(store: store, destinations: destinations, logger: logger, onAttempt: metrics.delivery)

        let listening = SharedCount()
        let app = SignalboxApplication(store: store, live: live, options: options, metrics: metrics, logger: logger, outbox: worker)
            .make { listening.value.store($0, ordering: .relaxed) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger))
        let server = Task { try await group.run() }
        while listening.value.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32))
        )
        let url = "http://127.0.0.1:\(listening.value.load(ordering: .relaxed))"
        let target = Target(client: client, url: url, writeKey: writeKey)
        // The crossings have their own connection, as a separate client would, not queued behind the background load.
        let crossingClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let crossingTarget = Target(client: crossingClient, url: url, writeKey: writeKey)

        try await setUp(target)
        print("setup: \(workspaces) workspaces and \(crossings) hand-raiser accounts with members and firmographics; Slack stand-in on loopback")
        let background = Task { try await backgroundLoad(target) }
        var sent: [String: ContinuousClock.Instant] = [:]
        let start = ContinuousClock.now + .milliseconds(500)
        for index in 0..<crossings {
            try await Task.sleep(until: start + .seconds(Double(index) * 1.1), clock: .continuous)
            let account = "hr\(index)"
            sent[account] = ContinuousClock.now
            try await crossingTarget.post("/v1/batch", #"{"batch":[{"type":"track","event":"Contact Sales Requested","userId":"hu\#(index)","messageId":"cross-\#(index)","context":{"groupId":"\#(account)"}}]}"#)
        }
        try await Task.sleep(for: .seconds(3))
        background.cancel()
        let received = arrivals.snapshot()
        let latencies = Latencies(sent.compactMap { account, at in received[account].map { milliseconds($0 - at) } })
        print(String(format: "background load       %.0f events/s in 100-event batches", backgroundEventsPerSecond))
        print(String(format: "event → Slack         p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d of %d handoffs received, %d Slack messages in all)",
                     latencies.percentile(50), latencies.percentile(99), latencies.percentile(100), latencies.count, crossings, arrivals.total))
        try await client.shutdown()
        try await crossingClient.shutdown()
        await group.triggerGracefulShutdown()
        try await server.value
        await slackGroup.triggerGracefulShutdown()
        try await slackTask.value
        live.close()
    }

    /// A Slack webhook that notes when each account's handoff arrives (from the message's context line).
    private func slackRouter(_ arrivals: Arrivals) -> Hummingbird.Router<BasicRequestContext> {
        let router = Hummingbird.Router()
        router.post("/services/bench") { request, _ -> String in
            let body = try await request.body.collect(upTo: 1 << 20)
            let now = ContinuousClock.now
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            let blocks = json?["blocks"] as? [[String: Any]] ?? []
            let context = blocks.last { $0["type"] as? String == "context" }
            let text = (context?["elements"] as? [[String: Any]])?.first?["text"] as? String ?? ""
            let parts = text.components(separatedBy: " · ")
            arrivals.record(parts.count > 1 ? parts[1] : "?", at: now)
            return "ok"
        }
        return router
    }

    /// Ordinary workspaces and the hand-raiser accounts: members, domains, firmographics, some use.
    private func setUp(_ target: Target) async throws {
        var messages: [String] = []
        for workspace in 0..<workspaces {
            messages.append(#"{"type":"identify","userId":"u\#(workspace)","traits":{"email":"lee@co\#(workspace).com","title":"Engineer"}}"#)
            messages.append(#"{"type":"group","userId":"u\#(workspace)","groupId":"ws\#(workspace)","traits":{"name":"Company \#(workspace)","domain":"co\#(workspace).com"}}"#)
        }
        for index in 0..<crossings {
            messages.append(#"{"type":"identify","userId":"hu\#(index)","traits":{"email":"ana@raiser\#(index).com","name":"Ana \#(index)","title":"VP Data"}}"#)
            messages.append(#"{"type":"group","userId":"hu\#(index)","groupId":"hr\#(index)","traits":{"name":"Raiser \#(index)","domain":"raiser\#(index).com"}}"#)
            messages.append(#"{"type":"track","event":"Project Created","userId":"hu\#(index)","messageId":"hp-\#(index)","context":{"groupId":"hr\#(index)"}}"#)
        }
        for start in stride(from: 0, to: messages.count, by: 500) {
            try await target.post("/v1/batch", #"{"batch":[\#(messages[start..<min(start + 500, messages.count)].joined(separator: ","))]}"#)
        }
        let companies = (0..<workspaces).map { #"{"domain":"co\#($0).com","employees":400,"industry":"Software","country":"US"}"# }
            + (0..<crossings).map { #"{"domain":"raiser\#($0).com","name":"Raiser \#($0)","employees":800,"industry":"Software","country":"US"}"# }
        try await target.post("/api/firmographics", #"{"companies":[\#(companies.joined(separator: ","))]}"#, method: .PUT, bearer: "bench-admin")
    }

    /// Product events that touch the ordinary workspaces only, on a fixed schedule.
    private func backgroundLoad(_ target: Target) async throws {
        let interval = 100 / backgroundEventsPerSecond
        let start = ContinuousClock.now
        var sequence = 0
        while !Task.isCancelled {
            try await Task.sleep(until: start + .seconds(Double(sequence) * interval), clock: .continuous)
            let messages = (0..<100).map { index in
                #"{"type":"track","event":"Report Created","userId":"u\#((sequence * 100 + index) % workspaces)","messageId":"bg-\#(sequence)-\#(index)","context":{"groupId":"ws\#((sequence * 100 + index) % workspaces)"}}"#
            }
            let body = #"{"batch":[\#(messages.joined(separator: ","))]}"#
            Task { try? await target.post("/v1/batch", body) }
            sequence += 1
        }
    }
}

/// When each account's handoff reached the Slack stand-in.
private final class Arrivals: Sendable {
    private let state = Mutex<(first: [String: ContinuousClock.Instant], total: Int)>(([:], 0))

    func record(_ account: String, at time: ContinuousClock.Instant) {
        state.withLock { state in
            if state.first[account] == nil { state.first[account] = time }
            state.total += 1
        }
    }

    func snapshot() -> [String: ContinuousClock.Instant] { state.withLock { $0.first } }
    var total: Int { state.withLock { $0.total } }
}
