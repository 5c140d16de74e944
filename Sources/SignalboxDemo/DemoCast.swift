import Foundation
import SignalboxCore

/// A company in the demo world.
struct DemoCompany {
    var domain: String
    var name: String
    var employees: Int
    var industry: String
    var country: String
    var techStack: String
    var fundingStage: String
    /// Whether the firmographics file knows it.
    var listed: Bool
}

/// A person in the demo world.
struct DemoPerson {
    var id: String
    var anonymousId: String
    var email: String
    var name: String
    var title: String
    var seniority: String
    /// Day the person joins the workspace.
    var joinDay: Int
    /// Client clock offset in seconds, for people whose devices send skewed times.
    var clockSkew: Double?
}

/// A workspace and the plan for how it behaves.
final class DemoWorkspace {
    let id: String
    let archetype: DemoArchetype
    let company: DemoCompany?
    let name: String
    var people: [DemoPerson]
    let signupDay: Int
    /// Day the account converts (may lie after the end of history), or nil.
    let conversionDay: Int?
    let acv: Int
    /// Good-fit accounts that do not convert still look around, less.
    let curious: Bool
    var integrations = 0
    var upgradeStarted = false
    var billingAdded = false
    var contactedSales = false

    init(id: String, archetype: DemoArchetype, company: DemoCompany?, name: String, people: [DemoPerson], signupDay: Int, conversionDay: Int?, acv: Int, curious: Bool) {
        self.id = id
        self.archetype = archetype
        self.company = company
        self.name = name
        self.people = people
        self.signupDay = signupDay
        self.conversionDay = conversionDay
        self.acv = acv
        self.curious = curious
    }
}

/// Everyone in the demo world, decided up front from the seed.
struct DemoCast {
    var workspaces: [DemoWorkspace] = []
    var companies: [DemoCompany] = []

    init(options: DemoWorld.Options, random: inout DemoRandom) {
        let days = options.days
        var usedDomains = Set<String>()
        var userCount = 0
        for index in 1...max(1, options.workspaces) {
            let archetype = DemoCast.pickArchetype(&random)
            var company: DemoCompany?
            if archetype != .personalEmailHobbyist {
                if [.icpTeam, .goodFitExplorer].contains(archetype), let previous = companies.last(where: { $0.industry != "Education" && $0.domain != "acmeanalytics.io" }),
                   random.chance(0.05) {
                    company = previous
                } else {
                    company = DemoCast.makeCompany(archetype, used: &usedDomains, random: &random)
                    companies.append(company!)
                }
            }
            let signupDay: Int
            switch archetype {
            case .dormant: signupDay = random.int(0...max(0, days - 60))
            case .icpTeam: signupDay = random.int(max(0, days - 70)...max(0, days - 20))
            case .expansionReady, .internal: signupDay = random.int(0...max(0, days / 3))
            default: signupDay = random.int(0...max(0, days - 10))
            }
            let converts = random.chance(archetype.conversionRate)
            let conversionDay = converts ? (random.chance(0.75) ? days + random.int(1...30) : days - random.int(1...min(30, max(1, days - signupDay - 1)))) : nil
            let memberCount = random.int(archetype.members)
            var people: [DemoPerson] = []
            for member in 0..<memberCount {
                userCount += 1
                let first = random.pick(DemoNames.firstNames)
                let last = random.pick(DemoNames.lastNames)
                let personal = archetype == .personalEmailHobbyist || (archetype != .internal && random.chance(0.15))
                let domain = personal ? random.pick(DemoNames.personalDomains) : company!.domain
                let buyer = [.icpTeam, .expansionReady, .goodFitExplorer].contains(archetype) && (member == 0 ? random.chance(0.6) : random.chance(0.15))
                let title = archetype == .student ? "Student" : buyer ? random.pick(DemoNames.buyerTitles) : random.pick(DemoNames.userTitles)
                let spread = archetype == .icpTeam ? 18 : 40
                let joinDay = member == 0 ? signupDay : min(days - 1, signupDay + random.int(1...spread))
                people.append(DemoPerson(
                    id: "u_" + String(userCount).leftPadded(6), anonymousId: "anon-" + random.messageId().prefix(13),
                    email: "\(first).\(last)\(userCount % 97)@\(domain)", name: "\(first.capitalized) \(last.capitalized)",
                    title: title, seniority: buyer ? random.pick(["director", "vp", "cxo"]) : random.pick(["ic", "manager"]),
                    joinDay: joinDay, clockSkew: random.chance(0.05) ? Double(random.int(-4 * 3600...4 * 3600)) : nil
                ))
            }
            let name: String
            switch archetype {
            case .testWorkspace: name = random.pick(["QA test \(company!.name)", "Test workspace \(index)", "test-ws-\(index)"])
            case .personalEmailHobbyist: name = "\(people[0].name)'s workspace"
            default: name = company!.name + (random.chance(0.2) ? " \(random.pick(["Data", "Analytics", "Team", "EU"]))" : "")
            }
            let acv = archetype == .smallTeamSelfServe ? random.int(600...3_000) : random.int(12_000...80_000)
            workspaces.append(DemoWorkspace(
                id: "ws_" + String(index).leftPadded(5), archetype: archetype, company: company, name: name, people: people,
                signupDay: signupDay, conversionDay: conversionDay, acv: acv, curious: random.chance(0.3)
            ))
        }
    }

