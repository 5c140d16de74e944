import GRDB
import GRDBSQLite
import SignalboxCore

/// The hot insert of an import, bound through SQLite's C API: GRDB's general argument binding
/// allocates per value, which dominated import time.
struct EventInsertStatement {
    private let statement: Statement
    private let connection: OpaquePointer?

    init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO events
                (key, source, message_id, type, user_id, anonymous_id, previous_id, group_id, name, ts, properties, traits)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        connection = db.sqliteConnection
    }

    /// Inserts the event under `key`; false when the key is already taken.
    func insert(_ event: Event, key: Int64, source: String) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, key)
        bind(source, at: 2)
        bind(event.messageId, at: 3)
        bind(event.type.rawValue, at: 4)
        bind(event.userId, at: 5)
        bind(event.anonymousId, at: 6)
        bind(event.previousId, at: 7)
        bind(event.groupId, at: 8)
        bind(event.name, at: 9)
        sqlite3_bind_double(handle, 10, event.timestamp.timeIntervalSince1970)
        bind(event.properties.isEmpty ? nil : JSONValue.object(event.properties).serialized(), at: 11)
        bind(event.traits.isEmpty ? nil : JSONValue.object(event.traits).serialized(), at: 12)
        let status = sqlite3_step(handle)
        guard status == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: status), message: String(cString: sqlite3_errmsg(connection)))
        }
        return sqlite3_changes(connection) > 0
    }

    private func bind(_ text: String?, at index: Int32) {
        let handle = statement.sqliteStatement
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), SQLITE_TRANSIENT)
        }
    }
}

/// SQLite's "copy the value now" destructor, which the C macro cannot express in Swift.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
