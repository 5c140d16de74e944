import Foundation
import SignalboxCore
import SignalboxStore

/// The live pipeline behind `signalbox serve`: dedupe → resolve identity → update state, committed
/// before anyone is told the events were accepted; then score → stage transition → route → outbox
/// for the accounts they touched, committed together right after.
///
/// One writer thread owns the engine. Requests that arrive while a commit is running wait and are
/// committed together in the next one (group commit), so a synced commit is shared by many
/// requests instead of paid by each. Scoring runs after the acknowledgement, as the slow work of an
/// ingest gateway should; a crash in between loses no transition, because the first rescoring after
/// a restart compares every account with its last recorded stage. It is the same ``Engine`` and the
/// same store calls as ``ImportJob``, so live ingest and import give the same scores.
///
/// ```swift
/// let live = LiveIngest(store: store, engine: try store.loadEngine(model: model), clock: Date.init)
/// let receipt = try await live.submit(IngestSubmission(events: events, source: "web_app"))
/// ```
public final class LiveIngest: @unchecked Sendable {
    private let store: any SignalStore
    private let clock: @Sendable () -> Date
    private let maxQueuedEvents: Int
    private let queue = WorkQueue()
    private var thread: Thread?

    // Touched only by the writer thread.
    private var engine: Engine
    private var tracker: StageTracker
    private var routing: LiveRouting
    private var historyDay: Int?
    /// Accounts whose events are committed but not yet rescored, and when the oldest of those events arrived.
    private var unscored = Set<String>()
    private var oldestUnscored: ContinuousClock.Instant?
    private let onScored: @Sendable (ScoringRound) -> Void
    /// Set when a failed commit left the engine ahead of the store; it is reloaded before the next job.
    private var needsReload = false

    /// `clock` is read once per scoring round: it is the as-of time of the scores that round writes.
    /// `onScored` hears of every round that recorded scores (on the writer thread: keep it short).
    public init(
        store: any SignalStore, engine: Engine, clock: @escaping @Sendable () -> Date, maxQueuedEvents: Int = 100_000,
        onScored: @escaping @Sendable (ScoringRound) -> Void = { _ in }
    ) throws {
        self.store = store
        self.engine = engine
        self.clock = clock
        self.maxQueuedEvents = maxQueuedEvents
        self.onScored = onScored
        tracker = StageTracker(stages: try store.currentStages())
        routing = try LiveRouting(store: store, model: engine.model, now: clock())
        try store.prepareLiveAppends()
        let thread = Thread { [self] in runWriter() }
        thread.name = "signalbox-writer"
        self.thread = thread
        thread.start()
    }

    /// Commits the events; returns once that is durable. The accounts they touched are rescored next.
    /// Throws ``LiveIngestError/saturated`` at once when too much is already waiting.
    public func submit(_ submission: IngestSubmission) async throws -> IngestReceipt {
        try await withCheckedThrowingContinuation { continuation in
            queue.enqueue(.ingest(submission, continuation), events: submission.events.count, limit: maxQueuedEvents)
        }
    }

    /// Rescores every account at the clock's time, so decay and windows move stages without new
    /// events; records the transitions and routes the accounts that rose. Once a day the scores
    /// also go into the score history.
    @discardableResult
    public func reevaluate() async throws -> ScoringRound {
        try await perform { live in try live.reevaluateNow() }
    }

    /// Takes the SLA steps due now (reminders, reassignments, escalations) on the writer, so a
    /// reassignment's round-robin turn and live routing's never cross.
    @discardableResult
    public func checkSLAs() async throws -> [SLAStepTaken] {
        try await perform { live in try live.takeSLASteps() }
    }

    /// Adds or replaces firmographics and rescores the accounts of those domains.
    @discardableResult
    public func upsertCompanies(_ companies: [Company]) async throws -> StageObservation {
        try await perform { live in try live.applyCompanies(companies) }
    }

    /// Runs `body` on the writer with the engine as of the last commit and the clock's time. Keep it
    /// short: commits wait meanwhile. For long reads, return the engine itself (a copy).
    public func read<T: Sendable>(_ body: @escaping @Sendable (Engine, Date) throws -> T) async throws -> T {
        try await perform { live in try body(live.engine, live.clock()) }
    }

