import ServiceLifecycle

/// Runs `tick` every `every` while the server runs; a graceful shutdown ends the wait at once
/// instead of after it.
struct PeriodicTask: Service {
    let every: Duration
    let tick: @Sendable () async -> Void

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await tick()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                return
            }
        }
    }
}
