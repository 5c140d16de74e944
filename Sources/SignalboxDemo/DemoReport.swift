import Foundation
import SignalboxCore
import SignalboxPipeline

/// The demo's printout: what was generated, the import, the sales-ready queue, how stages convert
/// and where routing would send the accounts.
public struct DemoReport {
    public let result: DemoJob.Result
    public let show: Int

    public init(result: DemoJob.Result, show: Int) {
        self.result = result
        self.show = show
    }

    public var text: String {
        var out = "Signalbox demo: a synthetic product-led SaaS world\n\n"
        out += "Generated \(result.events) event lines and \(result.companies) company records:\n"
        out += result.files.map { "  \($0)\n" }.joined()
        out += "\nImport\n" + indent(ImportText(summary: result.importSummary, seconds: result.importSeconds).text) + "\n"
        let ready = result.scores.filter { $0.score.stage == .salesReady }
        out += "\nSales-ready queue (\(ready.count) accounts, top \(min(show, ready.count)))\n"
        out += ScoreReport.table(Array(ready.prefix(show)))
        out += "\nConversion in the 30 days after scoring (known outcomes)\n"
        for row in result.conversion.rows where row.accounts > 0 {
            let label = row.stage.rawValue + String(repeating: " ", count: max(0, 12 - row.stage.rawValue.count))
            out += "  " + label + String(format: " %5d accounts  %4d converted  %5.1f%%\n", row.accounts, row.converted, row.rate * 100)
        }
        out += String(format: "  base rate    %5.1f%%   sales-ready lift ×%.1f\n", result.conversion.baseRate * 100, result.conversion.lift(.salesReady))
        out += "\nRouting (dry run): " + RouteReport.summary(result.routing.decisions)
        let asOf = Timestamp.format(result.scores.first?.score.asOf ?? Date(timeIntervalSince1970: 0))
        out += "\nNext: signalbox explain \(ready.first?.score.accountId ?? "ACCOUNT") --config \(result.files[3]) --db \(result.files[4]) --as-of \(asOf)\n"
        out += "      signalbox route --dry-run --format brief --config \(result.files[3]) --db \(result.files[4]) --as-of \(asOf)\n"
        return out
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
