import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline

/// `signalbox shadow`: score a candidate model beside the live one, without routing.
struct Shadow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a candidate model beside the live one and compare them, without routing anything.",
        discussion: """
            Both models score every account on the same stored history at --as-of. The comparison shows \
            the stage agreement, how alike the rankings are, which accounts the candidate would make \
            sales-ready or drop, and, when conversions after --as-of are known, each model's sales-ready \
            precision and recall within the horizon. Nothing is routed, delivered or stored.
            """
    )

    @Argument(help: "The candidate config, e.g. one `signalbox train --out` wrote.")
    var candidate: String

    @OptionGroup var asOf: AsOfOption

    @Option(help: "How far after --as-of a conversion counts.")
    var horizon: String = "30d"

    @Option(help: "Accounts listed per direction.")
    var limit = 10

    @Option(help: "table or json.")
    var format: ReportFormat = .table

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard DurationText.seconds(horizon) != nil else { throw ValidationError("--horizon \"\(horizon)\" is not a duration such as 30d") }
        guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        let when = try asOf.resolve()
        let window = DurationText.seconds(horizon)!
        let (config, run) = try project.openScoringRun()
        let candidateConfig = try reportingFailures { try ProjectFiles.loadConfig(path: candidate) }
        let (liveScores, candidateScores, conversions) = try reportingFailures {
            let liveEngine = try run.engine(asOf: when)
            let candidateEngine = try run.store.replay(model: CompiledModel(candidateConfig), companies: run.engine.companies, until: when)
            let outcomes = try run.store.learningOutcomes(config: config, engine: run.engine)
            let conversions = OutcomeResolver.resolve(outcomes, engine: liveEngine).outcomes.firstTimes.conversions
            return (liveEngine.scoreAll(asOf: when), candidateEngine.scoreAll(asOf: when), conversions)
        }
        let known = conversions.values.contains { $0 > when }
        let comparison = ShadowComparison(
            live: liveScores, candidate: candidateScores, asOf: when, conversions: known ? conversions : nil, horizon: window, limit: limit
        )
        switch format {
        case .table: print(ShadowReportText.render(comparison, live: config.name, candidate: candidateConfig.name), terminator: "")
        case .json: print(try ReportJSON.encode(comparison), terminator: "")
        }
    }
}
