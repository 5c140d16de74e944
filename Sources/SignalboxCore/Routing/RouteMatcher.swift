import Foundation

/// Finds the route for an account: the first whose conditions all hold, else the default route.
struct RouteMatcher {
    let routing: RoutingConfig

    /// The route and the facts that made it match, in words.
    func match(score: AccountScore, profile: AccountProfile) -> (route: Route, because: String) {
        let facts = AccountFacts(score: score, profile: profile, routing: routing)
        for route in routing.routes {
            if let because = facts.satisfy(route.conditions) { return (route, because) }
        }
        return (routing.defaultRoute, "no route matched (\(facts.summary))")
    }
}

/// What route conditions look at, worked out once per account.
struct AccountFacts {
    let score: AccountScore
    let fitTier: String?
    let segment: String?
    let isCustomer: Bool

    init(score: AccountScore, profile: AccountProfile, routing: RoutingConfig) {
        self.score = score
        fitTier = routing.fitTier(score.fit)
        segment = routing.segments.first { profile.passes($0.filter) }?.name
        isCustomer = routing.customer.map(profile.passes) ?? false
    }

    var summary: String {
        var parts = [score.stage.rawValue, "fit " + (fitTier.map { "tier \($0)" } ?? "unknown")]
        if let segment { parts.append("segment \(segment)") }
        if isCustomer { parts.append("customer") }
        return parts.joined(separator: ", ")
    }

    /// The conditions that held, in words, or nil when one does not.
    func satisfy(_ conditions: RouteConditions) -> String? {
        var held: [String] = []
        if let stages = conditions.stages {
            guard stages.contains(score.stage) else { return nil }
            held.append(score.stage.rawValue)
        }
        if let customer = conditions.customer {
            guard customer == isCustomer else { return nil }
            held.append(customer ? "paying customer" : "not a customer")
        }
        if let fastLane = conditions.fastLane {
            guard fastLane == score.isFastLane else { return nil }
            held.append(fastLane ? "hand-raiser" : "no hand-raise")
        }
        if let unknown = conditions.fitUnknown {
            guard unknown == (score.fit == nil) else { return nil }
            held.append(unknown ? "fit unknown" : "fit known")
        }
        if let tiers = conditions.fitTiers {
            guard let fitTier, tiers.contains(fitTier) else { return nil }
            held.append("fit tier \(fitTier)")
        }
        if let segments = conditions.segments {
            guard let segment, segments.contains(segment) else { return nil }
            held.append("segment \(segment)")
        }
        for field in RouteConditions.ScoreField.allCases {
            guard let range = conditions.ranges[field] else { continue }
            guard let value = self.value(field), range.contains(value) else { return nil }
            held.append("\(field.rawValue) \(ReasonText.format(value))")
        }
        return held.isEmpty ? "every account" : held.joined(separator: ", ")
    }

    private func value(_ field: RouteConditions.ScoreField) -> Double? {
        switch field {
        case .total: score.total
        case .fit: score.fit
        case .value: score.value
        case .intent: score.intent
        }
    }
}
