import Foundation
import SignalboxCore
import SignalboxLearning

/// `signalbox shadow` output for a terminal.
public enum ShadowReportText {
    public static func render(_ comparison: ShadowComparison, live: String, candidate: String) -> String {
        var lines = [
            "Shadow       \(candidate) beside \(live) at \(Timestamp.format(comparison.asOf)); nothing routed or stored",
            "Accounts     \(comparison.accounts); same stage \(ReportText.percent(comparison.agreement)); rank correlation of totals \(comparison.rankCorrelation.map { String(format: "%.3f", $0) } ?? "-")",
            "Sales-ready  \(comparison.promotedCount) would become sales-ready, \(comparison.demotedCount) would stop being",
            "",
        ]
        let stages: [Stage] = [.salesReady, .pql, .notPQL, .excluded]
        var matrix = [["LIVE \\ CANDIDATE"] + stages.map(\.rawValue)]
        for liveStage in stages {
            matrix.append([liveStage.rawValue] + stages.map { candidateStage in
                String(comparison.cells.first { $0.live == liveStage && $0.candidate == candidateStage }?.accounts ?? 0)
            })
        }
        lines.append(TextTable.render(matrix))
        if let liveOutcomes = comparison.live, let candidateOutcomes = comparison.candidate {
            lines.append("Known outcomes after the moment: sales-ready precision \(ReportText.percent(liveOutcomes.precision)) live vs \(ReportText.percent(candidateOutcomes.precision)) candidate; recall \(ReportText.percent(liveOutcomes.recall)) vs \(ReportText.percent(candidateOutcomes.recall)) (\(liveOutcomes.converters) converters)")
            lines.append("")
        }
        for (title, movers) in [("Would become sales-ready", comparison.promoted), ("Would stop being sales-ready", comparison.demoted)] where !movers.isEmpty {
            var rows = [[title.uppercased(), "NAME", "LIVE", "CANDIDATE", "WHY (CANDIDATE)"]]
            for mover in movers {
                rows.append([
                    mover.accountId, mover.name ?? "", "\(mover.liveStage.rawValue) \(ReasonText.format(mover.liveTotal))",
                    "\(mover.candidateStage.rawValue) \(ReasonText.format(mover.candidateTotal))", mover.reasons.joined(separator: "; "),
                ])
            }
            lines.append(TextTable.render(rows))
        }
        return lines.joined(separator: "\n")
    }
}
