import Foundation
import SignalboxCore
import SignalboxStore
import Synchronization

/// A real SQLite store whose event appends can be held back or made to fail, to drive the
/// server into backpressure and storage errors.
final class FaultyStore: SignalStore, Sendable {
    let base: SQLiteStore
    /// While set, appends wait until it is cleared.
    let holding = Mutex(false)
    /// While set, appends throw.
    let failing = Mutex(false)
    /// Appends that have started (held or not).
    let appendsStarted = Mutex(0)

    init(_ base: SQLiteStore) {
        self.base = base
    }

    struct DiskFull: Error {}

    func appendEvents(_ events: consuming [Event], source: String) throws -> [Event] {
        appendsStarted.withLock { $0 += 1 }
        while holding.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.005) }
        if failing.withLock({ $0 }) { throw DiskFull() }
        return try base.appendEvents(events, source: source)
    }

    func loadEngine(model: CompiledModel) throws -> Engine { try base.loadEngine(model: model) }
    func saveEngine(_ rows: EngineRows) throws { try base.saveEngine(rows) }
    func transaction<T>(_ body: () throws -> T) throws -> T { try base.transaction(body) }
    func recordRejects(_ rejects: [RejectedMessage]) throws { try base.recordRejects(rejects) }
    func upsertCompanies(_ companies: [Company]) throws { try base.upsertCompanies(companies) }
    func forEachEvent(until: Date?, properties: PropertySelection, _ body: (Event) throws -> Void) throws { try base.forEachEvent(until: until, properties: properties, body) }
    func forEachEvent(after: Date, until: Date, properties: PropertySelection, _ body: (Event) throws -> Void) throws { try base.forEachEvent(after: after, until: until, properties: properties, body) }
    func recentEvents(limit: Int, matching isWanted: (Event) -> Bool) throws -> [Event] { try base.recentEvents(limit: limit, matching: isWanted) }
    func saveScores(_ scores: [AccountScore], history: Bool) throws { try base.saveScores(scores, history: history) }
    func latestScores(stage: Stage?, limit: Int, offset: Int) throws -> ScorePage { try base.latestScores(stage: stage, limit: limit, offset: offset) }
    func currentStages() throws -> [String: Stage] { try base.currentStages() }
    func recordStages(_ observation: StageObservation) throws { try base.recordStages(observation) }
    func stageTransitions(after id: Int64, account: String?, limit: Int) throws -> [RecordedTransition] {
        try base.stageTransitions(after: id, account: account, limit: limit)
    }
    func routingLedger(asOf: Date) throws -> RoutingLedger { try base.routingLedger(asOf: asOf) }
    func recordRouting(_ decisions: [RouteDecision], credits: [String: [String: Double]]) throws { try base.recordRouting(decisions, credits: credits) }
    func routeDecisions(after id: Int64, account: String?, limit: Int) throws -> [RecordedDecision] {
        try base.routeDecisions(after: id, account: account, limit: limit)
    }
    func deferredAccounts() throws -> Set<String> { try base.deferredAccounts() }
    func recordOutcomes(_ outcomes: [Outcome], source: String) throws -> Int { try base.recordOutcomes(outcomes, source: source) }
    func outcomes() throws -> [Outcome] { try base.outcomes() }
    func openHandoffs(dueBy now: Date) throws -> [OpenHandoff] { try base.openHandoffs(dueBy: now) }
    func recordSLAStep(_ taken: SLAStepTaken, credits: [String: [String: Double]]) throws { try base.recordSLAStep(taken, credits: credits) }
    func routeDecision(id: Int64) throws -> RecordedDecision? { try base.routeDecision(id: id) }
    func recordDisposition(_ disposition: Disposition) throws -> Bool { try base.recordDisposition(disposition) }
    func disposition(handoff id: Int64) throws -> Disposition? { try base.disposition(handoff: id) }
    func handoffLabels() throws -> [HandoffLabel] { try base.handoffLabels() }
    func outboxMessages(handoff id: Int64) throws -> [OutboxMessage] { try base.outboxMessages(handoff: id) }
    func dueOutboxMessages(asOf: Date, limit: Int) throws -> [OutboxMessage] { try base.dueOutboxMessages(asOf: asOf, limit: limit) }
    func nextOutboxAttempt() throws -> Date? { try base.nextOutboxAttempt() }
    func recordDelivery(_ attempt: DeliveryAttempt) throws { try base.recordDelivery(attempt) }
    func outboxMessages(status: OutboxMessage.Status?, limit: Int) throws -> [OutboxMessage] { try base.outboxMessages(status: status, limit: limit) }
    func requeueOutbox(ids: [Int64]?, from status: OutboxMessage.Status, at: Date) throws -> Int {
        try base.requeueOutbox(ids: ids, from: status, at: at)
    }
    func scoreHistory() throws -> [String: [ScorePoint]] { try base.scoreHistory() }
    func scoreHistory(account: String) throws -> [ScorePoint] { try base.scoreHistory(account: account) }
    func rejects(limit: Int) throws -> [RejectedMessage] { try base.rejects(limit: limit) }
    func isReachable() -> Bool { !failing.withLock { $0 } && base.isReachable() }
    func statistics() throws -> StoreStatistics { try base.statistics() }
}
