import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import NIOCore
import NIOHTTP1
import SignalboxCore
import SignalboxPipeline
import SignalboxServer
import SignalboxStore
import Synchronization

/// Live ingest over loopback: `signalbox serve`'s application on a synced (power-loss durable)
/// SQLite store, driven by an HTTP load generator in the same process, as clients send: 100-event
/// batches to `/v1/batch` with Basic auth.
///
/// 1. Sustained throughput: 32 connections send back to back for `seconds`.
/// 2. Latency at half that load: requests are sent on a fixed schedule (open loop, so a slow
///    answer cannot hold back the next request) and timed from when they were due.
///    One request in ten carries a hand-raise that moves a fitting account to sales-ready; the
///    transition is recorded in the same commit as the event, before the 200, so the ack time of
///    those requests bounds "event → transition recorded".
struct ServeBenchmark {
    var seconds: Double
    /// Events per second of the latency phase; half the sustained rate when nil.
    var pacedRate: Double?
    let writeKey = "bench-key"
    let workspaces = 2_000
    let connections = 32

    func run() async throws {
        let directory = try scratchDirectory("serve")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(path: directory + "/bench.sqlite", durability: .machine)
        let model = CompiledModel(try Preset.weighted.config())
        let metrics = ServerMetrics()
        let live = try LiveIngest(store: store, engine: try store.loadEngine(model: model), clock: Date.init, onScored: metrics.scored)
        var options = SignalboxApplication.Options(settings: ServerSettings(), writeKeys: WriteKeys(sources: [writeKey: "bench"]), adminToken: "bench-admin")
        options.port = 0
        options.reevaluateEvery = nil
        var logger = Logger(label: "signalbox-bench")
        logger.logLevel = .warning
        let listening = SharedCount()
        let app = SignalboxApplication(store: store, live: live, options: options, metrics: metrics, logger: logger).make { listening.value.store($0, ordering: .relaxed) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger))
        let server = Task { try await group.run() }
        while listening.value.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections))
        )
        let target = Target(client: client, url: "http://127.0.0.1:\(listening.value.load(ordering: .relaxed))", writeKey: writeKey)

        try await setUp(target)
        print("setup: \(workspaces) workspaces with members and firmographics; 100 events per request, durable acks (synchronous = FULL)")

        let sustained = try await throughput(target)
        print(String(format: "sustained ingest      %8.0f events/s  (%d connections, %.0f s, %d requests)", sustained.eventsPerSecond, connections, seconds, sustained.requests))
        print(String(format: "  ack latency         p50 %.1f ms  p99 %.1f ms (closed loop, %d in flight)", sustained.latency.percentile(50), sustained.latency.percentile(99), connections))

        let halfRate = pacedRate ?? sustained.eventsPerSecond / 2
        // Let the backlog of the saturated phase drain before timing the paced one.
        try await Task.sleep(for: .seconds(2))
        let lagBefore = LagHistogram(metrics.exposition())
        let commitBefore = LagHistogram(metrics.exposition(), metric: "signalbox_batch_commit_seconds")
        let paced = try await pacedLatency(target, eventsPerSecond: halfRate)
        try await Task.sleep(for: .milliseconds(200))
        let lag = LagHistogram(metrics.exposition()).minus(lagBefore)
        let commits = LagHistogram(metrics.exposition(), metric: "signalbox_batch_commit_seconds").minus(commitBefore)
        print(String(format: "%@ %8.0f events/s  (%d requests on a fixed schedule)", pacedRate == nil ? "at half load         " : "at a set load        ", halfRate, paced.all.count))
        print(String(format: "  ack latency         p50 %.1f ms  p99 %.1f ms  max %.1f ms", paced.all.percentile(50), paced.all.percentile(99), paced.all.percentile(100)))
        print(String(format: "  event → transition  p50 ≤ %.1f ms  p99 ≤ %.1f ms  (server's scoring lag: arrival → rescored, transitions committed; %d rounds)",
                     lag.quantile(0.5), lag.quantile(0.99), lag.count))
        print(String(format: "  group commit        p50 ≤ %.1f ms  p99 ≤ %.1f ms (time in the events transaction, per request)", commits.quantile(0.5), commits.quantile(0.99)))
        print(String(format: "  hand-raises         %d sent, %d sales-ready transitions recorded in all", paced.transitions.count, try transitionsRecorded(store)))
        print(String(format: "peak memory           %.0f MiB (server and load generator together)", peakResidentMegabytes()))
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        try await server.value
        live.close()
    }

    // MARK: Phases

    /// Members and a domain for every workspace, and firmographics that make each a good fit.
    private func setUp(_ target: Target) async throws {
        var messages: [String] = []
        for workspace in 0..<(workspaces * 2) {
            messages.append(#"{"type":"identify","userId":"u\#(workspace)-0","traits":{"email":"lee@co\#(workspace).com","title":"VP Engineering"}}"#)
            messages.append(#"{"type":"group","userId":"u\#(workspace)-0","groupId":"ws\#(workspace)","traits":{"name":"Company \#(workspace)","domain":"co\#(workspace).com"}}"#)
        }
        for start in stride(from: 0, to: messages.count, by: 500) {
            try await target.post("/v1/batch", #"{"batch":[\#(messages[start..<min(start + 500, messages.count)].joined(separator: ","))]}"#)
        }
        let companies = (0..<(workspaces * 2)).map { #"{"domain":"co\#($0).com","employees":400,"industry":"Software","country":"US"}"# }
        try await target.post("/api/firmographics", #"{"companies":[\#(companies.joined(separator: ","))]}"#, method: .PUT, bearer: "bench-admin")
    }

    private func throughput(_ target: Target) async throws -> (eventsPerSecond: Double, requests: Int, latency: Latencies) {
        let counter = SharedCount()
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var mine: [Double] = []
                    while ContinuousClock.now < deadline {
                        let sequence = counter.value.add(1, ordering: .relaxed).newValue
                        let sent = ContinuousClock.now
                        try await target.post("/v1/batch", batch(sequence))
                        mine.append(milliseconds(ContinuousClock.now - sent))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        return (Double(latencies.count * 100) / milliseconds(elapsed) * 1_000, latencies.count, Latencies(latencies))
    }

    private func pacedLatency(_ target: Target, eventsPerSecond: Double) async throws -> (all: Latencies, transitions: Latencies) {
        let interval = 100 / eventsPerSecond
        let count = Int(seconds / interval)
        let base = 10_000_000
        let start = ContinuousClock.now + .milliseconds(100)
        let results = try await withThrowingTaskGroup(of: (Double, Bool).self) { group in
            for index in 0..<count {
                let due = start + .seconds(Double(index) * interval)
                try await Task.sleep(until: due, clock: .continuous)
                let raisesHand = index % 10 == 0
                let body = batch(base + index, handRaiser: raisesHand ? workspaces + index / 10 : nil)
                group.addTask {
                    try await target.post("/v1/batch", body)
                    return (milliseconds(ContinuousClock.now - due), raisesHand)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        return (Latencies(results.map { $0.0 }), Latencies(results.filter { $0.1 }.map { $0.0 }))
    }

    private func transitionsRecorded(_ store: SQLiteStore) throws -> Int {
        try store.stageTransitions(after: 0, account: nil, limit: 1_000_000).filter { $0.transition.to == .salesReady }.count
    }

    // MARK: Requests

    /// 100 product events: bursts of 10 from each of 10 workspaces (a batch holds what a client saw in
    /// its last flush interval); with `handRaiser`, one of them asks for sales.
    private func batch(_ sequence: Int, handRaiser: Int? = nil) -> String {
        let names = ["Project Created", "Report Created", "Pricing Viewed", "Teammate Invited", "Dashboard Viewed"]
        var messages: [String] = []
        messages.reserveCapacity(100)
        for index in 0..<100 {
            let workspace = (sequence &* 7919 &+ (index / 10) &* 104_729) % workspaces
            var event = names[(sequence + index) % names.count]
            var group = workspace
            if index == 0, let handRaiser {
                event = "Contact Sales Requested"
                group = handRaiser
            }
            messages.append(#"{"type":"track","event":"\#(event)","userId":"u\#(group)-0","messageId":"m\#(sequence)-\#(index)","context":{"groupId":"ws\#(group)"},"properties":{"n":\#(index)}}"#)
        }
        return #"{"batch":[\#(messages.joined(separator: ","))]}"#
    }
}

/// A latency histogram from the Prometheus text: cumulative counts by upper bound.
private struct LagHistogram {
    var buckets: [(bound: Double, count: Double)]

    init(_ exposition: String, metric: String = "signalbox_scoring_lag_seconds") {
        let prefix = metric + "_bucket{le=\""
        buckets = exposition.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(prefix), let close = line.firstIndex(of: "}") else { return nil }
            let bound = line[line.index(line.startIndex, offsetBy: prefix.count)..<line.index(before: close)]
            guard let count = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else { return nil }
            return (bound == "+Inf" ? .infinity : Double(bound) ?? .infinity, count)
        }
    }

    private init(buckets: [(bound: Double, count: Double)]) {
        self.buckets = buckets
    }

    func minus(_ earlier: LagHistogram) -> LagHistogram {
        LagHistogram(buckets: buckets.enumerated().map { index, bucket in
            (bucket.bound, bucket.count - (index < earlier.buckets.count ? earlier.buckets[index].count : 0))
        })
    }

    var count: Int { Int(buckets.last?.count ?? 0) }

    /// The upper bound, in milliseconds, of the bucket holding quantile `q`.
    func quantile(_ q: Double) -> Double {
        let target = q * Double(count)
        return (buckets.first { $0.count >= target }?.bound ?? .infinity) * 1_000
    }
}
