import Foundation
import SignalboxCore
import SignalboxStore

/// The live pipeline behind `signalbox serve`: dedupe → resolve identity → update state → score →
/// stage transition, committed before anyone is told the events were accepted.
///
/// One writer thread owns the engine. Requests that arrive while a commit is running wait and are
/// committed together in the next one (group commit), so a synced commit is shared by many
/// requests instead of paid by each. It is the same ``Engine`` and the same store calls as
/// ``ImportJob``, so live ingest and import give the same scores.
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
    private var historyDay: Int?
    /// Set when a failed commit left the engine ahead of the store; it is reloaded before the next job.
    private var needsReload = false

    /// `clock` is read once per commit: it is the as-of time of the scores that commit writes.
    public init(store: any SignalStore, engine: Engine, clock: @escaping @Sendable () -> Date, maxQueuedEvents: Int = 100_000) throws {
        self.store = store
        self.engine = engine
        self.clock = clock
        self.maxQueuedEvents = maxQueuedEvents
        tracker = StageTracker(stages: try store.currentStages())
        let thread = Thread { [self] in runWriter() }
        thread.name = "signalbox-writer"
        self.thread = thread
        thread.start()
    }

    /// Commits the events and scores what they touched; returns once that is durable.
    /// Throws ``LiveIngestError/saturated`` at once when too much is already waiting.
    public func submit(_ submission: IngestSubmission) async throws -> IngestReceipt {
        try await withCheckedThrowingContinuation { continuation in
            queue.enqueue(.ingest(submission, continuation), events: submission.events.count, limit: maxQueuedEvents)
        }
    }

    /// Rescores every account at the clock's time, so decay and windows move stages without new
    /// events; records the transitions. Once a day the scores also go into the score history.
    @discardableResult
    public func reevaluate() async throws -> StageObservation {
        try await perform { live in try live.reevaluateNow() }
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
                    if reloadIfNeeded() { run(self) } else { fail(.storage("the store cannot be read")) }
                }
            }
            commit(ingests)
            queue.finished(events: jobs.reduce(0) { $0 + $1.eventCount })
        }
    }

    /// Commits a group of submissions in one transaction and answers each.
    private func commit(_ group: [(IngestSubmission, CheckedContinuation<IngestReceipt, any Error>)]) {
        guard !group.isEmpty else { return }
        guard reloadIfNeeded() else {
            for (_, continuation) in group { continuation.resume(throwing: LiveIngestError.storage("the store cannot be read")) }
            return
        }
        let now = clock()
        let started = ContinuousClock.now
        var receipts = group.map { IngestReceipt(accepted: 0, duplicates: $0.0.events.count, rejected: $0.0.rejects.count, transitions: [], commitSeconds: 0) }
        do {
            let observation = try store.transaction {
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
                let accounts = Set(touched.map(engine.accountId(ofWorkspace:))).sorted()
                let scores = accounts.compactMap { engine.score(account: $0, asOf: now) }
                try store.saveScores(scores, history: false)
                let observation = tracker.changes(scores)
                try store.recordStages(observation)
                return observation
            }
            tracker.record(observation)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let byAccount = Dictionary(grouping: observation.transitions, by: \.accountId)
            for (index, (submission, continuation)) in group.enumerated() {
                // Each request hears of the transitions of the accounts its own events touched.
                let mine = Set(submission.events.compactMap(\.groupId).map(engine.accountId(ofWorkspace:)))
                receipts[index].transitions = mine.sorted().flatMap { byAccount[$0] ?? [] }
                receipts[index].commitSeconds = seconds
                continuation.resume(returning: receipts[index])
            }
        } catch {
            needsReload = true
            for (_, continuation) in group { continuation.resume(throwing: LiveIngestError.storage(String(describing: error))) }
        }
    }

    private func reevaluateNow() throws -> StageObservation {
        let now = clock()
        let scores = engine.scoreAll(asOf: now)
        let day = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let observation = tracker.changes(scores)
        try store.transaction {
            try store.saveScores(scores, history: historyDay != day)
            try store.recordStages(observation)
        }
        historyDay = day
        tracker.record(observation)
        return observation
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
        try store.transaction {
            try store.upsertCompanies(companies)
            try store.saveScores(scores, history: false)
            try store.recordStages(observation)
        }
        engine = updated
        tracker.record(observation)
        return observation
    }

    /// Brings the engine back in line with the store after a failed commit; false when that fails too.
    private func reloadIfNeeded() -> Bool {
        guard needsReload else { return true }
        do {
            engine = try store.loadEngine(model: engine.model)
            tracker = StageTracker(stages: try store.currentStages())
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

    public init(events: [Event], rejects: [RejectedMessage] = [], source: String) {
        self.events = events
        self.rejects = rejects
        self.source = source
    }
}

/// What became of a submission once it was committed.
public struct IngestReceipt: Sendable, Equatable {
    /// Events stored for the first time.
    public var accepted: Int
    /// Events already stored from this source (a client retry).
    public var duplicates: Int
    public var rejected: Int
    /// Stage changes of the accounts this submission's events touched.
    public var transitions: [StageTransition]
    /// How long the group commit that carried it took.
    public var commitSeconds: Double
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
