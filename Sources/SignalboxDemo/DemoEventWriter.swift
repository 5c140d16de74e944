import Foundation
import SignalboxCore

/// Decides what each workspace does on each day and writes it as Segment NDJSON.
struct DemoEventWriter {
    var random: DemoRandom

    init(random: DemoRandom) {
        self.random = random
    }

    /// The lines a workspace produces on one day, with their true times.
    mutating func events(for workspace: DemoWorkspace, day: Int, dayStart: Double, totalDays: Int) -> [(Double, String)] {
        guard day >= workspace.signupDay else { return [] }
        var out: [(Double, String)] = []
        let archetype = workspace.archetype
        func time() -> Double { randomTime(dayStart) }

        for person in workspace.people where person.joinDay == day {
            let joined = time()
            if person.id == workspace.people[0].id {
                for page in ["Home", random.pick(["Pricing", "Docs", "Home"])] where random.chance(0.8) {
                    out.append((joined - 600, line(type: "page", person: person, anonymous: true, time: joined - 600, fields: "\"name\":\"\(page)\",\"properties\":{\"url\":\"https://acmeanalytics.io/\(page.lowercased())\"}")))
                }
            } else {
                let inviter = workspace.people[0]
                out.append(track(workspace, inviter, "Teammate Invited", time: joined - 3_600, properties: "\"invitee_email\":\"\(person.email)\",\"role\":\"\(random.pick(["member", "admin"]))\""))
            }
            out.append((joined, identify(person, time: joined)))
            out.append((joined + 1, group(workspace, person, time: joined + 1)))
            if person.id == workspace.people[0].id {
                out.append(track(workspace, person, "Signed Up", time: joined + 2, properties: "\"plan\":\"free\""))
            }
        }

        if archetype == .dormant, day > workspace.signupDay + 20 { return out }
        let intentWindow = workspace.conversionDay.map { (min($0, totalDays) - 21)...min($0, totalDays) }
        let ramping = intentWindow?.contains(day) ?? false

        for person in workspace.people where person.joinDay <= day && random.chance(archetype.dailyActivity) {
            out.append(track(workspace, person, "Logged In", time: time()))
            let views = archetype == .heavyLoginNoValue ? random.int(2...5) : random.int(0...2)
            for _ in 0..<views {
                let at = time()
                out.append((at, page(workspace, person, random.pick(["Home", "Dashboard"]), time: at)))
            }
            if random.chance(archetype.valueRate) { out += valueActions(workspace, person, dayStart: dayStart) }
            let pricingChance = archetype.pricingInterest + (ramping ? 0.35 : 0) + (workspace.curious && day > totalDays - 21 ? 0.1 : 0)
            if random.chance(pricingChance) {
                let at = time()
                out.append((at, page(workspace, person, "Pricing", time: at)))
            }
        }
        let admin = workspace.people[0]
        // People who never reach value do not raise their hands either: they at most look at pricing.
        let handRaising = ramping && archetype != .heavyLoginNoValue
        if handRaising || ([.internal, .testWorkspace].contains(archetype) && random.chance(0.05)) || (archetype == .expansionReady && random.chance(0.1)) {
            out += intentActions(workspace, admin, dayStart: dayStart, nearEnd: day >= (workspace.conversionDay.map { min($0, totalDays) } ?? totalDays) - 10)
        }
        if archetype == .dormant, day == workspace.signupDay + 20, workspace.integrations > 0, random.chance(0.5) {
            out.append(track(workspace, admin, "Integration Disconnected", time: time(), properties: "\"integration\":\"\(random.pick(DemoNames.integrations))\""))
        }
        if archetype == .goodFitExplorer, random.chance(0.005) {
            out.append(track(workspace, admin, "Seat Removed", time: time()))
        }
        if workspace.integrations > 0, archetype != .dormant || day <= workspace.signupDay + 20, random.chance(0.8) {
            let big = [.icpTeam, .expansionReady, .testWorkspace].contains(archetype)
            out.append(track(workspace, admin, "Rows Synced", time: time(), properties: "\"rows\":\(big ? random.int(20_000...150_000) : random.int(1_000...30_000))"))
        }
        return out
    }

    /// A moment in working hours of the day starting at `dayStart`.
    private mutating func randomTime(_ dayStart: Double) -> Double {
        dayStart + Double(random.int(8 * 3_600...20 * 3_600)) + Double(random.int(0...999)) / 1000
    }

    private mutating func valueActions(_ workspace: DemoWorkspace, _ person: DemoPerson, dayStart: Double) -> [(Double, String)] {
        var out: [(Double, String)] = []
        func time() -> Double { randomTime(dayStart) }
        let roll = Double.random(in: 0..<1, using: &random)
        switch roll {
        case ..<0.3:
            out.append(track(workspace, person, "Project Created", time: time(), properties: "\"project_id\":\"p_\(random.int(1...999_999))\""))
        case ..<0.65:
            out.append(track(workspace, person, "Report Created", time: time(), properties: "\"report_type\":\"\(random.pick(DemoNames.reportTypes))\""))
        case ..<0.77:
            out.append(track(workspace, person, "Dashboard Shared", time: time(), properties: "\"channel\":\"\(random.pick(DemoNames.channels))\""))
        case ..<0.87 where workspace.integrations < 3:
            workspace.integrations += 1
            out.append(track(workspace, person, "Integration Connected", time: time(), properties: "\"integration\":\"\(random.pick(DemoNames.integrations))\""))
        default:
            out.append(track(workspace, person, "Data Exported", time: time(), properties: "\"format\":\"csv\""))
        }
        return out
    }

