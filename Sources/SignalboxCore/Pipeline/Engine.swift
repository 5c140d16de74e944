import Dispatch
import Foundation

/// The pure heart of the pipeline: resolves identity, attributes activity to workspaces, keeps their
/// state and scores accounts. Storage and clocks live outside; import and live ingest both feed it.
///
/// ```swift
/// var engine = Engine(model: CompiledModel(config))
/// let touched = engine.ingest(events)          // already deduplicated
/// let scores = engine.scoreAll(asOf: now)
/// ```
public struct Engine: Sendable {
    public let model: CompiledModel
    public private(set) var identity: IdentityGraph
    /// Behaviour per workspace; company accounts merge their workspaces when scored.
    private var workspaceStates: WorkspaceStates
    /// What each actor's activity needs from identity, kept between events.
    private var routes = ActorRoutes()
    /// Activity from actors not yet known to belong to any workspace, by raw actor id.
    public private(set) var parked: [String: [ParkedActivity]]
    /// Firmographics by domain.
    public var companies: [String: Company]
    /// Workspaces whose state changed since ``takeChanges()``.
    private var changedWorkspaces = WorkspaceSlots()
    /// Whether `parked` changed since ``takeChanges()``.
    private var parkedChanged = false

    public init(
        model: CompiledModel, identity: IdentityGraph = IdentityGraph(), states: [String: AccountState] = [:],
        parked: [String: [ParkedActivity]] = [:], companies: [String: Company] = [:]
    ) {
        self.model = model
        self.identity = identity
        workspaceStates = WorkspaceStates(states)
        self.parked = parked
        self.companies = companies
    }

    /// What changed since the last call, for a store to persist; starts recording afresh.
    public mutating func takeChanges() -> EngineChanges {
        var changes = EngineChanges()
        changes.workspaces = workspaceStates.ids(of: changedWorkspaces)
        changes.identity = identity.takeChanges()
        changes.parked = parkedChanged
        changedWorkspaces = WorkspaceSlots()
        parkedChanged = false
        return changes
    }

    /// Behaviour per workspace, by workspace id.
    public var states: [String: AccountState] { workspaceStates.byWorkspace }

    /// Every workspace with behaviour.
    public var workspacesWithState: [String] { workspaceStates.ids }

    /// The behaviour of one workspace, or nil when it has none yet.
    public func state(ofWorkspace workspace: String) -> AccountState? { workspaceStates[workspace] }

    /// Applies deduplicated events: identity first, so a batch's order does not matter, then activity.
    /// Returns the workspaces whose state changed (also recorded for ``takeChanges()``).
    @discardableResult
    public mutating func ingest(_ events: [Event]) -> Set<String> {
        let touched = applyEvents(events)
        return workspaceStates.ids(of: touched)
    }

    /// Applies deduplicated events as ``ingest(_:)`` does, recording the workspaces they changed
    /// only for ``takeChanges()``: an import or a replay does not list them per batch.
    public mutating func apply(_ events: [Event]) {
        _ = applyEvents(events)
    }

    private mutating func applyEvents(_ events: [Event]) -> WorkspaceSlots {
        var touched = WorkspaceSlots()
        var linked = false
        var routeOfEvent = [Int](repeating: -1, count: events.count)
        // Identity updates commute, so identity calls and the identity that activity carries are
        // learned in one pass. Indexing instead of iterating reads each event in place.
        for index in events.indices {
            events.prefetch(after: index)
            // The event half as far ahead is in the cache by now: its actor's route slot is next.
            let nearAhead = index + Event.prefetchDistance / 2
            if nearAhead < events.count { routes.prefetch(hash: events[nearAhead].actorHash) }
            guard events[index].type.isActivity else {
                linked = learnIdentity(from: events[index]) || linked
                continue
            }
            guard let actor = events[index].actorId else { continue }
            let route = routes.index(of: actor, hash: events[index].actorHash)
            routeOfEvent[index] = route
            // Most activity repeats a membership the route already knows and links nothing.
            let group = events[index].groupId
            let bothIds = events[index].userId != nil && events[index].anonymousId != nil
            if !bothIds && (group == nil || routes[route].group == group) { continue }
            linked = learnIdentity(from: events[index]) || linked
            if let group, routes[route].group != group {
                routes[route].group = group
                routes[route].groupSlot = -1
            }
        }
        // Where each activity goes is settled in batch order, since it updates the routes and may
        // park; the states are then updated on several threads.
        var placements = [Placement](repeating: .nowhere, count: events.count)
        for index in events.indices where routeOfEvent[index] >= 0 {
            events.prefetch(after: index)
            let ahead = index + Event.prefetchDistance
            if ahead < events.count, routeOfEvent[ahead] >= 0 { routes.prefetchRoute(at: routeOfEvent[ahead]) }
            let (user, slots) = destination(route: routeOfEvent[index], groupId: events[index].groupId)
            switch slots {
            case .one(let slot):
                placements[index] = .one(slot, user: user)
                touched.insert(slot)
            case .many(let slots) where !slots.isEmpty:
                placements[index] = .many(slots, user: user)
                for slot in slots { touched.insert(slot) }
            case .many:
                park(actor: routes.actor(at: routeOfEvent[index]), timestamp: events[index].timestamp, hits: model.matches(events[index]))
            }
        }
        applyPlaced(events, placements)
        if linked { releaseParked(touched: &touched) }
        changedWorkspaces.formUnion(touched)
        return touched
    }

