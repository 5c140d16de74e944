import ServiceLifecycle
import SignalboxDelivery

/// Delivers the outbox while the server runs: handoffs that live scoring routed go out as soon as
/// their transaction commits. A graceful shutdown stops it between messages; what is left pending
/// is sent after the next start.
struct OutboxDelivery: Service {
    let worker: OutboxWorker

    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run() }
    }
}
