import Foundation

/// Ground truth for one account: it converted (at a time, for an annual contract value) or was lost.
public struct Outcome: Sendable, Equatable, Codable {
    /// What an outcome names: an account id, a workspace (`groupId`) or a company domain.
    public enum Key: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
        case account(String)
        case workspace(String)
        case domain(String)

        public var description: String {
            switch self {
            case .account(let id): "account \(id)"
            case .workspace(let id): "workspace \(id)"
            case .domain(let domain): "domain \(domain)"
            }
        }
    }

    public var key: Key
    public var convertedAt: Date?
    public var lostAt: Date?
    public var acv: Double?

    public init(key: Key, convertedAt: Date?, lostAt: Date? = nil, acv: Double? = nil) {
        self.key = key
        self.convertedAt = convertedAt
        self.lostAt = lostAt
        self.acv = acv
    }
}

/// An outcome tied to the account it belongs to.
public struct AccountOutcome: Sendable, Equatable {
    public var accountId: String
    public var convertedAt: Date?
    public var lostAt: Date?
    public var acv: Double?

    public init(accountId: String, convertedAt: Date?, lostAt: Date? = nil, acv: Double? = nil) {
        self.accountId = accountId
        self.convertedAt = convertedAt
        self.lostAt = lostAt
        self.acv = acv
    }
}

extension Array where Element == AccountOutcome {
    /// Each account's first conversion and first loss.
    public var firstTimes: (conversions: [String: Date], losses: [String: Date]) {
        var conversions: [String: Date] = [:]
        var losses: [String: Date] = [:]
        for outcome in self {
            if let at = outcome.convertedAt { conversions[outcome.accountId] = Swift.min(conversions[outcome.accountId] ?? at, at) }
            if let at = outcome.lostAt { losses[outcome.accountId] = Swift.min(losses[outcome.accountId] ?? at, at) }
        }
        return (conversions, losses)
    }
}

/// Reads an outcomes CSV: a key column (`account_id`, `workspace_id`, `group_id` or `domain`),
/// `converted_at` and/or `lost_at`, and optionally `acv`. Errors name the file and line.
public enum OutcomesFile {
    public static let keyColumns = ["account_id", "workspace_id", "group_id", "domain"]

    public static func parse(_ text: String, file: String) throws(FileError) -> [Outcome] {
        let table = try CSVTable(parsing: text, file: file)
        guard let keyColumn = keyColumns.first(where: table.header.contains), let keyIndex = table.header.firstIndex(of: keyColumn) else {
            throw FileError(file: file, line: 1, message: "needs a key column: one of \(keyColumns.joined(separator: ", "))")
        }
        let converted = table.header.firstIndex(of: "converted_at")
        let lost = table.header.firstIndex(of: "lost_at")
        guard converted != nil || lost != nil else { throw FileError(file: file, line: 1, message: "needs a converted_at or a lost_at column") }
        let acv = table.header.firstIndex(of: "acv")
        var outcomes: [Outcome] = []
        for record in table.records {
            func time(_ column: Int?, _ name: String) throws(FileError) -> Date? {
                guard let column, !record.fields[column].isEmpty else { return nil }
                guard let date = Timestamp.parse(record.fields[column]) else {
                    throw FileError(file: file, line: record.line, message: "\(name) \"\(record.fields[column])\" is not a date or time")
                }
                return date
            }
            let id = record.fields[keyIndex].trimmingBlanks()
            guard !id.isEmpty else { throw FileError(file: file, line: record.line, message: "\(keyColumn) is empty") }
            let key: Outcome.Key = switch keyColumn {
            case "domain": .domain(DomainName.normalize(id) ?? id.lowercased())
            case "account_id": .account(id)
            default: .workspace(id)
            }
            var outcome = Outcome(key: key, convertedAt: try time(converted, "converted_at"), lostAt: try time(lost, "lost_at"))
            guard outcome.convertedAt != nil || outcome.lostAt != nil else {
                throw FileError(file: file, line: record.line, message: "has neither converted_at nor lost_at")
            }
            if let acv, !record.fields[acv].isEmpty {
                guard let number = Double(record.fields[acv]), number >= 0 else {
                    throw FileError(file: file, line: record.line, message: "acv \"\(record.fields[acv])\" is not a non-negative number")
                }
                outcome.acv = number
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}

/// Ties outcomes to accounts through the identity graph.
public enum OutcomeResolver {
    /// Outcomes by account, and the keys no account matched. A workspace counts for the account it
    /// belongs to; a domain for every account of that company.
    public static func resolve(_ outcomes: [Outcome], engine: Engine) -> (outcomes: [AccountOutcome], unmatched: [Outcome.Key]) {
        let accounts = engine.accounts()
        let personal = engine.model.config.identity.personalDomains
        var byDomain: [String: Set<String>] = [:]
        for (account, workspaces) in accounts {
            for workspace in workspaces {
                if let domain = engine.identity.domain(of: workspace, personalDomains: personal) { byDomain[domain, default: []].insert(account) }
            }
        }
        var resolved: [AccountOutcome] = []
        var unmatched: [Outcome.Key] = []
        for outcome in outcomes {
            let ids: [String]
            switch outcome.key {
            case .account(let id): ids = accounts[id] == nil ? [] : [id]
            case .workspace(let id):
                ids = engine.identity.workspaces[id] != nil || engine.state(ofWorkspace: id) != nil ? [engine.accountId(ofWorkspace: id)] : []
            case .domain(let domain): ids = (byDomain[domain] ?? []).sorted()
            }
            if ids.isEmpty { unmatched.append(outcome.key) }
            resolved += ids.map { AccountOutcome(accountId: $0, convertedAt: outcome.convertedAt, lostAt: outcome.lostAt, acv: outcome.acv) }
        }
        return (resolved, unmatched)
    }
}