    /// Finishes what is queued, then stops the writer. Later submissions fail with ``LiveIngestError/closed``.
    public func close() {
        queue.close()
        while thread?.isFinished == false { Thread.sleep(forTimeInterval: 0.001) }
    }

    private func perform<T: Sendable>(_ body: @escaping @Sendable (LiveIngest) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.enqueue(
                .task(run: { live in continuation.resume(with: Result { try body(live) }) }, fail: { continuation.resume(throwing: $0) }),
                events: 0, limit: .max
            )
        }
    }

    // MARK: Writer thread

    private func runWriter() {
        while let jobs = queue.next() {
            var ingests: [(IngestSubmission, CheckedContinuation<IngestReceipt, any Error>)] = []
            for job in jobs {
                switch job {
                case .ingest(let submission, let continuation):
                    ingests.append((submission, continuation))
                case .task(let run, let fail):
                    commit(ingests)
                    ingests = []
                    scoreTouched()
                    if reloadIfNeeded() { run(self) } else { fail(.storage("the store cannot be read")) }
                }
            }
            commit(ingests)
            queue.finished(events: jobs.reduce(0) { $0 + $1.eventCount })
            scoreTouched()
        }
    }

    /// Commits a group of submissions in one transaction and answers each.
    private func commit(_ group: [(IngestSubmission, CheckedContinuation<IngestReceipt, any Error>)]) {
        guard !group.isEmpty else { return }
        guard reloadIfNeeded() else {
            for (_, continuation) in group { continuation.resume(throwing: LiveIngestError.storage("the store cannot be read")) }
            return
        }
        let started = ContinuousClock.now
        var receipts = group.map { IngestReceipt(accepted: 0, duplicates: $0.0.events.count, rejected: $0.0.rejects.count, commitSeconds: 0) }
        do {
            let touched = try store.transaction {
                var fresh: [Event] = []
                for (index, (submission, _)) in group.enumerated() {
                    let new = try store.appendEvents(submission.events, source: submission.source)
                    receipts[index].accepted = new.count
                    receipts[index].duplicates = submission.events.count - new.count
                    fresh += new
                }
                try store.recordRejects(group.flatMap(\.0.rejects))
                let touched = engine.ingest(fresh)
                try store.saveEngine(engine, changes: engine.takeChanges())
                return touched
            }
            let seconds = LiveIngest.seconds(ContinuousClock.now - started)
            for (index, (_, continuation)) in group.enumerated() {
                receipts[index].commitSeconds = seconds
                continuation.resume(returning: receipts[index])
            }
            if !touched.isEmpty {
                unscored.formUnion(touched.map(engine.accountId(ofWorkspace:)))
                let arrived = group.map(\.0.arrived).min() ?? started
                oldestUnscored = min(oldestUnscored ?? arrived, arrived)
            }
        } catch {
            needsReload = true
            for (_, continuation) in group { continuation.resume(throwing: LiveIngestError.storage(String(describing: error))) }
        }
    }

    /// Rescores the accounts committed events touched and records their stage changes. On failure
    /// they stay pending for the next round.
    private func scoreTouched() {
        guard !unscored.isEmpty, let since = oldestUnscored else { return }
        let now = clock()
        let scores = unscored.sorted().compactMap { engine.score(account: $0, asOf: now) }
        let observation = tracker.changes(scores)
        let routed = routing.plan(observation, scores: scores, engine: engine, retryDeferred: false)
        do {
            try store.transaction {
                try store.saveScores(scores, history: false)
                try store.recordStages(observation)
                if !routed.decisions.isEmpty { try store.recordRouting(routed.decisions, credits: routed.state.ledger.credits) }
            }
        } catch {
            return
        }
        tracker.record(observation)
        routing.adopt(routed.state)
        unscored = []
        oldestUnscored = nil
        onScored(ScoringRound(
            accounts: scores.count, transitions: observation.transitions, decisions: routed.decisions,
            lagSeconds: LiveIngest.seconds(ContinuousClock.now - since)
        ))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func reevaluateNow() throws -> ScoringRound {
        let now = clock()
        let scores = engine.scoreAll(asOf: now)
        let day = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let observation = tracker.changes(scores)
        let routed = routing.plan(observation, scores: scores, engine: engine, retryDeferred: true)
        try store.transaction {
            try store.saveScores(scores, history: historyDay != day)
            try store.recordStages(observation)
            if !routed.decisions.isEmpty { try store.recordRouting(routed.decisions, credits: routed.state.ledger.credits) }
        }
        historyDay = day
        tracker.record(observation)
        routing.adopt(routed.state)
        unscored = []
        oldestUnscored = nil
        return ScoringRound(accounts: scores.count, transitions: observation.transitions, decisions: routed.decisions, lagSeconds: 0)
    }

    private func takeSLASteps() throws -> [SLAStepTaken] {
        var state = routing.state
        let steps = try SLARun(store: store, routing: engine.model.config.routing).tick(now: clock(), ledger: &state.ledger)
        routing.adopt(state)
        return steps
    }

    private func applyCompanies(_ companies: [Company]) throws -> StageObservation {
        let now = clock()
        var updated = engine
        for company in companies { updated.companies[company.domain] = company }
        let domains = Set(companies.map(\.domain))
        let personal = updated.model.config.identity.personalDomains
        let accounts = updated.accounts().filter { _, workspaces in
            workspaces.contains { updated.identity.domain(of: $0, personalDomains: personal).map(domains.contains) ?? false }
        }
        let scores = accounts.keys.sorted().compactMap { updated.score(account: $0, asOf: now) }
        let observation = tracker.changes(scores)
        let routed = routing.plan(observation, scores: scores, engine: updated, retryDeferred: false)
        try store.transaction {
            try store.upsertCompanies(companies)
            try store.saveScores(scores, history: false)
            try store.recordStages(observation)
            if !routed.decisions.isEmpty { try store.recordRouting(routed.decisions, credits: routed.state.ledger.credits) }
        }
        engine = updated
        tracker.record(observation)
        routing.adopt(routed.state)
        return observation
    }

    /// Brings the engine back in line with the store after a failed commit; false when that fails too.
    private func reloadIfNeeded() -> Bool {
        guard needsReload else { return true }
        do {
            engine = try store.loadEngine(model: engine.model)
            tracker = StageTracker(stages: try store.currentStages())
            routing = try LiveRouting(store: store, model: engine.model, now: clock())
            needsReload = false
            return true
        } catch {
            return false
        }
    }
}

