import Foundation

/// Writes the ``HandoffBrief`` for an account from its score, state and profile.
///
/// ```swift
/// let brief = BriefWriter(model: model).brief(score: score, state: state, profile: profile, motion: .ae, owner: "Dana")
/// ```
public struct BriefWriter: Sendable {
    public let model: CompiledModel

    public init(model: CompiledModel) {
        self.model = model
    }

    public func brief(score: AccountScore, state: AccountState, profile: AccountProfile, motion: Motion, owner: String?) -> HandoffBrief {
        let asOf = score.asOf
        let champion = champion(state: state, profile: profile, asOf: asOf)
        let whyNow = whyNow(score: score, state: state)
        var brief = HandoffBrief(
            accountId: score.accountId, name: score.name ?? profile.domain ?? score.accountId, domain: score.domain, stage: score.stage,
            total: score.total, fit: score.fit, value: score.value, intent: score.intent, champion: champion,
            activeUsers7d: state.activeUsers(asOf: asOf, windowDays: 7), activeUsers30d: state.activeUsers(asOf: asOf, windowDays: 30),
            milestones: milestones(state), recentFeatures: recentFeatures(state: state, asOf: asOf),
            usage: usage(state: state, profile: profile, asOf: asOf), company: companyMatch(profile),
            reasons: score.topPositive(4).map(\.text), concerns: score.topNegative(3).map(\.text), whyNow: whyNow, play: nil
        )
        brief.play = play(score: score, brief: brief, motion: motion, owner: owner)
        return brief
    }

    /// The recently active member with the most activity.
    private func champion(state: AccountState, profile: AccountProfile, asOf: Date) -> HandoffBrief.Champion? {
        let firstDay = DayBuckets.day(of: asOf) - 29
        let recent = state.users.filter { $0.value.lastActiveDay >= firstDay }
        guard let (user, activity) = recent.max(by: { ($0.value.events, $1.key) < ($1.value.events, $0.key) }) else { return nil }
        let traits = profile.memberTraits[user] ?? [:]
        return HandoffBrief.Champion(
            userId: user, name: traits["name"]?.stringValue, email: traits["email"]?.stringValue,
            title: traits["title"]?.stringValue, events: activity.events
        )
    }

    private func milestones(_ state: AccountState) -> [HandoffBrief.Milestone] {
        let reached = model.config.signals.compactMap { signal -> HandoffBrief.Milestone? in
            guard signal.category == .value, case .event = signal.kind, let first = state.signals[signal.id]?.firstAt else { return nil }
            return HandoffBrief.Milestone(label: signal.label, firstAt: first)
        }
        return reached.sorted { ($0.firstAt, $0.label) < ($1.firstAt, $1.label) }
    }

    private func recentFeatures(state: AccountState, asOf: Date) -> [HandoffBrief.FeatureUse] {
        let weekAgo = asOf.addingTimeInterval(-7 * 86_400)
        var used: [HandoffBrief.FeatureUse] = []
        for (index, signal) in model.config.signals.enumerated() where signal.category != .negative {
            guard case .event = signal.kind, let memory = state.signals[signal.id], let last = memory.lastAt, last > weekAgo, last <= asOf else { continue }
            let count = model.horizonDays[index] >= 7 ? memory.days.count(asOf: asOf, windowDays: 7) : nil
            // Day counts cover whole days, the week back from `asOf` does not: trust the counts.
            if count == 0 { continue }
            used.append(HandoffBrief.FeatureUse(label: signal.label, count: count, lastAt: last))
        }
        return used.sorted { ($0.count ?? 0, $0.lastAt) > ($1.count ?? 0, $1.lastAt) }
    }

