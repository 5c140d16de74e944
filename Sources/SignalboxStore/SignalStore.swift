import Foundation
import SignalboxCore

/// Where Signalbox keeps events, identity, account state and scores.
///
/// One conformance suite (`SignalStoreConformance` in the tests) runs against every implementation,
/// so a new backend can be added without touching Core.
/// ```swift
/// let store = try SQLiteStore(path: "signalbox.sqlite")
/// var engine = try store.loadEngine(model: model)
/// let fresh = try store.appendEvents(events, source: "import")
/// engine.ingest(fresh)
/// try store.saveEngine(engine, changes: engine.takeChanges())
/// ```
public protocol SignalStore: Sendable {
    /// Rebuilds the engine from what is stored. When the model's signals changed since the state was
    /// written, the state is rebuilt by replaying stored events under the new model.
    func loadEngine(model: CompiledModel) throws -> Engine

    /// Stores the events not seen before from this source (by message id) and returns them; the
    /// rest are duplicates. Inside a ``transaction(_:)`` nothing is kept if the transaction fails.
    /// The array is consumed: a caller that hands over its only copy lets the repeats be removed in
    /// place, with no copy of the rest.
    func appendEvents(_ events: consuming [Event], source: String) throws -> [Event]

    /// Persists an engine's changed rows (workspace states, identity rows, parked activity), encoded
    /// beforehand; what did not change is not rewritten. ``saveEngine(_:changes:)`` encodes and saves.
    func saveEngine(_ rows: EngineRows) throws

    /// Runs `body` in one transaction: every write inside commits or rolls back together.
    func transaction<T>(_ body: () throws -> T) throws -> T

    /// Writes now what the appends of the open ``transaction(_:)`` leave for its commit (for SQLite:
    /// the last batch row, the bulk dedupe keys and the pages they changed), so a caller with other
    /// work in flight, such as an import waiting for its engine, overlaps the two. Appends may follow.
    /// Stores with nothing pending do nothing.
    func finishAppends() throws

    /// Readies what small appends need (for SQLite, the filter of the bulk dedupe level), so a
    /// live server's first request does not pay for it. Stores that need nothing do nothing.
    func prepareLiveAppends() throws

    /// Records messages that could not be used, with where they came from.
    func recordRejects(_ rejects: [RejectedMessage]) throws

    /// Adds or replaces firmographics, keyed by domain.
    func upsertCompanies(_ companies: [Company]) throws

    /// Stored events up to `until` (all when nil), in the order they were stored, carrying the
    /// `properties` members selected. Replays do not need time order: the engine's updates commute.
    func forEachEvent(until: Date?, properties: PropertySelection, _ body: (Event) throws -> Void) throws

    /// Calls `body` for every stored event with a time after `after` and up to `until`, in stored
    /// order, carrying the `properties` members selected.
    func forEachEvent(after: Date, until: Date, properties: PropertySelection, _ body: (Event) throws -> Void) throws

    /// The newest stored events that `isWanted` accepts, newest first; only the last stored
    /// batches are searched, so this is for a look at recent activity, not a query over history.
    func recentEvents(limit: Int, matching isWanted: (Event) -> Bool) throws -> [Event]

    /// Saves scores as each account's latest; `history` also appends them to its score history.
    func saveScores(_ scores: [AccountScore], history: Bool) throws

    /// Latest saved scores, highest total first, optionally only one stage. They carry reasons but
    /// not the per-signal breakdown (`contributions`, `fitMatches` are empty): score the account for that.
    func latestScores(stage: Stage?, limit: Int, offset: Int) throws -> ScorePage

    /// The stage live scoring last saw each account in.
    func currentStages() throws -> [String: Stage]

    /// Records new stages and the transitions between them.
    func recordStages(_ observation: StageObservation) throws

    /// Recorded stage transitions after `id` (0 for the first), oldest first, optionally of one account.
    func stageTransitions(after id: Int64, account: String?, limit: Int) throws -> [RecordedTransition]

    /// What earlier routing decided that the next decision depends on, as of `asOf`.
    func routingLedger(asOf: Date) throws -> RoutingLedger

    /// Handoffs whose SLA fell due by `now` with no disposition, not yet reassigned or escalated,
    /// with the SLA steps each has taken.
    func openHandoffs(dueBy now: Date) throws -> [OpenHandoff]

    /// Records an SLA step in one transaction with what it makes: the new handoff of a
    /// reassignment (and the round-robin credits after it), or the reminder or escalation notices
    /// for the handoff's destinations.
    func recordSLAStep(_ taken: SLAStepTaken, credits: [String: [String: Double]]) throws

