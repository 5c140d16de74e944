import Foundation
import Metrics
import Prometheus
import SignalboxCore
import SignalboxPipeline

/// The server's Prometheus metrics (`/metrics`), recorded through swift-metrics into one registry.
///
/// Names: `signalbox_events_accepted_total{source}`, `signalbox_events_duplicated_total{source}`,
/// `signalbox_events_rejected_total{code}`, `signalbox_batch_commit_seconds`,
/// `signalbox_scoring_lag_seconds` (request received → its accounts rescored and stage transitions
/// committed), `signalbox_accounts_rescored_total`, `signalbox_stage_transitions_total{from,to}`,
/// `signalbox_ingest_requests_total{status}`, `signalbox_route_decisions_total{route,outcome}`,
/// `signalbox_outbox_attempts_total{destination,result}`, `signalbox_sla_steps_total{step}`.
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 40, 50, 75, 100, 250, 1_000].map { .microseconds(Int64($0 * 1_000)) }
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

    /// Records a round of live scoring; pass it as `LiveIngest`'s `onScored`.
    public func scored(_ round: ScoringRound) {
        Metrics.Timer(label: "signalbox_scoring_lag_seconds", dimensions: [], factory: factory).recordNanoseconds(Int64(round.lagSeconds * 1e9))
        Counter(label: "signalbox_accounts_rescored_total", dimensions: [], factory: factory).increment(by: round.accounts)
        transitions(round.transitions)
        handoffs(round.decisions)
    }

    public func handoffs(_ decisions: [RouteDecision]) {
        for decision in decisions {
            Counter(
                label: "signalbox_route_decisions_total", dimensions: [("route", decision.route), ("outcome", decision.outcome.rawValue)], factory: factory
            ).increment()
        }
    }

    public func slaSteps(_ steps: [SLAStepTaken]) {
        for step in steps {
            Counter(label: "signalbox_sla_steps_total", dimensions: [("step", step.step.rawValue)], factory: factory).increment()
        }
    }

    /// Records a delivery attempt; pass it as the outbox worker's `onAttempt`.
    public func delivery(destination: String, result: DeliveryAttempt.Result) {
        let outcome = switch result {
        case .delivered: "delivered"
        case .retry: "retry"
        case .dead: "dead"
        }
        Counter(label: "signalbox_outbox_attempts_total", dimensions: [("destination", destination), ("result", outcome)], factory: factory).increment()
    }

    public func transitions(_ transitions: [StageTransition]) {
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
