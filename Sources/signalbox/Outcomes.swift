import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxPipeline

/// `signalbox outcomes`: conversions and losses, the ground truth that training and backtests learn from.
struct Outcomes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import conversions and losses (the labels for training and backtests).",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an outcomes CSV.",
            discussion: """
                Columns: a key (account_id, workspace_id, group_id or domain), converted_at and/or lost_at \
                (ISO 8601), and optionally acv. A domain counts for every account of that company. \
                Importing the same rows again changes nothing but their ACV.
                """
        )

        @Argument(help: "The outcomes CSV.")
        var file: String

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (_, run) = try project.openScoringRun()
            let outcomes = try reportingFailures {
                try OutcomesFile.parse(try ProjectFiles.readText(path: file), file: file)
            }
            let fresh = try reportingFailures { try run.store.recordOutcomes(outcomes, source: "file") }
            let (resolved, unmatched) = OutcomeResolver.resolve(outcomes, engine: run.engine)
            let converted = Set(resolved.filter { $0.convertedAt != nil }.map(\.accountId)).count
            let lost = Set(resolved.filter { $0.lostAt != nil }.map(\.accountId)).count
            print("Read \(outcomes.count) outcomes (\(fresh) new): \(converted) accounts converted, \(lost) lost")
            if !unmatched.isEmpty {
                let shown = unmatched.prefix(10).map(\.description).joined(separator: ", ")
                print("No account matches \(unmatched.count) of them (\(shown)\(unmatched.count > 10 ? ", …" : "")); they are kept and match once their events arrive")
            }
        }
    }
}
