import Foundation

extension Engine {
    /// What routing needs about a scored account: its score, combined state and profile.
    public func routingCandidate(for score: AccountScore) -> RoutingCandidate {
        let workspaces = workspaces(ofAccount: score.accountId)
        return RoutingCandidate(
            score: score, state: state(ofWorkspaces: workspaces), profile: profile(account: score.accountId, workspaces: workspaces)
        )
    }
}
