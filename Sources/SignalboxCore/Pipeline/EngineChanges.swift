/// What an ``Engine`` changed since its changes were last taken: what a store writes to persist it.
public struct EngineChanges: Sendable, Equatable {
    /// Workspaces whose state changed.
    public var workspaces: Set<String> = []
    public var identity = IdentityChanges()
    /// Whether activity was parked or released.
    public var parked = false

    public init() {}

    /// Everything in `engine`, for writing it out whole.
    public init(everythingIn engine: Engine) {
        workspaces = Set(engine.workspacesWithState)
        identity = IdentityChanges(everythingIn: engine.identity)
        parked = true
    }

    public var isEmpty: Bool { workspaces.isEmpty && identity.isEmpty && !parked }
}
