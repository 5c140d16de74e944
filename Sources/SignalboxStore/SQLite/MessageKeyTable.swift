import GRDB
import GRDBSQLite
import SignalboxCore

/// The row level of the dedupe index (see ``MessageKeyIndex``): one row per `(source, messageId)`
/// stored by a small append, as two independent 64-bit hashes. The first is the row id, so a lookup
/// is one B-tree probe; the second tells a repeat of the same message from a different message
/// whose first hash collides, which then takes the next free id. Bound through SQLite's C API
/// because this runs once per live event.
struct MessageKeyTable {
    /// The two hashes of one message's identity.
    struct Key: Equatable {
        var slot: Int64
        var check: Int64

        /// The key of the message whose id has the UTF-8 bytes `messageIdUTF8`.
        init(source: String, messageIdUTF8: UnsafeRawBufferPointer) {
            var first = StableHash()
            var second = StableHash(basis: 0x6c62_272e_07bb_0142)
            first.combine(source)
            first.combine(byte: 0xFF)
            StableHash.combine(messageIdUTF8, into: &first, and: &second)
            second.combine(byte: 0xFF)
            second.combine(source)
            slot = Int64(bitPattern: first.value)
            check = Int64(bitPattern: second.mixed)
        }

        /// The key of `event`'s message, its id read in place.
        init(source: String, event: Event) {
            self = event.withMessageIdUTF8 { Key(source: source, messageIdUTF8: $0) }
        }

        init(slot: Int64, check: Int64) {
            self.slot = slot
            self.check = check
        }
    }

    private let insert: Statement
    private let lookup: Statement
    private let connection: OpaquePointer?

    init(_ db: Database) throws {
        insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO message_keys (slot, check_hash) VALUES (?, ?)")
        lookup = try db.cachedStatement(sql: "SELECT check_hash FROM message_keys WHERE slot = ?")
        connection = db.sqliteConnection
    }

    /// Records `key`; false when the same message was recorded before.
    func insertIfNew(_ key: Key) throws -> Bool {
        var slot = key.slot
        while true {
            if try step(insert, slot: slot, check: key.check) { return true }
            guard try storedCheck(at: slot) != key.check else { return false }
            slot &+= 1
        }
    }

    /// Runs the insert; true when it added a row.
    private func step(_ statement: Statement, slot: Int64, check: Int64) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, slot)
        sqlite3_bind_int64(handle, 2, check)
        let status = sqlite3_step(handle)
        guard status == SQLITE_DONE else { throw DatabaseError(status: status, on: connection) }
        return sqlite3_changes(connection) > 0
    }

    private func storedCheck(at slot: Int64) throws -> Int64? {
        let handle = lookup.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, slot)
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        case let status: throw DatabaseError(status: status, on: connection)
        }
    }
}