    private mutating func intentActions(_ workspace: DemoWorkspace, _ person: DemoPerson, dayStart: Double, nearEnd: Bool) -> [(Double, String)] {
        var out: [(Double, String)] = []
        func time() -> Double { randomTime(dayStart) }
        if random.chance(0.2) {
            out.append(track(workspace, person, "Plan Limit Hit", time: time(), properties: "\"limit\":\"\(random.pick(["rows", "seats", "projects"]))\",\"hard\":\(random.chance(0.3))"))
        }
        if workspace.archetype == .icpTeam || workspace.archetype == .expansionReady, random.chance(0.06) {
            out.append(track(workspace, person, "SSO Setup Viewed", time: time()))
        }
        if !workspace.upgradeStarted, random.chance(0.06) {
            workspace.upgradeStarted = true
            out.append(track(workspace, person, "Upgrade Started", time: time(), properties: "\"plan\":\"team\""))
        }
        if nearEnd, !workspace.billingAdded, random.chance(0.05) {
            workspace.billingAdded = true
            out.append(track(workspace, person, "Billing Added", time: time()))
        }
        if workspace.archetype == .icpTeam, !workspace.contactedSales, random.chance(0.03) {
            workspace.contactedSales = true
            out.append(track(workspace, person, "Contact Sales Requested", time: time()))
        }
        return out
    }

    // MARK: Lines

    private mutating func track(_ workspace: DemoWorkspace, _ person: DemoPerson, _ event: String, time: Double, properties: String = "") -> (Double, String) {
        let group = random.chance(0.9) ? ",\"groupId\":\"\(workspace.id)\"" : ""
        let fields = "\"event\":\"\(event)\",\"properties\":{\(properties)},\"context\":{\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.0\"}\(group)}"
        return (time, line(type: "track", person: person, anonymous: false, time: time, fields: fields, hasContext: true))
    }

    private mutating func page(_ workspace: DemoWorkspace, _ person: DemoPerson, _ name: String, time: Double) -> String {
        let fields = "\"name\":\"\(name)\",\"properties\":{\"url\":\"https://app.acmeanalytics.io/\(name.lowercased())\"},\"context\":{\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.0\"},\"groupId\":\"\(workspace.id)\"}"
        return line(type: "page", person: person, anonymous: false, time: time, fields: fields, hasContext: true)
    }

    private mutating func identify(_ person: DemoPerson, time: Double) -> String {
        let fields = "\"anonymousId\":\"\(person.anonymousId)\",\"traits\":{\"email\":\"\(person.email)\",\"name\":\"\(person.name)\",\"title\":\"\(person.title)\",\"seniority\":\"\(person.seniority)\",\"created_at\":\"\(Timestamp.format(Date(timeIntervalSince1970: time)))\"}"
        return line(type: "identify", person: person, anonymous: false, time: time, fields: fields)
    }

    private mutating func group(_ workspace: DemoWorkspace, _ person: DemoPerson, time: Double) -> String {
        var traits = "\"name\":\"\(workspace.name)\",\"plan\":\"\(workspace.archetype == .expansionReady ? "team" : "free")\""
        if let company = workspace.company, random.chance(0.6) {
            traits += random.chance(0.5) ? ",\"domain\":\"\(company.domain)\"" : ",\"website\":\"https://www.\(company.domain)\""
            if random.chance(0.2) { traits += ",\"employees\":\(company.employees)" }
        }
        return line(type: "group", person: person, anonymous: false, time: time, fields: "\"groupId\":\"\(workspace.id)\",\"traits\":{\(traits)}")
    }

    /// One message: ids, a fresh messageId, and the time as the person's client would report it.
    private mutating func line(type: String, person: DemoPerson, anonymous: Bool, time: Double, fields: String, hasContext: Bool = false) -> String {
        let identity = anonymous ? "\"anonymousId\":\"\(person.anonymousId)\"" : "\"userId\":\"\(person.id)\""
        let context = hasContext ? "" : ",\"context\":{\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.0\"}}"
        var timing: String
        if let skew = person.clockSkew {
            let received = time + 0.4
            timing = "\"originalTimestamp\":\"\(stamp(time + skew))\",\"sentAt\":\"\(stamp(time + skew + 0.4))\",\"receivedAt\":\"\(stamp(received))\""
        } else {
            timing = "\"timestamp\":\"\(stamp(time))\""
        }
        if random.chance(0.2) { timing = timing.replacingOccurrences(of: "Z\"", with: "+00:00\"") }
        return "{\"type\":\"\(type)\",\"messageId\":\"\(random.messageId())\",\(identity),\(timing),\(fields)\(context)}"
    }

    private func stamp(_ time: Double) -> String {
        Timestamp.format(Date(timeIntervalSince1970: time))
    }
}
