import Foundation
import GRDB
import GRDBSQLite
import SignalboxCore
import Synchronization

/// The embedded default store: one SQLite file in WAL mode, through GRDB.
///
/// ```swift
/// let store = try SQLiteStore(path: "signalbox.sqlite")
/// ```
public final class SQLiteStore: SignalStore {
    private let pool: DatabasePool
    /// Transactions open through ``transaction(_:)``.
    private let openTransactions = Mutex(0)
    /// The last events appended inside the open transaction, still compressing.
    private let pendingBatch = Mutex<PendingBatch?>(nil)
    /// Set when appended events could not be stored after their message keys were recorded, so
    /// the transaction must not commit even if the caller carried on.
    private let pendingBatchLost = Mutex(false)
    /// The dedupe index's state: the open transaction's bulk keys (written before it commits) and
    /// the filter of runs kept between transactions.
    private let messageKeys: Mutex<MessageKeyIndex>

    /// How far a commit goes before it returns.
    public enum Durability: Sendable {
        /// Survives the process crashing; the last commits can be lost if the machine loses power.
        /// Right for imports, which can be run again.
        case application
        /// Synced to disk at every commit, so an acknowledged request survives a power loss.
        case machine
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public convenience init(path: String, durability: Durability = .application) throws {
        try self.init(path: path, durability: durability, bulkAppendThreshold: 10_000)
    }

