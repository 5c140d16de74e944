import Foundation

/// What scoring reads from an account's profile alone, worked out once: its fit and whether an
/// exclusion applies. Neither depends on time or behaviour, so a profile kept between days keeps them.
struct ProfileFacts: Sendable {
    let profile: AccountProfile
    let fit: FitEvaluation
    /// Why the account is excluded, or nil.
    let exclusion: String?

    init(_ profile: AccountProfile, model: CompiledModel) {
        self.profile = profile
        fit = FitEvaluation(rules: model.fitRules, profile: profile)
        exclusion = model.exclusionCheck.reason(for: profile)
    }
}
