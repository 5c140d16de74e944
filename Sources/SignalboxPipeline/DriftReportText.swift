import Foundation
import SignalboxCore
import SignalboxLearning

/// `signalbox drift`'s report: both periods, the score and stage distributions with their PSI,
/// the signals that moved most, and the summary in words; for a terminal or as JSON.
public enum DriftReportText {
    /// Signals listed in the table at most; JSON holds them all.
    static let listedSignals = 15

    public static func render(_ report: DriftReport, format: ReportFormat) throws -> String {
        switch format {
        case .table: table(report)
        case .json: try ReportJSON.encode(report)
        }
    }

    private static func table(_ report: DriftReport) -> String {
        var text = TextTable.render([
            ["Baseline", period(report.baseline, horizonDays: report.horizonDays)],
            ["Current", period(report.current, horizonDays: report.horizonDays)],
        ])
        text += "\n" + distribution(report.scores, title: "Score") + "\n" + distribution(report.stages, title: "Stage")
        let signals = report.signals.prefix(listedSignals).map { shift in
            [
                shift.signal, "\(ReportText.percent(shift.baselinePresenceRate)) → \(ReportText.percent(shift.currentPresenceRate))", String(format: "%.3f", shift.presencePSI),
                "\(converted(shift.baselineConverted, of: shift.baselinePresent)) → \(converted(shift.currentConverted, of: shift.currentPresent))",
                shift.conversionZ.map { String(format: "%+.2f", $0) } ?? "-",
            ]
        }
        text += "\nSignals, the most moved first (present = share of account snapshots with it; converted = of those, within \(report.horizonDays) days):\n"
        text += TextTable.render([["signal", "present", "PSI", "converted", "z"]] + signals)
        return text + "\n" + report.summary.map { "- " + $0 }.joined(separator: "\n") + "\n"
    }

    private static func period(_ period: DriftReport.Period, horizonDays: Int) -> String {
        let mean = period.meanScore.map { String(format: ", mean score %.1f", $0) } ?? ""
        return "\(Timestamp.formatDay(period.from)) to \(Timestamp.formatDay(period.to)): \(period.snapshotTimes) weekly snapshots, \(period.accountSnapshots) account snapshots, "
            + "\(period.conversions) converted within \(horizonDays) days\(mean)"
    }

    private static func distribution(_ distribution: DriftReport.Distribution, title: String) -> String {
        let before = distribution.baselineShares
        let after = distribution.currentShares
        let rows = distribution.bins.indices.map { [distribution.bins[$0], ReportText.percent(before[$0]), ReportText.percent(after[$0])] }
        return TextTable.render([[title, "baseline", "current"]] + rows) + String(format: "PSI %.3f (%@)\n", distribution.psi, distribution.level.rawValue)
    }

    private static func converted(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "-" : "\(ReportText.percent(Double(part) / Double(whole))) (\(part)/\(whole))"
    }


}
