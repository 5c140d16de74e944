import ArgumentParser
import SignalboxCore
import SignalboxPipeline

/// `signalbox sla`: move handoffs' SLA clocks (for a cron job when `signalbox serve` is not running).
struct SLA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Remind, reassign or escalate handoffs whose first touch is overdue.",
        discussion: """
            A handoff's SLA runs in its owner's working time. When it falls due with no disposition or \
            first touch, the owner is reminded; one SLA period later the account goes to the next rep of \
            the team; if that rep misses it too, the team's manager is told. `signalbox serve` does this \
            every minute; the notices go out with `signalbox outbox deliver`.
            """
    )

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let now = try asOf.resolve()
        let config = try project.loadConfig()
        let store = try project.openStore(config: config)
        var ledger = try reportingFailures { try store.routingLedger(asOf: now) }
        let steps = try reportingFailures { try SLARun(store: store, routing: config.routing).tick(now: now, ledger: &ledger) }
        for step in steps { print("\(step.step.rawValue)\thandoff \(step.handoffId)\t\(step.detail)") }
        print("\(steps.count) SLA steps taken")
    }
}