    /// Usage against the limits of the account's plan.
    private func usage(state: AccountState, profile: AccountProfile, asOf: Date) -> [HandoffBrief.Usage] {
        let scorer = Scorer(model: model)
        return model.config.routing.planLimits.compactMap { limit in
            guard limit.when.map(profile.passes) ?? true, let signal = model.config.signal(limit.signal) else { return nil }
            let used: Double
            switch signal.kind {
            case .event: used = scorer.measureEvent(signal, state: state, asOf: asOf)?.raw ?? 0
            case .metric(let metric): used = scorer.measureMetric(metric, windowDays: CompiledModel.days(signal.window), state: state, asOf: asOf)?.raw ?? 0
            case .compound: return nil
            }
            return HandoffBrief.Usage(label: limit.label, used: used, limit: limit.limit)
        }
    }

    /// The company record with how the account was tied to its domain.
    private func companyMatch(_ profile: AccountProfile) -> HandoffBrief.CompanyMatch? {
        guard let domain = profile.domain else { return nil }
        let confidence: String
        let basis: String
        let named = ["domain", "website"].contains { profile.workspaceTraits[$0]?.stringValue.flatMap(DomainName.normalize) == domain }
        let emails = profile.memberTraits.values.compactMap { $0["email"]?.stringValue.flatMap(DomainName.ofEmail) }
        let matching = emails.filter { $0 == domain }.count
        if named {
            confidence = "high"
            basis = "the workspace names \(domain)"
        } else {
            confidence = matching >= 2 && matching * 2 >= emails.count ? "medium" : "low"
            basis = "\(matching) of \(emails.count) members use @\(domain)"
        }
        let company = profile.company
        return HandoffBrief.CompanyMatch(
            domain: domain, name: company?.name, employees: company?.employees.map { Int($0) }, industry: company?.industry,
            country: company?.country, confidence: company == nil ? "low" : confidence,
            basis: company == nil ? basis + "; no firmographic record" : basis
        )
    }

    /// The freshest hand-raise when the fast lane decided the stage, else the freshest positive signal.
    private func whyNow(score: AccountScore, state: AccountState) -> String {
        let handRaises = Set(model.config.fastLane.signals)
        let candidates = score.contributions.filter { $0.points > 0 && (!score.isFastLane || handRaises.contains($0.signal)) }
        let freshest = candidates.compactMap { contribution -> (Contribution, Date)? in
            guard let last = state.signals[contribution.signal]?.lastAt else { return nil }
            return (contribution, last)
        }.max { ($0.1, $1.0.signal) < ($1.1, $0.0.signal) }
        guard let (contribution, last) = freshest else { return score.stageReason }
        // A signal counted once already says when it happened ("Added billing details 2 days ago").
        if model.config.signal(contribution.signal)?.once == true { return contribution.reason }
        let ago = ReasonText.describe(daysAgo: Int(max(0, score.asOf.timeIntervalSince(last)) / 86_400))
        return "\(contribution.reason) (latest \(ago))"
    }

    /// The first configured play for this motion whose signals are among the account's positive
    /// reasons; a play without signals fits any account.
    private func play(score: AccountScore, brief: HandoffBrief, motion: Motion, owner: String?) -> HandoffBrief.RecommendedPlay? {
        let positive = score.contributions.filter { $0.points > 0 }
        var chosen: (play: Play, reason: String?)?
        for play in model.config.routing.plays where play.motions?.contains(motion) ?? true {
            if play.signals.isEmpty {
                chosen = (play, nil)
                break
            }
            if let hit = positive.first(where: { play.signals.contains($0.signal) }) {
                chosen = (play, hit.reason)
                break
            }
        }
        guard let (play, playReason) = chosen else { return nil }
        let text = ReasonText.filled(play.talkTrack) { placeholder in
            switch placeholder {
            case "account": brief.name
            case "champion": brief.champion.map { $0.name ?? $0.email ?? $0.userId } ?? "the team"
            case "champion_title": brief.champion?.title ?? "user"
            case "why_now": brief.whyNow
            case "reason": playReason ?? brief.reasons.first ?? brief.whyNow
            case "owner": owner ?? "the team"
            default: nil
            }
        }
        return HandoffBrief.RecommendedPlay(id: play.id, title: play.title, talkTrack: text)
    }
}
