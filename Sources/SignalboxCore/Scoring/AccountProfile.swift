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
        values(of: ProfileField(field))
    }

    /// ``values(of:)`` for a field already split into scope and key.
    func values(of field: ProfileField) -> [(source: String, value: JSONValue)] {
        let key = field.key
        var found: [(source: String, value: JSONValue)] = []
        if field.scope == .any || field.scope == .company, let value = company?.field(key) {
            found.append(("company", value))
        }
        if (field.scope == .any && found.isEmpty) || field.scope == .workspace, let value = workspaceTraits[key], !value.isNull {
            found.append(("workspace", value))
        }
        if (field.scope == .any && found.isEmpty) || field.scope == .user {
            var members: [(user: String, value: JSONValue)] = []
            for (user, traits) in memberTraits {
                if let value = traits[key], !value.isNull { members.append((user, value)) }
            }
            // Members in id order, so the first match is the same on every run.
            members.sort { $0.user < $1.user }
            found += members.map { ("user " + $0.user, $0.value) }
        }
        return found
    }

    /// Whether any value of the filter's field passes its test.
    func passes(_ filter: PropertyFilter) -> Bool {
        values(of: filter.field).contains { filter.test.holds(on: $0.value) }
    }
}

/// A profile field as rules name it: an optional `company.`, `workspace.` or `user.` (`person.`)
/// scope, and the key.
struct ProfileField: Sendable {
    enum Scope: Sendable {
        /// Company data, else workspace traits, else members' traits.
        case any
        case company
        case workspace
        case user
        /// A prefix that names no source: no value is found.
        case unknown
    }

    let scope: Scope
    let key: String

    init(_ field: String) {
        // A dot first or last does not make a scope.
        let bytes = field.utf8
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot != bytes.startIndex, bytes.index(after: dot) != bytes.endIndex else {
            scope = .any
            key = field
            return
        }
        key = String(field[bytes.index(after: dot)...])
        switch field[..<dot] {
        case "company": scope = .company
        case "workspace": scope = .workspace
        case "user", "person": scope = .user
        default: scope = .unknown
        }
    }
}
