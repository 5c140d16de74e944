import Foundation
import SignalboxCore
import SignalboxLearning

/// `signalbox backtest` output for a terminal.
public enum BacktestReportText {
    public static func render(_ report: BacktestReport, model: String, tuning: ThresholdTuning?, current: (pql: Double, salesReady: Double)?) -> String {
        let horizon = DurationText.format(report.horizon)
        var lines = [
            "Backtest     \(Timestamp.formatDay(report.from)) to \(Timestamp.formatDay(report.to)), model \(model), scored every day; a flag counts when the account converts within \(horizon)",
            "Accounts     \(report.accounts) open prospects; \(report.newSignups) new signups",
            "",
            "Precision    \(ReportText.percent(report.precision))  \(report.flaggedConverted) of \(report.flagged) sales-ready accounts converted within \(horizon) of their first flag",
            "Recall       \(ReportText.percent(report.recall))  \(report.convertersFlagged) of \(report.converters) converters in the period were sales-ready before converting",
            "Time to flag median \(report.medianLeadDays.map { String(format: "%.0f days", $0) } ?? "-") before conversion; " + report.leadDistribution.map { bucket in
                (bucket.toDays.map { "\(Int(bucket.fromDays))–\(Int($0))d" } ?? "≥\(Int(bucket.fromDays))d") + " \(bucket.converters)"
            }.joined(separator: ", "),
            "PQL rate     \(ReportText.percent(report.pqlRate)) of new signups reached PQL or sales-ready",
            "Sales-ready  \(String(format: "%.1f", report.salesReadyPerWeek)) new per week: " + report.weeklySalesReady.map(String.init).joined(separator: " "),
            "",
        ]
        var stageRows = [["STAGE REACHED", "ACCOUNTS", "CONVERTED", "RATE"]]
        for group in report.byStage {
            stageRows.append([group.name, String(group.accounts), String(group.converted), ReportText.percent(rate(group.converted, group.accounts))])
        }
        lines.append(TextTable.render(stageRows))
        var tierRows = [["FIT TIER", "ACCOUNTS", "FLAGGED", "PRECISION", "CONVERTERS", "RECALL"]]
        for group in report.byFitTier {
            tierRows.append([
                group.name, String(group.accounts), String(group.flagged), ReportText.percent(rate(group.converted, group.flagged)),
                String(group.converters), ReportText.percent(rate(group.caught, group.converters)),
            ])
        }
        lines.append(TextTable.render(tierRows))
        if let tuning { lines.append(render(tuning, current: current)) }
        return lines.joined(separator: "\n")
    }

    static func render(_ tuning: ThresholdTuning, current: (pql: Double, salesReady: Double)?) -> String {
        var lines = [
            "Tuning: sales-ready precision ≥ \(ReportText.percent(tuning.targetPrecision)), PQL rate of new signups \(ReportText.percent(tuning.pqlRateLow))–\(ReportText.percent(tuning.pqlRateHigh))",
        ]
        let shown: Set<Double> = Set([1, 2, 3, 5, 7.5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90])
            .union([tuning.salesReady, tuning.pql, current?.salesReady, current?.pql].compactMap { $0 })
        var rows = [["SALES-READY ≥", "FLAGGED", "PER WEEK", "PRECISION", "RECALL", "MEDIAN LEAD", "PQL RATE AS PQL ≥", ""]]
        let pqlRates = Dictionary(tuning.pqlOptions.map { ($0.pql, $0.pqlRate) }, uniquingKeysWith: { first, _ in first })
        for option in tuning.options where shown.contains(option.salesReady) {
            var marks: [String] = []
            if option.salesReady == tuning.salesReady { marks.append("← recommended sales_ready") }
            if option.salesReady == tuning.pql { marks.append("← recommended pql") }
            if option.salesReady == current?.salesReady { marks.append("(current sales_ready)") }
            if option.salesReady == current?.pql { marks.append("(current pql)") }
            rows.append([
                ReasonText.format(option.salesReady), String(option.flagged), String(format: "%.1f", option.perWeek), ReportText.percent(option.precision),
                ReportText.percent(option.recall), option.medianLeadDays.map { String(format: "%.0f days", $0) } ?? "-",
                (pqlRates[option.salesReady] ?? nil).map { ReportText.percent($0) } ?? "-", marks.joined(separator: " "),
            ])
        }
        lines.append(TextTable.render(rows))
        switch (tuning.salesReady, tuning.pql) {
        case let (ready?, pql?):
            lines.append("Recommended: stages: { pql: { score: \(ReasonText.format(pql)) }, sales_ready: { score: \(ReasonText.format(ready)) } } (gates and fast lane unchanged)")
        case let (ready?, nil):
            lines.append("Recommended: sales_ready score \(ReasonText.format(ready)); no PQL threshold at or below it gives a PQL rate inside the band")
        default:
            lines.append("No sales-ready threshold reaches the precision target on this history; lower the target or improve the model (signalbox train)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rate(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
}
