/// Workspace states in one array, each at a fixed slot: once the engine knows a workspace's slot it
/// reaches the state by index instead of hashing the workspace id on every event.
struct WorkspaceStates: Sendable {
    /// Workspace ids by slot.
    private(set) var ids: [String] = []
    /// States by slot.
    private var states: [AccountState] = []
    private var slots: [String: Int] = [:]

    init(_ states: [String: AccountState]) {
        ids.reserveCapacity(states.count)
        self.states.reserveCapacity(states.count)
        slots.reserveCapacity(states.count)
        for (workspace, state) in states {
            slots[workspace] = ids.count
            ids.append(workspace)
            self.states.append(state)
        }
    }

    /// The slot of `workspace`, giving it an empty state first if it has none.
    mutating func slot(creating workspace: String) -> Int {
        if let slot = slots[workspace] { return slot }
        slots[workspace] = ids.count
        ids.append(workspace)
        states.append(AccountState())
        return ids.count - 1
    }

    subscript(slot slot: Int) -> AccountState {
        get { states[slot] }
        _modify { yield &states[slot] }
    }

    /// The states by slot, for updating many at once: on several threads, each its own slots.
    mutating func withUnsafeStates<Result>(_ body: (UnsafeMutableBufferPointer<AccountState>) throws -> Result) rethrows -> Result {
        try states.withUnsafeMutableBufferPointer { try body($0) }
    }

    subscript(workspace: String) -> AccountState? {
        slots[workspace].map { states[$0] }
    }

    /// The workspace ids of `slots`.
    func ids(of slots: WorkspaceSlots) -> Set<String> {
        Set(slots.slots.map { ids[$0] })
    }

    /// Every workspace's state by id.
    var byWorkspace: [String: AccountState] {
        Dictionary(uniqueKeysWithValues: zip(ids, states))
    }
}

/// A set of workspace slots that keeps the order they were added in, for the workspaces a batch
/// changed: adding a slot is a flag check, not a hash.
struct WorkspaceSlots: Sendable {
    private var marked: [Bool] = []
    private(set) var slots: [Int] = []

    mutating func insert(_ slot: Int) {
        if slot >= marked.count { marked.append(contentsOf: repeatElement(false, count: max(slot + 1 - marked.count, marked.count))) }
        guard !marked[slot] else { return }
        marked[slot] = true
        slots.append(slot)
    }

    mutating func formUnion(_ other: WorkspaceSlots) {
        for slot in other.slots { insert(slot) }
    }
}
