import Foundation

/// Who is who: anonymous ids merged into users, users in workspaces, workspaces tied to companies.
///
/// Built from identify, alias and group calls (and `context.groupId` on activity). Every update is
/// a set union or a newest-wins trait merge, so the graph does not depend on arrival order.
///
/// The graph records what each update changed (``takeChanges()``), so a store writes only those rows.
public struct IdentityGraph: Sendable, Equatable, Codable {
    /// Anonymous or earlier ids → the user id they became.
    public private(set) var canonicalIds: [String: String] = [:]
    /// People by user id (or anonymous id while unknown).
    public private(set) var people: [String: Person] = [:]
    /// User id → every id that resolves to it.
    private var aliasesByUser: [String: Set<String>] = [:]
    /// Raw actor id → workspaces it was seen in.
    public private(set) var memberships: [String: Set<String>] = [:]
    /// Workspaces by group id.
    public private(set) var workspaces: [String: Workspace] = [:]
    /// What changed since ``takeChanges()`` was last called; not part of the graph's value.
    private var changes = IdentityChanges()

    public init() {}

    /// A graph from its stored parts: who each alias became, people, memberships and workspace
    /// traits. Aliases by user and workspace members are derived from them.
    public init(canonicalIds: [String: String], people: [String: Person], memberships: [String: Set<String>], workspaceTraits: [String: TimedTraits]) {
        self.canonicalIds = canonicalIds
        self.people = people
        self.memberships = memberships
        for alias in canonicalIds.keys {
            aliasesByUser[resolve(alias), default: []].insert(alias)
        }
        for (group, traits) in workspaceTraits {
            workspaces[group, default: Workspace()].traits = traits
        }
        for (actor, groups) in memberships {
            for group in groups { workspaces[group, default: Workspace()].members.insert(actor) }
        }
    }

    /// Returns the changes recorded so far and starts recording afresh.
    public mutating func takeChanges() -> IdentityChanges {
        defer { changes = IdentityChanges() }
        return changes
    }

    private enum CodingKeys: String, CodingKey {
        case canonicalIds, people, aliasesByUser, memberships, workspaces
    }

    public static func == (lhs: IdentityGraph, rhs: IdentityGraph) -> Bool {
        lhs.canonicalIds == rhs.canonicalIds && lhs.people == rhs.people && lhs.aliasesByUser == rhs.aliasesByUser
            && lhs.memberships == rhs.memberships && lhs.workspaces == rhs.workspaces
    }

    /// Learns what an event says about identity. Returns true when it linked ids or added a membership,
    /// which can make parked activity attributable.
    @discardableResult
    public mutating func apply(_ event: Event) -> Bool {
        var linked = false
        switch event.type {
        case .identify:
            if let user = event.userId, let anonymous = event.anonymousId, anonymous != user {
                linked = link(anonymous, to: user)
            }
            if let actor = event.actorId {
                let person = resolve(actor)
                people[person, default: Person()].merge(event.traits, at: event.timestamp)
                changes.people.insert(person)
            }
        case .alias:
            if let user = event.userId, let previous = event.previousId, previous != user {
                linked = link(previous, to: user)
            }
        case .group:
            guard let group = event.groupId else { break }
            workspaces[group, default: Workspace()].merge(event.traits, at: event.timestamp)
            changes.workspaces.insert(group)
            if let actor = event.actorId { linked = join(actor, group) }
        case .track, .page, .screen:
            if let user = event.userId, let anonymous = event.anonymousId, anonymous != user, canonicalIds[anonymous] == nil {
                linked = link(anonymous, to: user)
            }
            if let group = event.groupId, let actor = event.actorId { linked = join(actor, group) || linked }
        }
        return linked
    }

    /// The user id an actor id resolves to.
    public func resolve(_ actor: String) -> String {
        var current = actor
        for _ in 0..<8 {
            guard let next = canonicalIds[current], next != current else { return current }
            current = next
        }
        return current
    }

    /// Workspaces a user belongs to, through any of their ids.
    public func workspaces(of actor: String) -> Set<String> {
        let user = resolve(actor)
        var result = memberships[user] ?? []
        for alias in aliasesByUser[user] ?? [] {
            result.formUnion(memberships[alias] ?? [])
        }
        return result
    }

    /// Every id that resolves to the same user as `id`, the user id included: the ids whose
    /// resolution or workspaces a change to `id`'s identity can alter.
    func idsSharingUser(with id: String) -> [String] {
        let user = resolve(id)
        return [user] + (aliasesByUser[user] ?? [])
    }

    /// Resolved user ids of a workspace's members.
    public func members(of workspace: String) -> Set<String> {
        guard let members = workspaces[workspace]?.members else { return [] }
        var resolved = Set<String>(minimumCapacity: members.count)
        for member in members { resolved.insert(resolve(member)) }
        return resolved
    }

    /// The company domain of a workspace: its `domain`/`website` trait, else its members' most common
    /// work-email domain. Personal mailbox domains never count.
    public func domain(of workspace: String, personalDomains: Set<String>) -> String? {
        emailDomains(of: workspace, personalDomains: personalDomains).company
    }

    /// A workspace's company domain (as ``domain(of:personalDomains:)``) and the personal mailbox
    /// domains its members use (for "fit unknown" reasons), reading each member's email once.
    public func emailDomains(of workspace: String, personalDomains: Set<String>) -> (company: String?, personal: Set<String>) {
        emailDomains(of: workspace, members: members(of: workspace), personalDomains: personalDomains)
    }

