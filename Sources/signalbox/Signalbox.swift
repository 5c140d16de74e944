import ArgumentParser

/// The `signalbox` command-line tool.
@main
struct Signalbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signalbox",
        abstract: "Find product-qualified leads in your product's event stream.",
        discussion: """
            Exit codes: 0 success, 64 bad usage, 65 bad input data or config, 66 input not found, 70 internal error.
            """,
        subcommands: [Demo.self, Init.self, Check.self, Import.self, Score.self, Explain.self, RouteCommand.self, Outbox.self, SLA.self, Labels.self, Outcomes.self, Train.self, BacktestCommand.self, Shadow.self, Signals.self, Drift.self, Serve.self]
    )
}