    /// As the public initializer, with the number of events in one append that makes its
    /// transaction dedupe in bulk (``MessageKeyIndex``).
    init(path: String, durability: Durability, bulkAppendThreshold: Int) throws {
        messageKeys = Mutex(MessageKeyIndex(bulkThreshold: bulkAppendThreshold))
        var configuration = Configuration()
        configuration.label = "signalbox"
        configuration.prepareDatabase { db in
            // WAL keeps readers off the writer's back; NORMAL sync is durable at each WAL checkpoint
            // and safe against application crashes, FULL syncs the log at every commit.
            try db.execute(sql: durability == .machine ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            // Only a new, empty file takes it. The replay log is mostly megabyte-sized rows: larger
            // pages mean fewer pages, log frames and writes for them, and for the checkpoint.
            try db.execute(sql: "PRAGMA page_size = 16384")
            // Message-id keys arrive in random order; a large page cache keeps the dedupe index in
            // memory during big imports instead of spilling and re-reading pages.
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator.migrate(pool)
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try pool.writeWithoutTransaction { db in
            try db.inTransaction {
                openTransactions.withLock { $0 += 1 }
                defer {
                    openTransactions.withLock { $0 -= 1 }
                    pendingBatch.withLock { $0 = nil }
                    pendingBatchLost.withLock { $0 = false }
                    messageKeys.withLock { $0.reset() }
                }
                result = try body()
                try insertPendingBatch(in: db)
                if pendingBatchLost.withLock({ $0 }) { throw TransactionAborted() }
                try messageKeys.withLock { keys in try keys.finish(in: db) }
                return .commit
            }
        }
        return result!
    }

    /// Inserts the batch waiting from the previous append, outside any savepoint of the next one.
    private func insertPendingBatch(in db: Database) throws {
        let batch = pendingBatch.withLock { pending in
            defer { pending = nil }
            return pending
        }
        do {
            try batch?.insert(in: db)
        } catch {
            pendingBatchLost.withLock { $0 = true }
            throw error
        }
    }

    /// Writes inside the caller's transaction when there is one, else in a transaction of its own.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.unsafeReentrantWrite { db in
            var result: T?
            try db.inSavepoint {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    // MARK: Events

    public func appendEvents(_ events: consuming [Event], source: String) throws -> [Event] {
        try pool.unsafeReentrantWrite { db in try insertPendingBatch(in: db) }
        var fresh = events
        let inTransaction = openTransactions.withLock { $0 } > 0
        // Alone, the write commits or rolls back: either way the stored runs are the truth again.
        defer { if !inTransaction { messageKeys.withLock { $0.reset() } } }
        do {
            return try write { db in
                try messageKeys.withLock { keys in try keys.keepNew(&fresh, source: source, in: db) }
                // Inside a transaction the keys and the row can wait for the next append or the commit; alone
                // they cannot, even when every event was a repeat (a bulk append may have moved keys).
                if !inTransaction { try messageKeys.withLock { keys in try keys.finish(in: db) } }
                guard !fresh.isEmpty else { return [] }
                let batch = PendingBatch(fresh, source: source)
                if inTransaction {
                    pendingBatch.withLock { $0 = batch }
                } else {
                    try batch.insert(in: db)
                }
                return fresh
            }
        } catch {
            // Keys may be recorded for events that were not stored: the transaction cannot commit them.
            if inTransaction { pendingBatchLost.withLock { $0 = true } }
            throw error
        }
    }

    public func finishAppends() throws {
        try pool.unsafeReentrantWrite { db in
            try insertPendingBatch(in: db)
            try messageKeys.withLock { keys in try keys.writeAdded(in: db) }
            // The pages the transaction changed go to the write-ahead log now, not all at the commit.
            // Busy means some could not be written yet; the commit writes them.
            let status = sqlite3_db_cacheflush(db.sqliteConnection)
            guard status == SQLITE_OK || status == SQLITE_BUSY else {
                throw DatabaseError(status: status, on: db.sqliteConnection)
            }
        }
        // The commit's checkpoint syncs the log before copying it into the database; most of it is
        // written now, so that sync finds little left while the engine catches up.
        let log = pool.path + "-wal"
        DispatchQueue.global(qos: .utility).async {
            let descriptor = open(log, O_RDONLY)
            guard descriptor >= 0 else { return }
            _ = fsync(descriptor)
            close(descriptor)
        }
    }

    public func prepareLiveAppends() throws {
        try write { db in try messageKeys.withLock { keys in try keys.prepareFilter(in: db) } }
    }

    public func forEachEvent(until: Date?, properties: PropertySelection, _ body: (Event) throws -> Void) throws {
        try pool.read { db in try EventBatchTable.forEach(until: until, properties: properties, in: db, body) }
    }

    public func forEachEvent(after: Date, until: Date, properties: PropertySelection, _ body: (Event) throws -> Void) throws {
        try pool.read { db in try EventBatchTable.forEach(after: after, until: until, properties: properties, in: db, body) }
    }

    public func recentEvents(limit: Int, matching isWanted: (Event) -> Bool) throws -> [Event] {
        try pool.read { db in try EventBatchTable.recent(limit: limit, in: db, matching: isWanted) }
    }

    // MARK: Engine

    public func loadEngine(model: CompiledModel) throws -> Engine {
        let fingerprint = model.stateFingerprint
        let companies = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT record FROM companies").map { try StoredJSON.decoder.decode(Company.self, from: Data($0.utf8)) }
        }
        let byDomain = Dictionary(companies.map { ($0.domain, $0) }, uniquingKeysWith: { $1 })
        let stored: Engine? = try pool.read { db in
            guard let saved = try Data.fetchOne(db, sql: "SELECT value FROM engine_meta WHERE key = 'fingerprint'"),
                  String(decoding: saved, as: UTF8.self) == fingerprint else { return nil }
            let identityRows = try IdentityTables.read(in: db)
            let parkedJSON = try Data.fetchOne(db, sql: "SELECT value FROM engine_meta WHERE key = 'parked'")
            let stateRows = try Row.fetchAll(db, sql: "SELECT workspace_id, state FROM workspace_states")
                .map { ($0["workspace_id"] as String, $0["state"] as Data) }
            // The identity graph and the account states take about as long to decode: one per core.
            let decoder = StoredJSON.decoder
            let ((identity, parked), states) = try Concurrently.both({
                (try identityRows.graph(),
                 try parkedJSON.map { try decoder.decode([String: [ParkedActivity]].self, from: $0) } ?? [:])
            }, {
                try Dictionary(uniqueKeysWithValues: stateRows.map { ($0, try AccountState(record: $1)) })
            })
            return Engine(model: model, identity: identity, states: states, parked: parked, companies: byDomain)
        }
        if let stored { return stored }
        // The model's signals changed (or nothing was scored yet): replay history under this model.
        let engine = try replay(model: model, companies: byDomain, until: nil)
        try transaction {
            try write { db in
                for table in ["workspace_states", "identity_links", "people", "workspace_traits", "memberships"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
            try saveEngine(engine, changes: EngineChanges(everythingIn: engine))
        }
        return engine
    }

    public func saveEngine(_ rows: EngineRows) throws {
        try write { db in
            let upsert = try RowInsert(sql: "INSERT OR REPLACE INTO workspace_states (workspace_id, state) VALUES (?, ?)", in: db)
            for (workspace, record) in rows.states { try upsert.run(workspace, record) }
            try IdentityTables.write(rows.identity, in: db)
            let meta = try db.cachedStatement(sql: "INSERT OR REPLACE INTO engine_meta (key, value) VALUES (?, ?)")
            if let parked = rows.parked { try meta.execute(arguments: ["parked", parked]) }
            try meta.execute(arguments: ["fingerprint", Data(rows.fingerprint.utf8)])
        }
    }

    // MARK: Firmographics, scores, rejects

    public func upsertCompanies(_ companies: [Company]) throws {
        try write { db in
            let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO companies (domain, record) VALUES (?, ?)")
            for company in companies {
                try upsert.execute(arguments: [company.domain, String(decoding: try StoredJSON.encoder.encode(company), as: UTF8.self)])
            }
        }
    }

    public func saveScores(_ scores: [AccountScore], history: Bool) throws {
        try write { db in
            let latest = try db.cachedStatement(sql: "INSERT OR REPLACE INTO scores (account_id, as_of, stage, total, record) VALUES (?, ?, ?, ?, ?)")
            let point = try db.cachedStatement(sql: "INSERT OR REPLACE INTO score_history (account_id, as_of, total, stage) VALUES (?, ?, ?, ?)")
            for score in scores {
                let asOf = score.asOf.timeIntervalSince1970
                try latest.execute(arguments: [score.accountId, asOf, score.stage.rawValue, score.total, ScoreRecord.json(score)])
                if history { try point.execute(arguments: [score.accountId, asOf, score.total, score.stage.rawValue]) }
            }
        }
    }

    public func latestScores(stage: Stage?, limit: Int, offset: Int) throws -> ScorePage {
        try pool.read { db in
            let filter = stage == nil ? "" : "WHERE stage = ?"
            let arguments: StatementArguments = stage.map { [$0.rawValue] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scores \(filter)", arguments: arguments) ?? 0
            let records = try String.fetchAll(
                db, sql: "SELECT record FROM scores \(filter) ORDER BY total DESC, account_id LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset]
            )
            return ScorePage(scores: try records.map { try StoredJSON.decoder.decode(AccountScore.self, from: Data($0.utf8)) }, total: total)
        }
    }

    // MARK: Stages

    public func currentStages() throws -> [String: Stage] {
        try pool.read { db in try StageTables.current(in: db) }
    }

    public func recordStages(_ observation: StageObservation) throws {
        try write { db in try StageTables.record(observation, in: db) }
    }

    public func stageTransitions(after id: Int64, account: String?, limit: Int) throws -> [RecordedTransition] {
        try pool.read { db in try StageTables.transitions(after: id, account: account, limit: limit, in: db) }
    }

    public func routingLedger(asOf: Date) throws -> RoutingLedger {
        try pool.read { db in try RoutingTables.ledger(asOf: asOf, in: db) }
    }

    public func recordRouting(_ decisions: [RouteDecision], credits: [String: [String: Double]]) throws {
        try write { db in try RoutingTables.record(decisions, credits: credits, in: db) }
    }

    public func routeDecisions(after id: Int64, account: String?, limit: Int) throws -> [RecordedDecision] {
        try pool.read { db in try RoutingTables.decisions(after: id, account: account, limit: limit, in: db) }
    }

    public func openHandoffs(dueBy now: Date) throws -> [OpenHandoff] {
        try pool.read { db in try SLATable.open(dueBy: now, in: db) }
    }

    public func recordSLAStep(_ taken: SLAStepTaken, credits: [String: [String: Double]]) throws {
        try write { db in
            if let handoff = taken.reassignedTo { try RoutingTables.record([handoff], credits: credits, in: db) }
            try SLATable.record(taken, in: db)
        }
    }

    public func recordOutcomes(_ outcomes: [Outcome], source: String) throws -> Int {
        try write { db in try OutcomeTable.record(outcomes, source: source, in: db) }
    }

    public func outcomes() throws -> [Outcome] {
        try pool.read { db in try OutcomeTable.all(in: db) }
    }

    public func deferredAccounts() throws -> Set<String> {
        try pool.read { db in try RoutingTables.deferred(in: db) }
    }

    public func routeDecision(id: Int64) throws -> RecordedDecision? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT record FROM route_decisions WHERE id = ?", arguments: [id]).map {
                RecordedDecision(id: id, decision: try StoredJSON.decoder.decode(RouteDecision.self, from: Data($0.utf8)))
            }
        }
    }

    public func recordDisposition(_ disposition: Disposition) throws -> Bool {
        try write { db in try DispositionTable.record(disposition, in: db) }
    }

    public func disposition(handoff id: Int64) throws -> Disposition? {
        try pool.read { db in try DispositionTable.latest(handoff: id, in: db) }
    }

    public func handoffLabels() throws -> [HandoffLabel] {
        try pool.read { db in try DispositionTable.labels(in: db) }
    }

    public func outboxMessages(handoff id: Int64) throws -> [OutboxMessage] {
        try pool.read { db in try OutboxTable.forDecision(id, in: db) }
    }

    public func dueOutboxMessages(asOf: Date, limit: Int) throws -> [OutboxMessage] {
        try pool.read { db in try OutboxTable.due(asOf: asOf, limit: limit, in: db) }
    }

    public func nextOutboxAttempt() throws -> Date? {
        try pool.read { db in try OutboxTable.nextAttempt(in: db) }
    }

    public func recordDelivery(_ attempt: DeliveryAttempt) throws {
        try write { db in try OutboxTable.record(attempt, in: db) }
    }

    public func outboxMessages(status: OutboxMessage.Status?, limit: Int) throws -> [OutboxMessage] {
        try pool.read { db in try OutboxTable.list(status: status, limit: limit, in: db) }
    }

    public func requeueOutbox(ids: [Int64]?, from status: OutboxMessage.Status, at: Date) throws -> Int {
        try write { db in try OutboxTable.requeue(ids: ids, from: status, at: at, in: db) }
    }

    public func scoreHistory() throws -> [String: [ScorePoint]] {
        try pool.read { db in
            var history: [String: [ScorePoint]] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT account_id, as_of, total, stage FROM score_history ORDER BY account_id, as_of")
            while let row = try cursor.next() {
                history[row["account_id"], default: []].append(
                    ScorePoint(asOf: Date(timeIntervalSince1970: row["as_of"]), total: row["total"], stage: Stage(rawValue: row["stage"]) ?? .notPQL)
                )
            }
            return history
        }
    }

    public func scoreHistory(account: String) throws -> [ScorePoint] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT as_of, total, stage FROM score_history WHERE account_id = ? ORDER BY as_of", arguments: [account]).map { row in
                ScorePoint(asOf: Date(timeIntervalSince1970: row["as_of"]), total: row["total"], stage: Stage(rawValue: row["stage"]) ?? .notPQL)
            }
        }
    }

