import Foundation
import SignalboxCore

/// A synthetic product-led SaaS world: companies, workspaces and people whose Segment events show
/// activation, value, buying intent, and the noise real streams carry (duplicates, clock skew,
/// anonymous visits, internal, test, student and competitor workspaces), with known conversions.
///
/// ```swift
/// let summary = DemoWorld.generate(DemoWorld.Options(end: today)) { line in write(line) }
/// ```
public struct DemoWorld {
    /// What to generate.
    public struct Options: Sendable {
        public var seed: UInt64 = 42
        /// The end of history, and the as-of time the demo scores at.
        public var end: Date
        /// Days of history before `end`.
        public var days: Int = 120
        /// Workspaces in the world; events grow linearly with it (about 200 each).
        public var workspaces: Int = 1500

        public init(end: Date) {
            self.end = end
        }
    }

    /// Generates the world, handing each NDJSON line to `emitEvent` in roughly the order a collector
    /// would receive them, with some lines late and some delivered twice.
    public static func generate(_ options: Options, emitEvent: (String) -> Void) -> DemoWorldSummary {
        var random = DemoRandom(seed: options.seed)
        let cast = DemoCast(options: options, random: &random)
        let start = options.end.timeIntervalSince1970 - Double(options.days) * 86_400
        var writer = DemoEventWriter(random: DemoRandom(seed: options.seed ^ 0x5EED))
        var late: [String] = []
        var emitted = 0
        for day in 0..<options.days {
            let dayStart = start + Double(day) * 86_400
            var lines: [(Double, String)] = []
            for workspace in cast.workspaces {
                lines += writer.events(for: workspace, day: day, dayStart: dayStart, totalDays: options.days)
            }
            lines.sort { $0.0 < $1.0 }
            var heldBack: [String] = []
            for line in late { emitEvent(line); emitted += 1 }
            late.removeAll()
            for (_, line) in lines {
                if writer.random.chance(0.03) {
                    heldBack.append(line)
                    continue
                }
                emitEvent(line)
                emitted += 1
                if writer.random.chance(0.015) { heldBack.append(line) }
            }
            late = heldBack
        }
        for line in late { emitEvent(line); emitted += 1 }
        return DemoWorldSummary(
            companiesCSV: cast.companiesCSV(random: &random), outcomesCSV: cast.outcomesCSV(start: start), events: emitted,
            accounts: cast.workspaces.map { DemoAccount(workspaceId: $0.id, archetype: $0.archetype, domain: $0.company?.domain) }
        )
    }
}

/// What the generator produced besides the events.
public struct DemoWorldSummary: Sendable {
    /// `domain,name,employees,industry,country,tech_stack,funding_stage`.
    public let companiesCSV: String
    /// `account_id,converted_at,acv`.
    public let outcomesCSV: String
    /// Event lines emitted, duplicates included.
    public let events: Int
    public let accounts: [DemoAccount]
}

/// One generated workspace and what it really is.
public struct DemoAccount: Sendable {
    public let workspaceId: String
    public let archetype: DemoArchetype
    public let domain: String?
}
