import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline

/// `signalbox signals`: learn which behaviours are worth a signal.
struct Signals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the behaviours that precede conversion and turn them into signals.",
        subcommands: [Discover.self]
    )

    struct Discover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank events, property values and sequences over-represented among converters before they converted.",
            discussion: """
                Each converter is read over the --days before its first conversion, never at or after it. \
                Non-converters, ordered by account id, take the converters' conversion times in time order \
                in turn as the end of their own window, so both groups are seen at the same moments. Accounts \
                with no activity before their window's end, and excluded accounts, are left out. Lift is the \
                share of converters with a candidate over the share of non-converters with it, each add-one \
                smoothed. The report ends with suggested signals as YAML to paste under `signals:`.
                """
        )

        @Option(help: "Days looked back from each conversion.")
        var days = 30

        @Option(help: "Fewest converters a candidate must be seen in.")
        var minSupport = 10

        @Option(help: "At most this many candidates of each kind (events, property values, sequences).")
        var limit = 20

        @Option(help: "Output: table or json.")
        var format: ReportFormat = .table

        @OptionGroup var asOf: AsOfOption

        @OptionGroup var project: ProjectOptions

        func validate() throws {
            guard (1...365).contains(days) else { throw ValidationError("--days must be from 1 to 365") }
            guard minSupport >= 1 else { throw ValidationError("--min-support must be at least 1") }
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let end = try asOf.resolve()
            let lookBack = Double(days) * 86_400
            let (config, run) = try project.openScoringRun()
            let samples = try reportingFailures {
                let outcomes = try run.store.learningOutcomes(config: config, engine: run.engine)
                return try run.store.discoverySamples(model: run.engine.model, companies: run.engine.companies, asOf: end, lookBack: lookBack, outcomes: outcomes)
            }
            let report: DiscoveryReport
            do {
                report = try SignalDiscovery(minimumSupport: minSupport, limit: limit).run(samples, lookBack: lookBack)
            } catch {
                throw fail(error.description, code: 65)
            }
            let suggestions = SignalSuggestions(compounds: report.compounds, config: config, lookBack: lookBack)
            print(try reportingFailures { try DiscoveryReportText.render(report, suggestions: suggestions, format: format) }, terminator: "")
        }
    }
}
