import Foundation
import GRDB
import SignalboxCore

/// The identity graph as rows, written as it changes: `identity_links` (alias → user id),
/// `people` and `workspace_traits` (traits with the time each was set, as JSON) and `memberships`
/// (raw actor id, workspace). Aliases by user and workspace members are derived when loading.
enum IdentityTables {
    /// Writes the rows `changes` names, as they are in `graph`: ``encode(_:changes:)`` then ``write(_:in:)``.
    static func save(_ graph: IdentityGraph, changes: IdentityChanges, in db: Database) throws {
        try write(try encode(graph, changes: changes), in: db)
    }

    /// The rows `changes` names, with traits as JSON. Outside the database access and on every core:
    /// after a large import this is tens of thousands of people.
    static func encode(_ graph: IdentityGraph, changes: IdentityChanges) throws -> Changed {
        var changed = Changed()
        changed.links = changes.links.sorted().compactMap { alias in graph.canonicalIds[alias].map { (alias, $0) } }
        // Traits are looked up here, on one thread, so the workers touch only their own traits: a
        // lookup in the graph's dictionaries from every core at once contends on their reference counts.
        let people = changes.people.sorted().map { id in (id, graph.people[id]?.traits) }
        let workspaces = changes.workspaces.sorted().map { id in (id, graph.workspaces[id]?.traits) }
        changed.people = try Concurrently.map(people) { id, traits in (id, traits?.storedJSONText) }
        changed.workspaces = try Concurrently.map(workspaces) { id, traits in (id, traits?.storedJSONText) }
        changed.memberships = changes.memberships.map { ($0.actor, $0.workspace) }.sorted { $0 < $1 }
        return changed
    }

    /// Writes encoded rows; each table's rows arrive in key order, so its index grows at one end.
    static func write(_ changed: Changed, in db: Database) throws {
        let link = try RowInsert(sql: "INSERT OR REPLACE INTO identity_links (alias, user_id) VALUES (?, ?)", in: db)
        for (alias, user) in changed.links { try link.run(alias, user) }
        let person = try RowInsert(sql: "INSERT OR REPLACE INTO people (person_id, traits) VALUES (?, ?)", in: db)
        let formerPerson = try RowInsert(sql: "DELETE FROM people WHERE person_id = ?", in: db)
        for (id, traits) in changed.people {
            if let traits { try person.run(id, traits) } else { try formerPerson.run(id) }
        }
        let workspace = try RowInsert(sql: "INSERT OR REPLACE INTO workspace_traits (workspace_id, traits) VALUES (?, ?)", in: db)
        for case (let id, let traits?) in changed.workspaces { try workspace.run(id, traits) }
        let membership = try RowInsert(sql: "INSERT OR IGNORE INTO memberships (actor, workspace_id) VALUES (?, ?)", in: db)
        for (actor, workspace) in changed.memberships { try membership.run(actor, workspace) }
    }

    /// Identity rows to write: links, traits as JSON (nil: the person was merged into another and
    /// its row goes) and memberships.
    struct Changed: Sendable {
        var links: [(String, String)] = []
        var people: [(String, String?)] = []
        var workspaces: [(String, String?)] = []
        var memberships: [(String, String)] = []
    }

    /// The stored rows, read inside a database access; ``Rows/graph()`` parses them outside it.
    static func read(in db: Database) throws -> Rows {
        var rows = Rows()
        let links = try Row.fetchCursor(db, sql: "SELECT alias, user_id FROM identity_links")
        while let row = try links.next() { rows.canonicalIds[row[0]] = row[1] as String }
        rows.people = try Row.fetchAll(db, sql: "SELECT person_id, traits FROM people").map { ($0[0], $0[1]) }
        rows.workspaces = try Row.fetchAll(db, sql: "SELECT workspace_id, traits FROM workspace_traits").map { ($0[0], $0[1]) }
        let memberships = try Row.fetchCursor(db, sql: "SELECT actor, workspace_id FROM memberships")
        while let row = try memberships.next() { rows.memberships[row[0], default: []].insert(row[1]) }
        return rows
    }

    /// Identity rows as read, traits still as JSON text.
    struct Rows: Sendable {
        var canonicalIds: [String: String] = [:]
        var people: [(String, String)] = []
        var workspaces: [(String, String)] = []
        var memberships: [String: Set<String>] = [:]

        func graph() throws -> IdentityGraph {
            func traits(_ text: String, of table: String, _ id: String) throws -> TimedTraits {
                guard let traits = TimedTraits(storedJSON: try JSONParser.parse(text)) else {
                    throw StoreCorruption("the stored traits of \(id) in \(table) are not in the stored-traits shape")
                }
                return traits
            }
            var people: [String: Person] = [:]
            people.reserveCapacity(self.people.count)
            for (id, text) in self.people {
                var person = Person()
                person.traits = try traits(text, of: "people", id)
                people[id] = person
            }
            var workspaceTraits: [String: TimedTraits] = [:]
            for (id, text) in workspaces { workspaceTraits[id] = try traits(text, of: "workspace_traits", id) }
            return IdentityGraph(canonicalIds: canonicalIds, people: people, memberships: memberships, workspaceTraits: workspaceTraits)
        }
    }
}
