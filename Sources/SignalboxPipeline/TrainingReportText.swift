import Foundation
import SignalboxCore
import SignalboxLearning

/// `signalbox train`'s report for a terminal, and the feature matrix as CSV.
public enum TrainingReportText {
    public static func render(_ report: TrainingReport) -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        let times = report.snapshotTimes
        var lines = [
            "Snapshots    \(times.count), \(times.first.map(day) ?? "") to \(times.last.map(day) ?? "")",
            "Train        \(report.trainRows) account snapshots, \(report.trainConversions) converted within the horizon",
            "Validate     \(report.validationRows) account snapshots (the most recent times), \(report.validationConversions) converted",
            "",
            "                         current model    learned model",
            "AUC                      \(pad(number(report.champion.auc), 17))\(number(report.challenger.auc))",
            "Log loss                 \(pad("-", 17))\(number(report.challenger.logLoss))",
            "Brier score              \(pad("-", 17))\(number(report.challenger.brier))",
            "Sales-ready precision    \(pad(percent(report.championSalesReady.precision), 17))\(percent(report.challengerAtEqualRecall?.precision))  (at the same recall, \(percent(report.championSalesReady.recall)))",
            "Flagged                  \(pad(String(report.championSalesReady.flagged), 17))\(report.challengerAtEqualRecall.map { String($0.flagged) } ?? "-")",
            "",
            "Lift by decile (learned model): " + report.challenger.deciles.map { String(format: "%.1f", $0.lift) }.joined(separator: " "),
            "Calibration (learned model, predicted → observed):",
        ]
        for bin in report.challenger.calibration {
            lines.append(String(format: "  %3.0f–%3.0f%%  %6d accounts  %5.1f%% → %5.1f%%", bin.lower * 100, bin.upper * 100, bin.accounts, bin.meanPredicted * 100, bin.observedRate * 100))
        }
        lines.append("")
        lines.append("Strongest features (log-odds per standard deviation, per unit, rows where present):")
        for weight in report.weights.prefix(12) {
            lines.append(String(format: "  %@ %+7.3f  %+9.4f  %6d", pad(weight.feature, 34), weight.standardizedWeight, weight.weight, weight.support))
        }
        return lines.joined(separator: "\n") + "\n"
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

    private static func day(_ date: Date) -> String { String(Timestamp.format(date).prefix(10)) }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