    /// ``emailDomains(of:personalDomains:)`` for a workspace whose ``members(of:)`` are known.
    func emailDomains(of workspace: String, members: Set<String>, personalDomains: Set<String>) -> (company: String?, personal: Set<String>) {
        func companyDomain(_ trait: JSONValue?) -> String? {
            guard let raw = trait?.stringValue, let domain = DomainName.normalize(raw), !personalDomains.contains(domain) else { return nil }
            return domain
        }
        let traits = workspaces[workspace]?.traits
        let fromTraits = companyDomain(traits?["domain"]) ?? companyDomain(traits?["website"])
        var counts: [String: Int] = [:]
        var personal = Set<String>()
        for member in members {
            guard let domain = people[member]?.emailDomain else { continue }
            if personalDomains.contains(domain) {
                personal.insert(domain)
            } else if fromTraits == nil {
                counts[domain, default: 0] += 1
            }
        }
        let company = fromTraits ?? counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
        return (company, personal)
    }

    private mutating func link(_ alias: String, to user: String) -> Bool {
        let target = resolve(user)
        guard resolve(alias) != target, alias != target else { return false }
        canonicalIds[alias] = target
        changes.links.insert(alias)
        let carried = aliasesByUser.removeValue(forKey: alias) ?? []
        aliasesByUser[target, default: []].formUnion(carried.union([alias]))
        if let traits = people.removeValue(forKey: alias) {
            people[target, default: Person()].absorb(traits)
            changes.people.formUnion([alias, target])
        }
        return true
    }

    private mutating func join(_ actor: String, _ group: String) -> Bool {
        // Nearly every activity event repeats a known membership: one lookup settles it.
        if let known = memberships.index(forKey: actor), memberships.values[known].contains(group) { return false }
        workspaces[group, default: Workspace()].members.insert(actor)
        changes.memberships.insert(Membership(actor: actor, workspace: group))
        return memberships[actor, default: []].insert(group).inserted
    }
}

/// Traits that remember when each value was set, so the newest wins whatever the arrival order.
public struct TimedTraits: Sendable, Equatable, Codable {
    public private(set) var values: [String: JSONValue] = [:]
    private var setAt: [String: Date] = [:]

    public init() {}

    /// Traits as stored, as JSON text: an object whose keys (in order) map to
    /// `[value, seconds since 1970 when it was set]`. Written straight out, since the end of a large
    /// import stores tens of thousands of people.
    public var storedJSONText: String {
        var output = ""
        // Room for a typical trait up front, instead of growing the text several times over.
        output.reserveCapacity(16 + 64 * values.count)
        let members = values.sorted { $0.key < $1.key }.map { (key: $0.key, value: (trait: $0.value, setAt: setAt[$0.key]?.timeIntervalSince1970 ?? 0)) }
        JSONValue.writeObject(members, to: &output) { member, output in
            output += "["
            member.trait.write(to: &output)
            output += ","
            JSONValue.number(member.setAt).write(to: &output)
            output += "]"
        }
        return output
    }

    /// Traits from the parsed ``storedJSONText``; nil when `stored` is not in that shape.
    public init?(storedJSON stored: JSONValue) {
        guard case .object(let members) = stored else { return nil }
        for (key, member) in members {
            guard case .array(let pair) = member, pair.count == 2, case .number(let seconds) = pair[1] else { return nil }
            values[key] = pair[0]
            setAt[key] = Date(timeIntervalSince1970: seconds)
        }
    }

    mutating func merge(_ traits: [String: JSONValue], at time: Date) {
        for (key, value) in traits where !value.isNull {
            guard isNewer(value, at: time, than: key) else { continue }
            values[key] = value
            setAt[key] = time
        }
    }

    mutating func absorb(_ other: TimedTraits) {
        for (key, value) in other.values {
            let time = other.setAt[key] ?? .distantPast
            guard isNewer(value, at: time, than: key) else { continue }
            values[key] = value
            setAt[key] = time
        }
    }

    /// Newest wins; a tie between two values set at the same instant goes to the larger one, so the
    /// outcome never depends on arrival order.
    private func isNewer(_ value: JSONValue, at time: Date, than key: String) -> Bool {
        guard let existing = setAt[key], let current = values[key] else { return true }
        if time != existing { return time > existing }
        return value.serialized() > current.serialized()
    }

    public subscript(key: String) -> JSONValue? { values[key] }
}

/// A person's traits from identify calls.
public struct Person: Sendable, Equatable, Codable {
    public var traits = TimedTraits()

    public init() {}

    mutating func merge(_ values: [String: JSONValue], at time: Date) { traits.merge(values, at: time) }
    mutating func absorb(_ other: Person) { traits.absorb(other.traits) }

    public var email: String? { traits["email"]?.stringValue }
    public var emailDomain: String? { email.flatMap(DomainName.ofEmail) }
}

/// A workspace's group traits and the actor ids seen in it.
public struct Workspace: Sendable, Equatable, Codable {
    public var traits = TimedTraits()
    public var members: Set<String> = []

    public init() {}

    mutating func merge(_ values: [String: JSONValue], at time: Date) { traits.merge(values, at: time) }

    public var name: String? { traits["name"]?.stringValue }
}
