import ArgumentParser
import SignalboxCore
import SignalboxPipeline

/// `signalbox explain`: everything behind one account's score.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every signal, fit rule, gate and exclusion behind one account's score."
    )

    @Argument(help: "Account id (a workspace id, or a company domain when accounts roll up).")
    var account: String

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let when = try asOf.resolve()
        let (config, run) = try project.openScoringRun()
        let scored = try reportingFailures { try run.score(account: account, asOf: when) }
        guard let scored else { throw fail("no account \"\(account)\" in \(ProjectFiles.databasePath(option: project.db, config: config))", code: 66) }
        print(ScoreReport.explanation(scored, scoring: config.scoring), terminator: "")
    }
}
