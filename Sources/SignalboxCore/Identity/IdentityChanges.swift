/// What an ``IdentityGraph`` changed since its changes were last taken: the rows a store must
/// write to persist it without rewriting the whole graph.
public struct IdentityChanges: Sendable, Equatable {
    /// Ids whose canonical user id was set.
    public var links: Set<String> = []
    /// Person records added, changed or removed (merged into another), by id.
    public var people: Set<String> = []
    /// Workspaces whose traits were added or changed.
    public var workspaces: Set<String> = []
    /// New (actor id, workspace) memberships; memberships are never removed.
    public var memberships: Set<Membership> = []

    public init() {}

    public var isEmpty: Bool { links.isEmpty && people.isEmpty && workspaces.isEmpty && memberships.isEmpty }

    /// Everything in `graph`, for writing it out whole.
    public init(everythingIn graph: IdentityGraph) {
        links = Set(graph.canonicalIds.keys)
        people = Set(graph.people.keys)
        workspaces = Set(graph.workspaces.keys)
        memberships = Set(graph.memberships.flatMap { actor, groups in groups.map { Membership(actor: actor, workspace: $0) } })
    }

    /// Adds `other`'s changes to these.
    public mutating func formUnion(_ other: IdentityChanges) {
        links.formUnion(other.links)
        people.formUnion(other.people)
        workspaces.formUnion(other.workspaces)
        memberships.formUnion(other.memberships)
    }
}

/// A raw actor id seen in a workspace.
public struct Membership: Sendable, Hashable {
    public var actor: String
    public var workspace: String

    public init(actor: String, workspace: String) {
        self.actor = actor
        self.workspace = workspace
    }
}
