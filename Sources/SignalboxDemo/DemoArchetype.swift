/// The kinds of workspace the demo world holds, each with its own behaviour and conversion odds.
public enum DemoArchetype: String, Sendable, CaseIterable {
    /// Good-fit team that activates, grows and shows buying intent.
    case icpTeam
    /// Good fit, light use.
    case goodFitExplorer
    /// Tiny company with real use; small deals.
    case smallTeamSelfServe
    /// Logs in every day and never reaches value.
    case heavyLoginNoValue
    /// A burst of early use, then nothing.
    case dormant
    /// Personal email only; no company data.
    case personalEmailHobbyist
    /// University users.
    case student
    /// Competitors researching the product.
    case competitor
    /// The vendor's own staff.
    case `internal`
    /// QA and test workspaces.
    case testWorkspace
    /// Already paying, growing into limits.
    case expansionReady

    /// Share of workspaces.
    var weight: Double {
        switch self {
        case .icpTeam: 0.12
        case .goodFitExplorer: 0.18
        case .smallTeamSelfServe: 0.15
        case .heavyLoginNoValue: 0.10
        case .dormant: 0.15
        case .personalEmailHobbyist: 0.10
        case .student: 0.06
        case .competitor: 0.03
        case .internal: 0.02
        case .testWorkspace: 0.02
        case .expansionReady: 0.07
        }
    }

    /// Chance the workspace converts.
    var conversionRate: Double {
        switch self {
        case .icpTeam: 0.45
        case .goodFitExplorer: 0.08
        case .smallTeamSelfServe: 0.15
        case .heavyLoginNoValue: 0.01
        case .dormant: 0.02
        case .personalEmailHobbyist: 0.03
        case .expansionReady: 0.30
        case .student, .competitor, .internal, .testWorkspace: 0
        }
    }

    var members: ClosedRange<Int> {
        switch self {
        case .icpTeam: 3...9
        case .goodFitExplorer: 1...3
        case .smallTeamSelfServe: 1...3
        case .heavyLoginNoValue: 1...2
        case .dormant: 1...3
        case .personalEmailHobbyist: 1...2
        case .student: 1...4
        case .competitor: 1...2
        case .internal: 2...5
        case .testWorkspace: 1...2
        case .expansionReady: 5...14
        }
    }

    /// Chance a member is active on a given day after joining.
    var dailyActivity: Double {
        switch self {
        case .icpTeam: 0.55
        case .goodFitExplorer: 0.18
        case .smallTeamSelfServe: 0.35
        case .heavyLoginNoValue: 0.9
        case .dormant: 0.5
        case .personalEmailHobbyist: 0.3
        case .student: 0.45
        case .competitor: 0.3
        case .internal: 0.6
        case .testWorkspace: 0.9
        case .expansionReady: 0.5
        }
    }

    /// Chance an active member does something of value that day.
    var valueRate: Double {
        switch self {
        case .heavyLoginNoValue: 0
        case .goodFitExplorer: 0.25
        case .icpTeam, .expansionReady, .testWorkspace, .internal: 0.6
        default: 0.4
        }
    }

    /// Baseline chance of looking at pricing on an active day.
    var pricingInterest: Double {
        switch self {
        case .competitor: 0.35
        case .student: 0.15
        case .internal, .testWorkspace: 0.1
        case .heavyLoginNoValue: 0.02
        default: 0.03
        }
    }

    /// Workspaces whose behaviour should never make them sales-ready.
    public var isNeverSalesReady: Bool {
        switch self {
        case .student, .competitor, .internal, .testWorkspace: true
        default: false
        }
    }
}