    /// Stores conversions and losses from `source` (`file`, `api`, …); a repeat of a stored outcome
    /// updates its ACV. Returns how many were new.
    func recordOutcomes(_ outcomes: [Outcome], source: String) throws -> Int

    /// Every stored outcome, oldest first.
    func outcomes() throws -> [Outcome]

    /// Accounts whose latest routing decision left them waiting for rep capacity.
    func deferredAccounts() throws -> Set<String>

    /// One recorded routing decision (a handoff's id is its decision's id).
    func routeDecision(id: Int64) throws -> RecordedDecision?

    /// Records a rep's verdict on a handoff; false when no handoff has that id.
    func recordDisposition(_ disposition: Disposition) throws -> Bool

    /// The latest verdict on a handoff.
    func disposition(handoff id: Int64) throws -> Disposition?

    /// Every judged handoff with its latest verdict: labels for training.
    func handoffLabels() throws -> [HandoffLabel]

    /// The outbox messages of one handoff.
    func outboxMessages(handoff id: Int64) throws -> [OutboxMessage]

    /// Pending outbox messages whose next attempt is due at `asOf`, oldest first.
    func dueOutboxMessages(asOf: Date, limit: Int) throws -> [OutboxMessage]

    /// When the earliest pending outbox message may be attempted; nil when none is pending.
    func nextOutboxAttempt() throws -> Date?

    /// Records what a delivery attempt came to.
    func recordDelivery(_ attempt: DeliveryAttempt) throws

    /// Outbox messages, newest first, optionally in one status.
    func outboxMessages(status: OutboxMessage.Status?, limit: Int) throws -> [OutboxMessage]

    /// Sends messages in `status` (dead letters to retry, delivered ones to replay) again from `at`:
    /// all of them, or those with `ids`. Returns how many were requeued.
    func requeueOutbox(ids: [Int64]?, from status: OutboxMessage.Status, at: Date) throws -> Int

    /// Records routing decisions and the round-robin credits after them, together, and enqueues each
    /// handoff in the outbox for each of its destinations in the same transaction.
    func recordRouting(_ decisions: [RouteDecision], credits: [String: [String: Double]]) throws

    /// Recorded routing decisions after `id` (0 for the first), oldest first, optionally of one account.
    func routeDecisions(after id: Int64, account: String?, limit: Int) throws -> [RecordedDecision]

    /// Score history by account, oldest first.
    func scoreHistory() throws -> [String: [ScorePoint]]

    /// One account's score history, oldest first.
    func scoreHistory(account: String) throws -> [ScorePoint]

    /// Rejected messages, newest first.
    func rejects(limit: Int) throws -> [RejectedMessage]

    /// Whether the store answers a query now.
    func isReachable() -> Bool

    /// Counts of what is stored.
    func statistics() throws -> StoreStatistics
}

extension SignalStore {
    /// Persists what `changes` names (workspace states, identity rows, parked activity) as it is in
    /// `engine`: encodes the rows on every core (``EngineRows``), then writes them.
    public func saveEngine(_ engine: Engine, changes: EngineChanges) throws {
        try saveEngine(EngineRows(engine, changes: changes))
    }

    public func finishAppends() throws {}

    public func prepareLiveAppends() throws {}

    /// Stored events up to `until` (all when nil), in stored order, with every property.
    public func forEachEvent(until: Date?, _ body: (Event) throws -> Void) throws {
        try forEachEvent(until: until, properties: .all, body)
    }

    /// Stored events after `after` and up to `until`, in stored order, with every property.
    public func forEachEvent(after: Date, until: Date, _ body: (Event) throws -> Void) throws {
        try forEachEvent(after: after, until: until, properties: .all, body)
    }
}

/// A message that was read but not used, kept for an operator.
public struct RejectedMessage: Sendable, Equatable {
    public var source: String
    /// File and line (`events.ndjson:12`) or request and index.
    public var location: String
    public var code: String
    public var message: String
    public var payload: String

    public init(source: String, location: String, code: String, message: String, payload: String) {
        self.source = source
        self.location = location
        self.code = code
        self.message = message
        self.payload = payload
    }
}

/// One page of latest scores and how many there are in all.
public struct ScorePage: Sendable, Equatable {
    public var scores: [AccountScore]
    public var total: Int
}

/// Sizes of the stored tables.
public struct StoreStatistics: Sendable, Equatable {
    public var events: Int
    public var workspaces: Int
    public var companies: Int
    public var rejects: Int
    /// Time of the newest stored event.
    public var latestEvent: Date?
}
