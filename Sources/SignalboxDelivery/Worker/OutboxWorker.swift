import Foundation
import Logging
import SignalboxCore
import SignalboxStore

/// Delivers the transactional outbox: every due message to its destination, at least once, paced
/// per destination, retried with backoff and jitter (honouring `Retry-After`), and moved to dead
/// letters with the reason when the error is permanent or attempts run out.
///
/// ```swift
/// let worker = OutboxWorker(store: store, destinations: try DestinationSet(config.destinations, environment: env, client: .shared))
/// try await worker.drain()          // the CLI: deliver what is due now
/// try await worker.run()            // the server: until cancelled
/// ```
public final class OutboxWorker: Sendable {
    let store: any SignalStore
    let destinations: DestinationSet
    let policy: RetryPolicy
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    let logger: Logger
    let onAttempt: @Sendable (String, DeliveryAttempt.Result) -> Void
    private let pacing: Pacing

    public init(
        store: any SignalStore, destinations: DestinationSet, policy: RetryPolicy = RetryPolicy(),
        now: @escaping @Sendable () -> Date = Date.init, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger = Logger(label: "signalbox.outbox"), onAttempt: @escaping @Sendable (String, DeliveryAttempt.Result) -> Void = { _, _ in }
    ) {
        self.store = store
        self.destinations = destinations
        self.policy = policy
        self.now = now
        self.random = random
        self.logger = logger
        self.onAttempt = onAttempt
        pacing = Pacing(rates: destinations.entries.mapValues(\.ratePerSecond))
    }

    /// Attempts every message due now once, destinations in parallel and each in order, and returns the attempts.
    @discardableResult
    public func deliverDue(limit: Int = 1_000) async throws -> [DeliveryAttempt] {
        let due = try store.dueOutboxMessages(asOf: now(), limit: limit)
        let byDestination = Dictionary(grouping: due, by: \.destination)
        return try await withThrowingTaskGroup(of: [DeliveryAttempt].self) { group in
            for (destination, messages) in byDestination {
                group.addTask {
                    var attempts: [DeliveryAttempt] = []
                    for message in messages { attempts.append(try await self.attempt(message, destination: destination)) }
                    return attempts
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    /// Delivers until nothing is due now; retries that fall due within `waitingUpTo` seconds are waited for.
    public func drain(waitingUpTo patience: TimeInterval = 0) async throws {
        let deadline = now().addingTimeInterval(patience)
        while true {
            let attempts = try await deliverDue()
            if !attempts.isEmpty { continue }
            guard let next = try store.nextOutboxAttempt(), next <= deadline else { return }
            try await Task.sleep(for: .seconds(max(0.01, next.timeIntervalSince(now()))))
        }
    }

    /// Delivers as messages fall due until the task is cancelled, looking for new ones every `poll` seconds.
    public func run(poll: TimeInterval = 0.05) async {
        while !Task.isCancelled {
            do {
                if try await deliverDue().isEmpty {
                    let next = try store.nextOutboxAttempt().map { $0.timeIntervalSince(now()) } ?? poll
                    try await Task.sleep(for: .seconds(min(max(next, 0.005), poll)))
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("outbox delivery failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func attempt(_ message: OutboxMessage, destination: String) async throws -> DeliveryAttempt {
        let attempts = message.attempts + 1
        guard let entry = destinations.entries[destination] else {
            let attempt = DeliveryAttempt(messageId: message.id, attempts: attempts, result: .dead(error: "destination \"\(destination)\" is not configured"))
            try store.recordDelivery(attempt)
            return attempt
        }
        if let until = await pacing.pausedUntil(destination, now: now()) {
            // The receiver asked for quiet: move the message to then without spending an attempt.
            let attempt = DeliveryAttempt(messageId: message.id, attempts: message.attempts, result: .retry(at: until, error: message.lastError ?? "waiting for \(destination)'s Retry-After"))
            try store.recordDelivery(attempt)
            return attempt
        }
        let wait = await pacing.reserve(destination, now: now())
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        let outcome = await entry.adapter.send(message)
        let result: DeliveryAttempt.Result
        switch outcome {
        case .delivered:
            result = .delivered(at: now())
        case .permanent(let reason):
            result = .dead(error: reason)
        case .retry(let after, let reason) where attempts >= entry.maxAttempts:
            result = .dead(error: "gave up after \(attempts) attempts: \(reason)" + (after.map { " (asked to wait \(Int($0)) s)" } ?? ""))
        case .retry(let after, let reason):
            if let after { await pacing.pause(destination, until: now().addingTimeInterval(after)) }
            result = .retry(at: now().addingTimeInterval(policy.delay(afterAttempts: attempts, retryAfter: after, random: random())), error: reason)
        }
        let attempt = DeliveryAttempt(messageId: message.id, attempts: attempts, result: result)
        try store.recordDelivery(attempt)
        onAttempt(destination, result)
        if case .delivered = result {} else {
            logger.warning("handoff not delivered", metadata: ["destination": "\(destination)", "key": "\(message.idempotencyKey)", "result": "\(result)"])
        }
        return attempt
    }
}

/// Per-destination pacing shared by the worker's tasks: the rate limit, and a pause when a receiver
/// asked everyone to wait.
private actor Pacing {
    private var limiters: [String: RateLimiter]
    private var pausedUntil: [String: Date] = [:]

    init(rates: [String: Double]) {
        limiters = rates.mapValues { RateLimiter(perSecond: $0) }
    }

    func reserve(_ destination: String, now: Date) -> TimeInterval {
        limiters[destination]?.reserve(now: now) ?? 0
    }

    /// When the destination may be called again, if it asked to wait beyond `now`.
    func pausedUntil(_ destination: String, now: Date) -> Date? {
        guard let until = pausedUntil[destination], until > now else { return nil }
        return until
    }

    func pause(_ destination: String, until time: Date) {
        pausedUntil[destination] = max(pausedUntil[destination] ?? time, time)
    }
}