    private static func pickArchetype(_ random: inout DemoRandom) -> DemoArchetype {
        var roll = Double.random(in: 0..<1, using: &random)
        for archetype in DemoArchetype.allCases {
            roll -= archetype.weight
            if roll < 0 { return archetype }
        }
        return .goodFitExplorer
    }

    private static func makeCompany(_ archetype: DemoArchetype, used: inout Set<String>, random: inout DemoRandom) -> DemoCompany {
        switch archetype {
        case .internal:
            return DemoCompany(domain: "acmeanalytics.io", name: "Acme Analytics", employees: 120, industry: "Software", country: "US",
                               techStack: "snowflake;dbt", fundingStage: "series_b", listed: true)
        case .competitor:
            let domain = random.pick(DemoNames.competitors)
            return DemoCompany(domain: domain, name: domain.split(separator: ".")[0].capitalized, employees: random.int(20...200),
                               industry: "Software", country: "US", techStack: "snowflake;dbt", fundingStage: "series_a", listed: true)
        case .student:
            let domain = random.pick(DemoNames.universities)
            return DemoCompany(domain: domain, name: domain.split(separator: ".")[0].uppercased() + " University", employees: random.int(5_000...40_000),
                               industry: "Education", country: domain.hasSuffix(".uk") ? "GB" : "US", techStack: "postgres;excel", fundingStage: "public", listed: true)
        default:
            var domain: String
            var name: String
            repeat {
                let prefix = random.pick(DemoNames.prefixes)
                let suffix = random.pick(DemoNames.suffixes)
                name = prefix.capitalized + suffix.capitalized
                domain = "\(prefix)\(random.chance(0.5) ? "-" : "")\(suffix).\(random.pick(DemoNames.tlds))"
                if used.contains(domain) { domain = "\(prefix)\(suffix)\(used.count).\(random.pick(DemoNames.tlds))" }
            } while used.contains(domain)
            used.insert(domain)
            let goodFit = [.icpTeam, .goodFitExplorer, .expansionReady, .testWorkspace].contains(archetype)
            let employees: Int
            switch archetype {
            case .icpTeam, .testWorkspace: employees = random.int(50...2_000)
            case .goodFitExplorer: employees = random.int(50...5_000)
            case .expansionReady: employees = random.int(30...1_500)
            case .smallTeamSelfServe: employees = random.int(2...15)
            default: employees = random.int(5...3_000)
            }
            return DemoCompany(
                domain: domain, name: name, employees: employees,
                industry: goodFit && random.chance(0.9) ? random.pick(DemoNames.goodIndustries) : random.pick(DemoNames.goodIndustries + DemoNames.otherIndustries + DemoNames.otherIndustries),
                country: random.chance(goodFit ? 0.9 : 0.6) ? random.pick(DemoNames.goodCountries) : random.pick(DemoNames.otherCountries),
                techStack: random.pick(DemoNames.techStacks), fundingStage: random.pick(DemoNames.fundingStages), listed: random.chance(0.85)
            )
        }
    }

    func companiesCSV(random: inout DemoRandom) -> String {
        var seen = Set<String>()
        var lines = ["domain,name,employees,industry,country,tech_stack,funding_stage"]
        for company in companies where company.listed && seen.insert(company.domain).inserted {
            lines.append([company.domain, company.name, String(company.employees), company.industry, company.country, company.techStack, company.fundingStage].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func outcomesCSV(start: Double) -> String {
        var lines = ["account_id,converted_at,acv"]
        for workspace in workspaces {
            guard let day = workspace.conversionDay else { continue }
            let time = Date(timeIntervalSince1970: start + Double(day) * 86_400 + 13 * 3_600)
            lines.append("\(workspace.id),\(Timestamp.format(time)),\(workspace.acv)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
