import Foundation

extension Engine {
    /// The accounts an activity event counts for, by the rule ``ingest(_:)`` applies: its
    /// `groupId` (or `context.groupId`), else every workspace its actor belongs to, each turned
    /// into its account. Empty for identity messages and for actors in no workspace yet.
    ///
    /// ```swift
    /// let engine = try store.replay(model: model, companies: [:], until: asOf)
    /// for account in engine.accounts(of: event) { … }
    /// ```
    public func accounts(of event: Event) -> Set<String> {
        guard event.type.isActivity else { return [] }
        if let workspace = event.groupId { return [accountId(ofWorkspace: workspace)] }
        guard let actor = event.actorId else { return [] }
        return Set(identity.workspaces(of: actor).map(accountId(ofWorkspace:)))
    }
}
