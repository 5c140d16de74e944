import Foundation

/// Firmographics for one company, keyed by its domain.
public struct Company: Sendable, Equatable, Codable {
    public var domain: String
    public var name: String?
    public var employees: Double?
    public var industry: String?
    public var country: String?
    public var techStack: [String]
    public var fundingStage: String?
    /// Any other column of the firmographics file, usable in fit rules by its header name.
    public var extra: [String: String]

    public init(
        domain: String, name: String? = nil, employees: Double? = nil, industry: String? = nil,
        country: String? = nil, techStack: [String] = [], fundingStage: String? = nil, extra: [String: String] = [:]
    ) {
        self.domain = domain
        self.name = name
        self.employees = employees
        self.industry = industry
        self.country = country
        self.techStack = techStack
        self.fundingStage = fundingStage
        self.extra = extra
    }

    /// A field by its column name, as fit rules refer to it.
    public func field(_ key: String) -> JSONValue? {
        switch key {
        case "domain": return .string(domain)
        case "name": return name.map(JSONValue.string)
        case "employees": return employees.map(JSONValue.number)
        case "industry": return industry.map(JSONValue.string)
        case "country": return country.map(JSONValue.string)
        case "tech_stack": return techStack.isEmpty ? nil : .array(techStack.map(JSONValue.string))
        case "funding_stage": return fundingStage.map(JSONValue.string)
        default:
            guard let raw = extra[key], !raw.isEmpty else { return nil }
            return Double(raw).map(JSONValue.number) ?? .string(raw)
        }
    }
}
