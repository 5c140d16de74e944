import Foundation
import GRDB
import SignalboxCore

/// Reads the one-row-per-event table of schema v1, to move its events into batches.
enum V1Events {
    /// Re-stores every v1 event, in stored order, as batches per source, compressed as schema v2 did.
    static func move(in db: Database) throws {
        var batch: [Event] = []
        var batchSource = ""
        func flush() throws {
            let fresh = try EventBatchTable.newEvents(batch, source: batchSource, in: db)
            if !fresh.isEmpty { try PendingBatch(fresh, source: batchSource, codec: .zlib).insert(in: db) }
            batch.removeAll(keepingCapacity: true)
        }
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM events ORDER BY seq")
        while let row = try cursor.next() {
            let source: String = row["source"]
            if source != batchSource || batch.count == 50_000 {
                try flush()
                batchSource = source
            }
            batch.append(try event(row))
        }
        try flush()
    }

    private static func event(_ row: Row) throws -> Event {
        func object(_ column: String) throws -> [String: JSONValue] {
            guard let text: String = row[column] else { return [:] }
            return try JSONParser.parse(text).objectValue ?? [:]
        }
        return Event(
            messageId: row["message_id"], type: EventType(rawValue: row["type"]) ?? .track, userId: row["user_id"],
            anonymousId: row["anonymous_id"], previousId: row["previous_id"], groupId: row["group_id"], name: row["name"],
            properties: try object("properties"), traits: try object("traits"),
            timestamp: Date(timeIntervalSince1970: row["ts"])
        )
    }
}
