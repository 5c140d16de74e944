import Foundation
import GRDB
import SignalboxCore

/// The SQLite schema, as named, append-only migrations: never edit a shipped one, add the next.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    key INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    user_id TEXT,
                    anonymous_id TEXT,
                    previous_id TEXT,
                    group_id TEXT,
                    name TEXT,
                    ts REAL NOT NULL,
                    properties TEXT,
                    traits TEXT
                );
                CREATE UNIQUE INDEX events_by_key ON events (key);
                CREATE TABLE workspace_states (
                    workspace_id TEXT PRIMARY KEY,
                    state BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE engine_meta (
                    key TEXT PRIMARY KEY,
                    value BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE companies (
                    domain TEXT PRIMARY KEY,
                    record TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE scores (
                    account_id TEXT PRIMARY KEY,
                    as_of REAL NOT NULL,
                    stage TEXT NOT NULL,
                    total REAL NOT NULL,
                    record TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE score_history (
                    account_id TEXT NOT NULL,
                    as_of REAL NOT NULL,
                    total REAL NOT NULL,
                    stage TEXT NOT NULL,
                    PRIMARY KEY (account_id, as_of)
                ) WITHOUT ROWID;
                CREATE TABLE rejects (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    location TEXT NOT NULL,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    payload TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2") { db in
            // Events move from one row per event to batches of original messages, deduplicated by
            // a hashed key table: imports write a row per batch instead of a row and an index entry per event.
            // `records` is compressed (see `BatchCompression`; zlib until v3 recorded the codec).
            try db.execute(sql: """
                CREATE TABLE message_keys (
                    slot INTEGER PRIMARY KEY,
                    check_hash INTEGER NOT NULL
                );
                CREATE TABLE event_batches (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    first_ts REAL NOT NULL,
                    last_ts REAL NOT NULL,
                    records BLOB NOT NULL
                );
                """)
            try V1Events.move(in: db)
            try db.execute(sql: "DROP TABLE events")
        }
        migrator.registerMigration("v3") { db in
            // Each batch names its codec: new batches use zstd when the system library is there.
            try db.execute(sql: "ALTER TABLE event_batches ADD COLUMN codec TEXT NOT NULL DEFAULT 'zlib'")
        }
        migrator.registerMigration("v4") { db in
            // The identity graph moves from one JSON blob, rewritten whole at every save, to rows
            // written as they change (see `IdentityTables`).
            try db.execute(sql: """
                CREATE TABLE identity_links (
                    alias TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE people (
                    person_id TEXT PRIMARY KEY,
                    traits TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE workspace_traits (
                    workspace_id TEXT PRIMARY KEY,
                    traits TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE memberships (
                    actor TEXT NOT NULL,
                    workspace_id TEXT NOT NULL,
                    PRIMARY KEY (actor, workspace_id)
                ) WITHOUT ROWID;
                """)
            if let blob = try Data.fetchOne(db, sql: "SELECT value FROM engine_meta WHERE key = 'identity'") {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .secondsSince1970
                let graph = try decoder.decode(IdentityGraph.self, from: blob)
                try IdentityTables.save(graph, changes: IdentityChanges(everythingIn: graph), in: db)
                try db.execute(sql: "DELETE FROM engine_meta WHERE key = 'identity'")
            }
        }
        migrator.registerMigration("v5") { db in
            // Live scoring: the stage each account was last seen in, and every change of stage.
            try db.execute(sql: """
                CREATE TABLE account_stages (
                    account_id TEXT PRIMARY KEY,
                    stage TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE stage_transitions (
                    id INTEGER PRIMARY KEY,
                    account_id TEXT NOT NULL,
                    at REAL NOT NULL,
                    from_stage TEXT,
                    to_stage TEXT NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX stage_transitions_by_account ON stage_transitions (account_id, id);
                CREATE INDEX scores_by_total ON scores (total DESC, account_id);
                """)
        }
        migrator.registerMigration("v6") { db in
            // Routing: every decision with its reason, and the round-robin credits that keep turns fair across restarts.
            try db.execute(sql: """
                CREATE TABLE route_decisions (
                    id INTEGER PRIMARY KEY,
                    account_id TEXT NOT NULL,
                    routing_key TEXT NOT NULL,
                    at REAL NOT NULL,
                    route TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    owner TEXT,
                    owner_day TEXT,
                    record TEXT NOT NULL
                );
                CREATE INDEX route_decisions_by_account ON route_decisions (account_id, id);
                CREATE INDEX route_handoffs_by_key ON route_decisions (routing_key, route, id) WHERE outcome = 'handoff';
                CREATE TABLE routing_credits (
                    team TEXT NOT NULL,
                    rep TEXT NOT NULL,
                    credit REAL NOT NULL,
                    PRIMARY KEY (team, rep)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7") { db in
            // The transactional outbox: one row per handoff and destination, written with the decision.
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    decision_id INTEGER NOT NULL REFERENCES route_decisions (id),
                    destination TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    delivered_at REAL
                );
                CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
                CREATE INDEX outbox_by_status ON outbox (status, id);
                """)
        }
        migrator.registerMigration("v8") { db in
            // Reps' verdicts on handoffs: the latest per handoff counts, earlier ones stay as history.
            try db.execute(sql: """
                CREATE TABLE dispositions (
                    id INTEGER PRIMARY KEY,
                    decision_id INTEGER NOT NULL REFERENCES route_decisions (id),
                    verdict TEXT NOT NULL,
                    recorded_at REAL NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX dispositions_by_decision ON dispositions (decision_id, id);
                """)
        }
        migrator.registerMigration("v9") { db in
            // SLA clocks: when each handoff's first touch is due, the steps taken when it was missed,
            // and outbox messages that are reminders or escalations rather than handoffs.
            try db.execute(sql: """
                ALTER TABLE route_decisions ADD COLUMN sla_due REAL;
                UPDATE route_decisions SET sla_due = json_extract(record, '$.slaDue') WHERE outcome = 'handoff';
                CREATE INDEX route_handoffs_by_sla ON route_decisions (sla_due) WHERE outcome = 'handoff' AND sla_due IS NOT NULL;
                CREATE TABLE sla_steps (
                    decision_id INTEGER NOT NULL REFERENCES route_decisions (id),
                    step TEXT NOT NULL,
                    at REAL NOT NULL,
                    detail TEXT NOT NULL,
                    PRIMARY KEY (decision_id, step)
                ) WITHOUT ROWID;
                ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'handoff';
                ALTER TABLE outbox ADD COLUMN note TEXT;
                """)
        }
        migrator.registerMigration("v10") { db in
            // Ground truth for learning: conversions and losses by account, workspace or domain.
            try db.execute(sql: """
                CREATE TABLE outcomes (
                    id INTEGER PRIMARY KEY,
                    key_kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    converted_at REAL,
                    lost_at REAL,
                    acv REAL,
                    source TEXT NOT NULL
                );
                CREATE UNIQUE INDEX outcomes_identity ON outcomes (key_kind, key, coalesce(converted_at, -1), coalesce(lost_at, -1));
                """)
        }
        migrator.registerMigration("v11") { db in
            // The dedupe index gains a bulk level: imports keep their keys as runs per bucket
            // (see `MessageKeyIndex`), and `message_keys` stays the level live appends write to.
            // The version counts bulk writes, so a process holding a filter of the runs sees another's.
            try db.execute(sql: """
                CREATE TABLE message_key_runs (
                    id INTEGER PRIMARY KEY,
                    bucket INTEGER NOT NULL,
                    keys BLOB NOT NULL
                );
                CREATE INDEX message_key_runs_by_bucket ON message_key_runs (bucket);
                CREATE TABLE message_key_runs_version (version INTEGER NOT NULL);
                INSERT INTO message_key_runs_version (version) VALUES (0);
                """)
        }
        return migrator
    }
}
