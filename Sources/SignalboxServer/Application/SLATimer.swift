import Logging
import ServiceLifecycle
import SignalboxPipeline

/// Moves handoffs' SLA clocks while the server runs: every minute, reminders, reassignments and
/// escalations that fell due are recorded and queued for delivery.
struct SLATimer: Service {
    let live: LiveIngest
    let every: Duration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let steps = try await live.checkSLAs()
                metrics.slaSteps(steps)
                for step in steps { logger.info("SLA \(step.step.rawValue)", metadata: ["handoff": "\(step.handoffId)", "detail": "\(step.detail)"]) }
            } catch {
                logger.error("SLA check failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                return
            }
        }
    }
}