/// Events from one request, already decoded, with the messages of it that could not be used.
public struct IngestSubmission: Sendable {
    public var events: [Event]
    public var rejects: [RejectedMessage]
    /// Dedupe scope: the source's name.
    public var source: String
    /// When the request arrived (a monotonic instant), for the scoring lag.
    public var arrived: ContinuousClock.Instant

    public init(events: [Event], rejects: [RejectedMessage] = [], source: String, arrived: ContinuousClock.Instant = .now) {
        self.events = events
        self.rejects = rejects
        self.source = source
        self.arrived = arrived
    }
}

/// What became of a submission once it was committed.
public struct IngestReceipt: Sendable, Equatable {
    /// Events stored for the first time.
    public var accepted: Int
    /// Events already stored from this source (a client retry).
    public var duplicates: Int
    public var rejected: Int
    /// How long the group commit that carried it took.
    public var commitSeconds: Double
}

/// One round of live scoring: accounts rescored after their events were committed.
public struct ScoringRound: Sendable {
    public var accounts: Int
    public var transitions: [StageTransition]
    /// Routing decisions for the accounts that moved up, recorded with the transitions.
    public var decisions: [RouteDecision]
    /// From the arrival of the oldest event in the round to its transitions being committed.
    public var lagSeconds: Double
}

/// Why live ingest did not take a submission.
public enum LiveIngestError: Error, Equatable, CustomStringConvertible {
    /// Too many events are waiting to be committed; try again shortly.
    case saturated
    /// The store could not commit; nothing of the submission was kept.
    case storage(String)
    /// The pipeline is shutting down.
    case closed

    public var description: String {
        switch self {
        case .saturated: "too many events are waiting to be committed; retry shortly"
        case .storage(let reason): "events could not be committed: \(reason)"
        case .closed: "the server is shutting down"
        }
    }
}
