import Foundation

/// Tells whether an account must be kept away from sales, and why.
struct ExclusionCheck {
    let exclusions: Exclusions

    init(_ exclusions: Exclusions) {
        self.exclusions = exclusions
    }

    func reason(for profile: AccountProfile) -> String? {
        if exclusions.accounts.contains(profile.accountId) {
            return "Excluded: account \(profile.accountId) is on the exclusion list"
        }
        if let domain = profile.domain?.lowercased() {
            if let hit = exclusions.internalDomains.first(where: { DomainName.isSameOrSubdomain(domain, of: $0) }) {
                return "Excluded: internal domain \(hit)"
            }
            if let hit = exclusions.competitorDomains.first(where: { DomainName.isSameOrSubdomain(domain, of: $0) }) {
                return "Excluded: competitor \(hit)"
            }
            if let hit = exclusions.domains.first(where: { DomainName.isSameOrSubdomain(domain, of: $0) }) {
                return "Excluded: domain \(hit) is on the exclusion list"
            }
            if exclusions.education, DomainName.isEducation(domain) {
                return "Excluded: education domain \(domain)"
            }
        }
        if let name = profile.name {
            let tokens = ExclusionCheck.tokens(name)
            for pattern in exclusions.namePatterns {
                let wanted = ExclusionCheck.tokens(pattern)
                guard !wanted.isEmpty else { continue }
                let found = tokens.indices.contains { start in
                    start + wanted.count <= tokens.count && Array(tokens[start..<start + wanted.count]) == wanted
                }
                if found { return "Excluded: name \"\(name)\" matches \"\(pattern)\"" }
            }
        }
        return nil
    }

    /// Lower-cased words, so "test" matches "QA test" and "test-ws" but not "Contest Labs".
    private static func tokens(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
