import Logging
import ServiceLifecycle
import SignalboxPipeline

/// Rescores every account on a timer, so that decay and closing windows move stages (a stale
/// account cools down) even when no new events arrive.
struct StageReevaluation: Service {
    let live: LiveIngest
    let every: Duration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let round = try await live.reevaluate()
                metrics.transitions(round.transitions)
                metrics.handoffs(round.decisions)
                logger.info("rescored every account", metadata: ["transitions": "\(round.transitions.count)", "handoffs": "\(round.decisions.count)"])
            } catch {
                logger.error("rescoring failed", metadata: ["error": "\(error)"])
            }
            // A shutdown ends the wait at once instead of after it.
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                return
            }
        }
    }
}
