import Foundation
import SignalboxCore
import SignalboxLearning

/// `signalbox train`'s report for a terminal, and the feature matrix as CSV.
public enum TrainingReportText {
    public static func render(_ report: TrainingReport) -> String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        let times = report.snapshotTimes
        var lines = [
            "Snapshots    \(times.count), \(times.first.map(Timestamp.formatDay) ?? "") to \(times.last.map(Timestamp.formatDay) ?? "")",
            "Train        \(report.trainRows) account snapshots, \(report.trainConversions) converted within the horizon",
            "Validate     \(report.validationRows) account snapshots (the most recent times), \(report.validationConversions) converted",
            "",
            "                         current model    learned model",
            "AUC                      \(pad(number(report.champion.auc), 17))\(number(report.challenger.auc))",
            "Log loss                 \(pad("-", 17))\(number(report.challenger.logLoss))",
            "Brier score              \(pad("-", 17))\(number(report.challenger.brier))",
            "Sales-ready precision    \(pad(ReportText.percent(report.championSalesReady.precision), 17))\(ReportText.percent(report.challengerAtEqualRecall?.precision))  (at the same recall, \(ReportText.percent(report.championSalesReady.recall)))",
            "Flagged                  \(pad(String(report.championSalesReady.flagged), 17))\(report.challengerAtEqualRecall.map { String($0.flagged) } ?? "-")",
            "",
            "Lift by decile (learned model): " + report.challenger.deciles.map { String(format: "%.1f", $0.lift) }.joined(separator: " "),
            "Calibration (learned model, predicted → observed):",
        ]
        for bin in report.challenger.calibration {
            lines.append(String(format: "  %3.0f–%3.0f%%  %6d accounts  %5.1f%% → %5.1f%%", bin.lower * 100, bin.upper * 100, bin.accounts, bin.meanPredicted * 100, bin.observedRate * 100))
        }
        if let advice = report.thresholds {
            lines.append("")
            lines.append("Recommended thresholds (learned score = % likely to convert within the horizon; validation):")
            lines.append("  sales_ready  score ≥ \(pad(format(advice.salesReadyScore), 5)) flags \(pad(String(advice.salesReady.flagged), 6)) precision \(ReportText.percent(advice.salesReady.precision)), recall \(ReportText.percent(advice.salesReady.recall))  (target precision \(ReportText.percent(advice.targetPrecision)))")
            lines.append("  pql          score ≥ \(pad(format(advice.pqlScore), 5)) flags \(pad(String(advice.pql.flagged), 6)) precision \(ReportText.percent(advice.pql.precision)), recall \(ReportText.percent(advice.pql.recall))  (twice the base rate of \(ReportText.percent(advice.baseRate)))")
        }
        let changed = report.halfLives.keys.sorted().filter { report.halfLives[$0] != report.configuredHalfLives[$0] }
        if !report.halfLives.isEmpty {
            lines.append("")
            lines.append(changed.isEmpty
                ? "Half-lives: the configured ones fit best (\(report.halfLives.count) decaying signals tried on the grid)"
                : "Half-lives chosen (alone, each fits the training rows best): " + changed.map { id in
                    "\(id) \(DurationText.format(report.halfLives[id]!)) (was \(report.configuredHalfLives[id].map(DurationText.format) ?? "-"))"
                }.joined(separator: ", "))
        }
        if !report.dropped.isEmpty {
            lines.append("")
            lines.append("Left out (a cooling or negative signal that did not lower conversion): " + report.dropped.joined(separator: ", "))
        }
        lines.append("")
        lines.append("Strongest features (log-odds per standard deviation, per unit, rows where present):")
        for weight in report.weights.prefix(12) {
            lines.append(String(format: "  %@ %+7.3f  %+9.4f  %6d", pad(weight.feature, 34), weight.standardizedWeight, weight.weight, weight.support))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comment block at the top of a learned config: where it came from and how it did.
    public static func configHeader(_ report: TrainingReport, horizon: String, source: String) -> [String] {
        let times = report.snapshotTimes
        var lines = [
            "Learned by `signalbox train --horizon \(horizon)` from \(source), on \(times.count) weekly snapshots \(times.first.map(Timestamp.formatDay) ?? "") to \(times.last.map(Timestamp.formatDay) ?? "").",
            "The score is the probability, in percent, that the account converts within \(horizon). Every point is",
            "log-odds: a signal's points are per unit of what it measures, a fit rule's points apply when it matches,",
            "and the reasons add up to the score's log-odds. Fit, value and intent show 100·σ(their points): 50 is neutral.",
            String(format: "Validation: AUC %.3f (current model %@), log loss %.3f, Brier %.3f.", report.challenger.auc ?? .nan, report.champion.auc.map { String(format: "%.3f", $0) } ?? "-", report.challenger.logLoss ?? .nan, report.challenger.brier ?? .nan),
        ]
        if let advice = report.thresholds {
            lines.append("Thresholds on validation: sales_ready precision \(ReportText.percent(advice.salesReady.precision)), recall \(ReportText.percent(advice.salesReady.recall)); pql precision \(ReportText.percent(advice.pql.precision)), recall \(ReportText.percent(advice.pql.recall)).")
        }
        lines.append("Caps, subscore weights, bands and stage gates of the source are not carried over; routing, fast lane and exclusions are,")
        lines.append("with fit tiers and the fast lane's min_fit moved to the values the same share of accounts reaches on the learned fit scale.")
        return lines
    }

    /// The exact training matrix: one row per account snapshot, with its split and label.
    public static func featuresCSV(_ rows: [TrainingRow], names: [String], validationFrom cut: Date?) -> String {
        var lines = [(["account_id", "snapshot_at", "split", "converted"] + names).joined(separator: ",")]
        for row in rows {
            let split = cut.map { row.at >= $0 ? "validation" : "train" } ?? "train"
            let values = row.features.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }
            lines.append(([CSVField.escape(row.accountId), Timestamp.format(row.at), split, row.converted ? "1" : "0"] + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func format(_ score: Double) -> String { String(format: "%.1f", score) }


    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
