import CPrefetch

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

    /// Route indices by actor: an open-addressing table whose slots hold the top 32 bits of the
    /// actor's hash value and its route index plus one (0 is an empty slot). The probe starts at the
    /// hash's low bits, so a lookup whose slot was prefetched usually reads one cache line.
    private var slots = [UInt64](repeating: 0, count: 1 << 10)
    private var routes: [Route] = []
    /// Actor ids by route index.
    private var actors: [String] = []

    /// The index of `actor`'s route, adding an empty one the first time. `hash` is `actor.hashValue`.
    mutating func index(of actor: String, hash: Int) -> Int {
        let (found, slot) = probe(actor, hash: hash)
        if let found { return found }
        slots[slot] = Self.tag(hash) | UInt64(routes.count + 1)
        routes.append(Route())
        actors.append(actor)
        if routes.count * 2 > slots.count { grow() }
        return routes.count - 1
    }

    /// The index of `actor`'s route, adding an empty one the first time.
    mutating func index(of actor: String) -> Int {
        index(of: actor, hash: actor.hashValue)
    }

    /// Starts loading the slot where a lookup of the actor with hash value `hash` begins.
    func prefetch(hash: Int) {
        slots.withUnsafeBufferPointer { signalbox_prefetch($0.baseAddress! + (hash & ($0.count - 1))) }
    }

    /// Starts loading the route at `index`.
    func prefetchRoute(at index: Int) {
        routes.withUnsafeBufferPointer { signalbox_prefetch($0.baseAddress! + index) }
    }

    /// Doubles the table, placing every route again.
    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, actor) in actors.enumerated() {
            let hash = actor.hashValue
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.tag(hash) | UInt64(index + 1)
        }
    }

    /// The actor id of the route at `index`.
    func actor(at index: Int) -> String { actors[index] }

    subscript(index: Int) -> Route {
        get { routes[index] }
        _modify { yield &routes[index] }
    }

    /// Forgets the user and workspaces of `actor`, which an identity change may have altered.
    mutating func forgetIdentity(of actor: String) {
        guard let index = probe(actor, hash: actor.hashValue).index else { return }
        routes[index].user = nil
        routes[index].memberSlots = nil
    }

    /// Where a lookup of `actor` ends: its route's index, or nil and the empty slot a new route takes.
    private func probe(_ actor: String, hash: Int) -> (index: Int?, slot: Int) {
        let tag = Self.tag(hash)
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let index = Int(truncatingIfNeeded: slots[slot] & 0xffff_ffff) - 1
            if slots[slot] & ~0xffff_ffff == tag && actors[index] == actor { return (index, slot) }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    /// The top half of a slot: the top 32 bits of the actor's hash value.
    private static func tag(_ hash: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: hash) & ~0xffff_ffff
    }
}
