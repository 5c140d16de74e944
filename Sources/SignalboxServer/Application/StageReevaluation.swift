import Logging
import SignalboxPipeline

/// Rescores every account on a timer, so that decay and closing windows move stages (a stale
/// account cools down) even when no new events arrive, and accounts waiting for rep capacity are
/// routed once a rep has room.
enum StageReevaluation {
    static func service(live: LiveIngest, every: Duration, metrics: ServerMetrics, logger: Logger) -> PeriodicTask {
        PeriodicTask(every: every) {
            do {
                let round = try await live.reevaluate()
                metrics.transitions(round.transitions)
                metrics.handoffs(round.decisions)
                logger.info("rescored every account", metadata: ["transitions": "\(round.transitions.count)", "handoffs": "\(round.decisions.count)"])
            } catch {
                logger.error("rescoring failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
