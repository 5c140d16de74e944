/// Where each actor's activity goes, remembered between events, so an activity event costs one
/// lookup of its actor id instead of one per question (who is it, is it a member already, which
/// workspaces, which state).
///
/// What identity says about an actor (its user and its workspaces) is forgotten whenever an
/// identity change touches the actor's ids; a membership once seen is kept, because memberships are
/// never removed.
struct ActorRoutes: Sendable {
    struct Route: Sendable {
        /// The user id the actor resolves to; nil until looked up.
        var user: String?
        /// A workspace the actor is known to be a member of.
        var group: String?
        /// The state slot of `group`, or -1 until known.
        var groupSlot = -1
        /// The state slots of every workspace the actor belongs to; nil until looked up.
        var memberSlots: [Int]?
    }

    private var indexByActor: [String: Int] = [:]
    private var routes: [Route] = []
    /// Actor ids by route index.
    private var actors: [String] = []

    /// The index of `actor`'s route, adding an empty one the first time.
    mutating func index(of actor: String) -> Int {
        if let index = indexByActor[actor] { return index }
        indexByActor[actor] = routes.count
        routes.append(Route())
        actors.append(actor)
        return routes.count - 1
    }

    /// The actor id of the route at `index`.
    func actor(at index: Int) -> String { actors[index] }

    subscript(index: Int) -> Route {
        get { routes[index] }
        _modify { yield &routes[index] }
    }

    /// Forgets the user and workspaces of `actor`, which an identity change may have altered.
    mutating func forgetIdentity(of actor: String) {
        guard let index = indexByActor[actor] else { return }
        routes[index].user = nil
        routes[index].memberSlots = nil
    }
}
