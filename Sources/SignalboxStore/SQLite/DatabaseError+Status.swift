import GRDB
import GRDBSQLite

extension DatabaseError {
    /// The error SQLite reports for `status` on `connection`, for calls made through its C API
    /// rather than through GRDB.
    init(status: Int32, on connection: OpaquePointer?) {
        self.init(resultCode: ResultCode(rawValue: status), message: String(cString: sqlite3_errmsg(connection)))
    }
}
