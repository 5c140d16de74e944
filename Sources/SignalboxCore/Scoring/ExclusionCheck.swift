import Foundation

/// Tells whether an account must be kept away from sales, and why. Built once per model: its
/// domains are lower-cased and its name patterns split into words ahead of the accounts it checks.
struct ExclusionCheck: Sendable {
    private let education: Bool
    private let accounts: Set<String>
    private let internalDomains: [String]
    private let competitorDomains: [String]
    private let domains: [String]
    /// Each name pattern with its words; patterns without any are left out.
    private let namePatterns: [(pattern: String, words: [String])]

    init(_ exclusions: Exclusions) {
        education = exclusions.education
        accounts = Set(exclusions.accounts)
        internalDomains = exclusions.internalDomains.map { $0.lowercased() }
        competitorDomains = exclusions.competitorDomains.map { $0.lowercased() }
        domains = exclusions.domains.map { $0.lowercased() }
        namePatterns = exclusions.namePatterns.map { ($0, ExclusionCheck.words($0)) }.filter { !$0.words.isEmpty }
    }

    func reason(for profile: AccountProfile) -> String? {
        if accounts.contains(profile.accountId) {
            return "Excluded: account \(profile.accountId) is on the exclusion list"
        }
        if let domain = profile.domain?.lowercased() {
            if let hit = internalDomains.first(where: { DomainName.isSameOrSubdomain(domain, of: $0) }) {
                return "Excluded: internal domain \(hit)"
            }
            if let hit = competitorDomains.first(where: { DomainName.isSameOrSubdomain(domain, of: $0) }) {
                return "Excluded: competitor \(hit)"
            }
            if let hit = domains.first(where: { DomainName.isSameOrSubdomain(domain, of: $0) }) {
                return "Excluded: domain \(hit) is on the exclusion list"
            }
            if education, DomainName.isEducation(domain) {
                return "Excluded: education domain \(domain)"
            }
        }
        if let name = profile.name, !namePatterns.isEmpty {
            let words = ExclusionCheck.words(name)
            for (pattern, wanted) in namePatterns where words.count >= wanted.count {
                let found = (0...(words.count - wanted.count)).contains { start in
                    words[start..<start + wanted.count].elementsEqual(wanted)
                }
                if found { return "Excluded: name \"\(name)\" matches \"\(pattern)\"" }
            }
        }
        return nil
    }

    /// Lower-cased words, so "test" matches "QA test" and "test-ws" but not "Contest Labs".
    static func words(_ text: String) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        }
        // ASCII, the usual name: letters and digits are the word characters, without Unicode tables.
        var words: [String] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            default:
                guard !word.isEmpty else { continue }
                words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }
}
