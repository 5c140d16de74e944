import GRDB
import GRDBSQLite

/// A prepared statement run once per row, its text and blob arguments bound through SQLite's C
/// API. Saving after a large import writes tens of thousands of rows, and building GRDB's
/// argument array for each costs more than the insert itself.
struct RowInsert {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(sql: String, in db: Database) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection
    }

    /// Runs the statement with one text argument.
    func run(_ text: String) throws {
        sqlite3_reset(handle)
        try bind(text, at: 1)
        try step()
    }

    /// Runs the statement with two text arguments; nil binds NULL.
    func run(_ first: String, _ second: String?) throws {
        sqlite3_reset(handle)
        try bind(first, at: 1)
        if let second { try bind(second, at: 2) } else { try check(sqlite3_bind_null(handle, 2)) }
        try step()
    }

    /// Runs the statement with a text and a blob argument.
    func run(_ text: String, _ blob: [UInt8]) throws {
        sqlite3_reset(handle)
        try bind(text, at: 1)
        try blob.withUnsafeBytes { bytes in
            // An empty blob still needs a pointer, or SQLite binds NULL.
            try check(sqlite3_bind_blob(handle, 2, bytes.baseAddress ?? Self.nothing, Int32(bytes.count), Self.transient))
        }
        try step()
    }

    private func bind(_ text: String, at index: Int32) throws {
        var text = text
        try text.withUTF8 { bytes in
            // An empty string still needs a pointer, or SQLite binds NULL.
            let start = UnsafeRawPointer(bytes.baseAddress) ?? Self.nothing
            try check(sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient))
        }
    }

    private func step() throws {
        let status = sqlite3_step(handle)
        guard status == SQLITE_DONE else { throw DatabaseError(status: status, on: connection) }
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK else { throw DatabaseError(status: status, on: connection) }
    }

    /// SQLite copies the bound bytes before the call returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    /// Where an empty value points: SQLite reads none of it.
    private static var nothing: UnsafeRawPointer { UnsafeRawPointer(bitPattern: 1)! }
}
