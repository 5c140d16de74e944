import Foundation

/// Who an account is: the facts fit rules and exclusions look at.
public struct AccountProfile: Sendable, Equatable {
    public var accountId: String
    public var name: String?
    /// Company domain, from group traits or members' work emails.
    public var domain: String?
    /// Firmographics for `domain`, when a record exists.
    public var company: Company?
    /// Traits from group calls of the account's workspaces.
    public var workspaceTraits: [String: JSONValue]
    /// Each member's identify traits, by user id.
    public var memberTraits: [String: [String: JSONValue]]
    /// Personal mailbox domains the members use (for "fit unknown" reasons).
    public var personalDomains: [String]

    public init(
        accountId: String, name: String? = nil, domain: String? = nil, company: Company? = nil,
        workspaceTraits: [String: JSONValue] = [:], memberTraits: [String: [String: JSONValue]] = [:],
        personalDomains: [String] = []
    ) {
        self.accountId = accountId
        self.name = name
        self.domain = domain
        self.company = company
        self.workspaceTraits = workspaceTraits
        self.memberTraits = memberTraits
        self.personalDomains = personalDomains
    }

    /// The values a field has for this account, with where each came from. A `company.`,
    /// `workspace.` or `user.` prefix restricts the source; otherwise company data wins over traits.
    func values(of field: String) -> [(source: String, value: JSONValue)] {
        // A dot first or last does not make a scope.
        let bytes = field.utf8
        let dot = bytes.firstIndex(of: UInt8(ascii: ".")).flatMap { $0 == bytes.startIndex || bytes.index(after: $0) == bytes.endIndex ? nil : $0 }
        let scope = dot.map { field[..<$0] }
        let key = dot.map { String(field[bytes.index(after: $0)...]) } ?? field
        var found: [(String, JSONValue)] = []
        if scope == nil || scope == "company", let value = company?.field(key) {
            found.append(("company", value))
        }
        if (scope == nil && found.isEmpty) || scope == "workspace", let value = workspaceTraits[key], !value.isNull {
            found.append(("workspace", value))
        }
        if (scope == nil && found.isEmpty) || scope == "user" || scope == "person" {
            for (user, traits) in memberTraits.sorted(by: { $0.key < $1.key }) {
                if let value = traits[key], !value.isNull { found.append(("user " + user, value)) }
            }
        }
        return found
    }

    /// Whether any value of the filter's field passes its test.
    func passes(_ filter: PropertyFilter) -> Bool {
        values(of: filter.field).contains { filter.test.holds(on: $0.value) }
    }
}