    /// Applies what `event` says about identity; when that changes who an id is or where it
    /// belongs, forgets the routes of every id it can affect. Returns whether it linked ids or
    /// added a membership.
    private mutating func learnIdentity(from event: Event) -> Bool {
        guard identity.apply(event) else { return false }
        for id in [event.userId, event.anonymousId, event.previousId].compactMap({ $0 }) {
            for affected in identity.idsSharingUser(with: id) { routes.forgetIdentity(of: affected) }
        }
        return true
    }

    /// The state slots an activity of the actor with route `route` goes to, and the user it
    /// resolves to: its `groupId`'s workspace, else every workspace the actor belongs to (none
    /// while it belongs to none yet).
    private mutating func destination(route: Int, groupId: String?) -> (user: String, slots: Slots) {
        let actor = routes.actor(at: route)
        let user: String
        if let known = routes[route].user {
            user = known
        } else {
            user = identity.resolve(actor)
            routes[route].user = user
        }
        if let groupId {
            // The membership was learned when the batch's identity was.
            if routes[route].group != groupId || routes[route].groupSlot < 0 {
                routes[route].group = groupId
                routes[route].groupSlot = workspaceStates.slot(creating: groupId)
            }
            return (user, .one(routes[route].groupSlot))
        }
        if let known = routes[route].memberSlots { return (user, .many(known)) }
        let slots = identity.workspaces(of: actor).map { workspaceStates.slot(creating: $0) }
        routes[route].memberSlots = slots
        return (user, .many(slots))
    }

    /// Keeps an activity of an actor in no workspace yet, until it joins one.
    private mutating func park(actor: String, timestamp: Date, hits: [SignalHit]) {
        parked[actor, default: []].append(ParkedActivity(actor: actor, groupId: nil, timestamp: timestamp, hits: hits))
        parkedChanged = true
    }

