import Foundation

/// Account profiles, with the fit and exclusion read from them, kept between scorings while an
/// engine steps through history: a profile only changes when its account's workspaces, their
/// traits, their members or the members' traits do, which most days touch for few accounts. Used by
/// backtests, which score every account every day.
///
/// ```swift
/// var cache = ProfileCache()
/// engine.ingest(day)
/// cache.forget(engine.takeChanges(), in: engine)
/// let scores = engine.scoreAll(asOf: end, explained: false, profiles: &cache)
/// ```
public struct ProfileCache: Sendable {
    private var entries: [String: (workspaces: [String], facts: ProfileFacts)] = [:]

    public init() {}

    /// Drops the accounts whose profile `changes`, taken from `engine` after an ingest, may have altered.
    public mutating func forget(_ changes: EngineChanges, in engine: Engine) {
        let identity = changes.identity
        var workspaces = identity.workspaces.union(identity.memberships.map(\.workspace))
        for person in identity.people.union(identity.links) {
            workspaces.formUnion(engine.identity.workspaces(of: person))
            workspaces.formUnion(engine.identity.workspaces(of: engine.identity.resolve(person)))
        }
        for workspace in workspaces { entries.removeValue(forKey: engine.accountId(ofWorkspace: workspace)) }
    }

    /// The cached facts when the account is still made of the same workspaces, else fresh ones.
    mutating func facts(account: String, workspaces: [String], engine: Engine) -> ProfileFacts {
        if let entry = entries[account], entry.workspaces == workspaces { return entry.facts }
        let facts = ProfileFacts(engine.profile(account: account, workspaces: workspaces), model: engine.model)
        entries[account] = (workspaces, facts)
        return facts
    }
}

extension Engine {
    /// ``scoreAll(asOf:explained:)`` with profiles from `cache`, which keeps them for the next day.
    public func scoreAll(asOf: Date, explained: Bool, profiles cache: inout ProfileCache) -> [AccountScore] {
        let accounts = Array(accounts())
        let facts = accounts.map { cache.facts(account: $0.key, workspaces: $0.value, engine: self) }
        return scoringPass(accounts, asOf: asOf, explained: explained) { index, _, _ in facts[index] }.scoresOnEveryCore()
    }
}
