import Foundation
import Metrics
import Prometheus
import SignalboxCore

/// The server's Prometheus metrics (`/metrics`), recorded through swift-metrics into one registry.
///
/// Names: `signalbox_events_accepted_total{source}`, `signalbox_events_duplicated_total{source}`,
/// `signalbox_events_rejected_total{code}`, `signalbox_batch_commit_seconds`,
/// `signalbox_scoring_lag_seconds` (request received → its accounts rescored and stages recorded),
/// `signalbox_stage_transitions_total{from,to}`, `signalbox_ingest_requests_total{status}`.
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)]
        factory.durationHistogramBuckets = ["signalbox_batch_commit_seconds": fast, "signalbox_scoring_lag_seconds": fast]
        self.factory = factory
    }

    func accepted(_ count: Int, source: String) {
        guard count > 0 else { return }
        Counter(label: "signalbox_events_accepted_total", dimensions: [("source", source)], factory: factory).increment(by: count)
    }

    func duplicated(_ count: Int, source: String) {
        guard count > 0 else { return }
        Counter(label: "signalbox_events_duplicated_total", dimensions: [("source", source)], factory: factory).increment(by: count)
    }

    func rejected(code: String) {
        Counter(label: "signalbox_events_rejected_total", dimensions: [("code", code)], factory: factory).increment()
    }

    func request(status: Int) {
        Counter(label: "signalbox_ingest_requests_total", dimensions: [("status", String(status))], factory: factory).increment()
    }

    func commit(seconds: Double) {
        Metrics.Timer(label: "signalbox_batch_commit_seconds", dimensions: [], factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    func scoringLag(seconds: Double) {
        Metrics.Timer(label: "signalbox_scoring_lag_seconds", dimensions: [], factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    func transitions(_ transitions: [StageTransition]) {
        for transition in transitions {
            Counter(
                label: "signalbox_stage_transitions_total",
                dimensions: [("from", transition.from?.rawValue ?? "new"), ("to", transition.to.rawValue)], factory: factory
            ).increment()
        }
    }

    /// The registry in Prometheus text format.
    public func exposition() -> String {
        registry.emitToString()
    }
}
