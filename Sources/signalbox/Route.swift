import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxPipeline

extension RouteReport.Format: ExpressibleByArgument {}

/// `signalbox route`: hand every PQL and sales-ready account to its route and owner.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Route PQL and sales-ready accounts to a motion and an owner, with a brief.",
        discussion: """
            Routes come from the routing section of the config: the first matching route wins, one \
            company makes one handoff, and a route does not take the same company again inside its \
            cooldown unless the stage rises. Without --dry-run the decisions are recorded, so the \
            next run continues the round robin and the cooldowns from them.
            """
    )

    @Flag(help: "Show what would go where and why, and record nothing.")
    var dryRun = false

    @OptionGroup var asOf: AsOfOption

    @Option(help: "Output: table, brief (the full handoff text) or json.")
    var format: RouteReport.Format = .table

    @Flag(help: "Also list accounts held back by a cooldown or merged into their company's handoff.")
    var all = false

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let when = try asOf.resolve()
        let (config, scoring) = try project.openScoringRun()
        if !config.routing.isConfigured {
            FileHandle.standardError.write(Data("note: \(project.config) has no routing section, so every account takes the default route (nurture); `signalbox init` writes one to start from\n".utf8))
        }
        let run = RoutingRun(scoring: scoring)
        let plan = try reportingFailures { try run.plan(asOf: when) }
        if !dryRun { try reportingFailures { try run.commit(plan) } }
        let shown = all ? plan.decisions : plan.handoffs
        print(RouteReport.render(shown, format: format), terminator: "")
        if format != .json {
            print((dryRun ? "dry run, nothing recorded: " : "recorded: ") + RouteReport.summary(plan.decisions), terminator: "")
            let queued = plan.handoffs.reduce(0) { $0 + $1.destinations.count }
            if !dryRun, queued > 0 { print("\(queued) outbox messages queued; send them with `signalbox outbox deliver`") }
        }
    }
}