    public func recordRejects(_ rejects: [RejectedMessage]) throws {
        try write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO rejects (source, location, code, message, payload) VALUES (?, ?, ?, ?, ?)")
            for reject in rejects {
                try insert.execute(arguments: [reject.source, reject.location, reject.code, reject.message, reject.payload])
            }
        }
    }

    public func rejects(limit: Int) throws -> [RejectedMessage] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rejects ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                RejectedMessage(source: $0["source"], location: $0["location"], code: $0["code"], message: $0["message"], payload: $0["payload"])
            }
        }
    }

    public func isReachable() -> Bool {
        (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func statistics() throws -> StoreStatistics {
        try pool.read { db in
            StoreStatistics(
                events: try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM event_batches") ?? 0,
                workspaces: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workspace_states") ?? 0,
                companies: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM companies") ?? 0,
                rejects: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejects") ?? 0,
                latestEvent: try Double.fetchOne(db, sql: "SELECT MAX(last_ts) FROM event_batches").map(Date.init(timeIntervalSince1970:))
            )
        }
    }
}

/// A transaction that went on after one of its writes failed: it is rolled back instead of committed.
public struct TransactionAborted: Error, CustomStringConvertible {
    public var description: String { "events appended in this transaction could not be stored, so nothing was committed" }
}
