import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline

/// `signalbox drift`: has the population moved since the model was built?
struct Drift: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare scores, stages and signals between two periods, and say whether to retrain.",
        discussion: """
            Each period is seen in weekly snapshots from its first day through its last (history replayed \
            up to each, as for train). The total score distribution over the bins 0-10, 10-20, ..., 90-100 \
            and the stage mix are compared by PSI (below 0.1 stable, 0.1 to 0.25 a moderate shift, above \
            0.25 significant: retrain); each signal by how often it is present (PSI) and how accounts with \
            it converted within the horizon (two-proportion z-score).
            """
    )

    @Option(help: "The reference period, FROM..TO (e.g. 2026-09-01..2026-10-15).")
    var baseline: String

    @Option(help: "The period to check against it, FROM..TO, after the baseline.")
    var current: String

    @Option(help: "How far ahead a conversion counts (e.g. 30d).")
    var horizon: String = "30d"

    @Option(help: "Output: table or json.")
    var format: ReportFormat = .table

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard DurationText.seconds(horizon) != nil else { throw ValidationError("--horizon \"\(horizon)\" is not a duration such as 30d") }
        let periods = (baseline: try Self.period(baseline, flag: "--baseline"), current: try Self.period(current, flag: "--current"))
        guard periods.baseline.end < periods.current.start else {
            throw ValidationError("--baseline must end before --current starts (\(baseline) overlaps \(current))")
        }
        guard periods.current.end <= (try asOf.resolve()) else {
            throw ValidationError("--current \(current) ends after --as-of; a snapshot cannot read history that has not happened")
        }
    }

    func run() throws {
        let (config, run) = try project.openScoringRun()
        let snapshots = TrainingSnapshots(store: run.store, model: run.engine.model, companies: run.engine.companies)
        let report = try reportingFailures {
            do {
                return try snapshots.drift(
                    baseline: try Self.period(baseline, flag: "--baseline"), current: try Self.period(current, flag: "--current"),
                    horizon: DurationText.seconds(horizon)!, asOf: try asOf.resolve(),
                    outcomes: try run.store.learningOutcomes(config: config, engine: run.engine)
                )
            } catch let refusal as DriftRefusal {
                throw fail(refusal.description, code: 65)
            }
        }
        print(try reportingFailures { try DriftReportText.render(report, format: format) }, terminator: "")
    }

    /// `FROM..TO` as an interval; each end an ISO 8601 date or time.
    static func period(_ text: String, flag: String) throws -> DateInterval {
        let ends = text.components(separatedBy: "..")
        guard ends.count == 2, let from = Timestamp.parse(ends[0]), let to = Timestamp.parse(ends[1]) else {
            throw ValidationError("\(flag) \"\(text)\" is not a period; use FROM..TO with ISO 8601 dates, e.g. 2026-09-01..2026-10-15")
        }
        guard from < to else { throw ValidationError("\(flag) \"\(text)\" ends before it starts") }
        return DateInterval(start: from, end: to)
    }
}
