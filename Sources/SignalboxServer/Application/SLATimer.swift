import Logging
import SignalboxPipeline

/// Moves handoffs' SLA clocks while the server runs: reminders, reassignments and escalations that
/// fell due are recorded and queued for delivery.
enum SLATimer {
    static func service(live: LiveIngest, every: Duration, metrics: ServerMetrics, logger: Logger) -> PeriodicTask {
        PeriodicTask(every: every) {
            do {
                let steps = try await live.checkSLAs()
                metrics.slaSteps(steps)
                for step in steps { logger.info("SLA \(step.step.rawValue)", metadata: ["handoff": "\(step.handoffId)", "detail": "\(step.detail)"]) }
            } catch {
                logger.error("SLA check failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
