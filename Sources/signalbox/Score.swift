import ArgumentParser
import SignalboxCore
import SignalboxPipeline

extension ScoreReport.Format: ExpressibleByArgument {}

/// `signalbox score`: every account's scores, stage and reasons.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Score every account and list them, best first.")

    @OptionGroup var asOf: AsOfOption

    @Option(help: "Output: table, csv or json.")
    var format: ScoreReport.Format = .table

    @Option(help: "Only accounts in this stage: \(Stage.allCases.map(\.rawValue).joined(separator: ", ")).")
    var stage: String?

    @Option(help: "At most this many accounts.")
    var limit: Int?

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if let stage, Stage(rawValue: stage) == nil {
            throw ValidationError("unknown stage \"\(stage)\"; choose one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let when = try asOf.resolve()
        let (_, run) = try project.openScoringRun()
        let scored = try reportingFailures { try run.scoreAll(asOf: when, record: true) }
        var selected = scored.filter { stage == nil || $0.score.stage.rawValue == stage }
        if let limit { selected = Array(selected.prefix(limit)) }
        print(ScoreReport.render(selected, format: format), terminator: "")
    }
}
