import Foundation

/// Fit for one account: which rules matched, and whether anything is known at all.
struct FitEvaluation {
    /// 0…100, or nil when neither company data nor any trait a rule reads exists.
    let score: Double?
    /// The matched rules' points, unclamped (log-odds in a learned model).
    let points: Double
    let matches: [FitMatch]

    init(rules: [CompiledFitRule], profile: AccountProfile) {
        var known = profile.company != nil
        var matches: [FitMatch] = []
        for compiled in rules {
            let candidates = profile.values(of: compiled.field)
            if !candidates.isEmpty { known = true }
            guard let hit = candidates.first(where: { compiled.test.holds(on: $0.value) }) else { continue }
            let rule = compiled.rule
            matches.append(FitMatch(
                rule: rule.id, label: rule.label, source: hit.source, value: FitEvaluation.display(hit.value), points: rule.points
            ))
        }
        self.matches = matches
        points = matches.reduce(0) { $0 + $1.points }
        score = known ? min(100, max(0, points)) : nil
    }

    private static func display(_ value: JSONValue) -> String {
        if let list = value.arrayValue { return list.compactMap(\.stringValue).joined(separator: ", ") }
        return value.stringValue ?? value.serialized()
    }
}

/// A fit rule ready to test every account: its field split into scope and key, its test compiled.
struct CompiledFitRule: Sendable {
    let rule: FitRule
    let field: ProfileField
    let test: CompiledTest

    init(_ rule: FitRule) {
        self.rule = rule
        field = ProfileField(rule.filter.field)
        test = CompiledTest(rule.filter.test)
    }
}