    /// Updates the states with placed activity on up to ``maximumStateWorkers`` threads. Each thread
    /// owns the slots equal to its number modulo the thread count, so no two threads share a state
    /// and every state sees its events in batch order, as it would on one thread.
    private mutating func applyPlaced(_ events: [Event], _ placements: [Placement]) {
        let model = model
        let workers = events.count >= Engine.eventsPerStateWorker
            ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, Engine.maximumStateWorkers, events.count / Engine.eventsPerStateWorker))
            : 1
        workspaceStates.withUnsafeStates { buffer in
            nonisolated(unsafe) let states = buffer
            if workers == 1 {
                Engine.apply(events, placements, worker: 0, of: 1, to: states, model: model)
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    Engine.apply(events, placements, worker: worker, of: workers, to: states, model: model)
                }
            }
        }
    }

    /// The share of ``applyPlaced(_:_:)`` of thread `worker` of `workers`: the events placed in its slots.
    private static func apply(
        _ events: [Event], _ placements: [Placement], worker: Int, of workers: Int, to states: UnsafeMutableBufferPointer<AccountState>, model: CompiledModel
    ) {
        var hits: [SignalHit] = []
        for index in events.indices {
            switch placements[index] {
            case .nowhere:
                continue
            case .one(let slot, let user):
                guard slot % workers == worker else { continue }
                events.prefetch(after: index)
                model.matches(events[index], into: &hits)
                states[slot].apply(user: user, at: events[index].timestamp, hits: hits, model: model)
            case .many(let slots, let user):
                var matched = false
                for slot in slots where slot % workers == worker {
                    if !matched { model.matches(events[index], into: &hits) }
                    matched = true
                    states[slot].apply(user: user, at: events[index].timestamp, hits: hits, model: model)
                }
            }
        }
    }

    /// The state slots one activity event goes to.
    private enum Slots {
        case one(Int)
        /// Every workspace of an actor without a `groupId`; empty while it has none.
        case many([Int])
    }

    /// Where one event of a batch updates state, settled before the states are updated.
    private enum Placement: Sendable {
        /// Nowhere: an identity message, or an activity parked or without an actor.
        case nowhere
        case one(Int, user: String)
        case many([Int], user: String)
    }

    /// A batch shares its state updates among threads only when each gets at least this many events.
    static let eventsPerStateWorker = 4_096
    /// State updates use at most this many threads: beyond it the batch's scan costs more than it saves.
    static let maximumStateWorkers = 4

    /// Applies one activity of the actor with route `route` to the workspaces it belongs to, or
    /// parks it until the actor joins one. Adds the workspaces it changed to `touched`.
    private mutating func apply(route: Int, groupId: String?, timestamp: Date, hits: [SignalHit], touched: inout WorkspaceSlots) {
        let (user, destination) = destination(route: route, groupId: groupId)
        let slots: [Int]
        switch destination {
        case .one(let slot): slots = [slot]
        case .many(let many): slots = many
        }
        guard !slots.isEmpty else { return park(actor: routes.actor(at: route), timestamp: timestamp, hits: hits) }
        for slot in slots {
            workspaceStates[slot: slot].apply(user: user, at: timestamp, hits: hits, model: model)
            touched.insert(slot)
        }
    }

    private mutating func releaseParked(touched: inout WorkspaceSlots) {
        for (actor, activities) in parked where !identity.workspaces(of: actor).isEmpty {
            parked[actor] = nil
            parkedChanged = true
            let route = routes.index(of: actor)
            for activity in activities {
                apply(route: route, groupId: activity.groupId, timestamp: activity.timestamp, hits: activity.hits, touched: &touched)
            }
        }
    }

    // MARK: Accounts

    /// The account a workspace belongs to: itself, or its company domain when workspaces roll up.
    public func accountId(ofWorkspace workspace: String) -> String {
        guard model.config.identity.accountLevel == .company,
              let domain = identity.domain(of: workspace, personalDomains: model.config.identity.personalDomains) else {
            return workspace
        }
        return domain
    }

    /// Every account with a workspace, and the workspaces it is made of.
    public func accounts() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for workspace in Set(identity.workspaces.keys).union(workspaceStates.ids) {
            result[accountId(ofWorkspace: workspace), default: []].append(workspace)
        }
        return result.mapValues { $0.sorted() }
    }

    /// Workspaces of one account (for company accounts, every workspace of the domain).
    public func workspaces(ofAccount account: String) -> [String] {
        if identity.workspaces[account] != nil || workspaceStates[account] != nil, accountId(ofWorkspace: account) == account {
            return [account]
        }
        return accounts()[account] ?? []
    }

    /// The combined behaviour of an account's workspaces.
    public func state(ofWorkspaces workspaces: [String]) -> AccountState {
        workspaces.compactMap { workspaceStates[$0] }.reduce(nil as AccountState?) { partial, next in
            partial.map { $0.merged(with: next, model: model) } ?? next
        } ?? AccountState()
    }

    /// Who an account is, from group traits, members and firmographics.
    public func profile(account: String, workspaces: [String]) -> AccountProfile {
        let personal = model.config.identity.personalDomains
        let memberIds = workspaces.map { identity.members(of: $0) }
        let domains = zip(workspaces, memberIds).map { identity.emailDomains(of: $0, members: $1, personalDomains: personal) }
        let domain = domains.lazy.compactMap(\.company).first
        var traits: [String: JSONValue] = [:]
        var members: [String: [String: JSONValue]] = [:]
        for (workspace, ids) in zip(workspaces, memberIds).reversed() {
            if let workspaceTraits = identity.workspaces[workspace]?.traits.values {
                if traits.isEmpty { traits = workspaceTraits } else { traits.merge(workspaceTraits) { _, newer in newer } }
            }
            for member in ids {
                members[member] = identity.people[member]?.traits.values ?? [:]
            }
        }
        let personalUsed = domains.reduce(into: Set<String>()) { $0.formUnion($1.personal) }
        let company = domain.flatMap { companies[$0] }
        let name = workspaces.count > 1 ? company?.name ?? traits["name"]?.stringValue : traits["name"]?.stringValue ?? company?.name
        return AccountProfile(
            accountId: account, name: name, domain: domain, company: company, workspaceTraits: traits,
            memberTraits: members, personalDomains: personalUsed.sorted()
        )
    }

    /// Scores one account, or nil when it is unknown.
    public func score(account: String, asOf: Date) -> AccountScore? {
        let workspaces = workspaces(ofAccount: account)
        guard !workspaces.isEmpty else { return nil }
        return Scorer(model: model).score(state(ofWorkspaces: workspaces), profile: profile(account: account, workspaces: workspaces), asOf: asOf)
    }

    /// Scores every account, highest total first; `explained: false` leaves reasons out.
    /// Accounts are independent, so they are scored on every core.
    public func scoreAll(asOf: Date, explained: Bool = true) -> [AccountScore] {
        scoringPass(asOf: asOf, explained: explained).scoresOnEveryCore()
    }

    /// `scores` by stage, then total, highest first, and account id on a tie. Positions are sorted,
    /// not the scores: a score is a large value, and moving it at every step of the sort costs more
    /// than scoring.
    static func bestFirst(_ scores: [AccountScore]) -> [AccountScore] {
        let order = scores.withUnsafeBufferPointer { scores in
            scores.indices.sorted { left, right in
                if scores[left].stage != scores[right].stage { return scores[left].stage > scores[right].stage }
                if scores[left].total != scores[right].total { return scores[left].total > scores[right].total }
                return scores[left].accountId < scores[right].accountId
            }
        }
        return order.map { scores[$0] }
    }
}

/// One activity event reduced to what scoring needs, kept while its actor has no workspace.
public struct ParkedActivity: Sendable, Equatable, Codable {
    public var actor: String
    public var groupId: String?
    public var timestamp: Date
    public var hits: [SignalHit]
}
