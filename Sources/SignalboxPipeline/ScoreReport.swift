import Foundation
import SignalboxCore

/// Renders scored accounts as a terminal table, CSV or JSON.
public enum ScoreReport {
    /// Output formats of `signalbox score`.
    public enum Format: String, CaseIterable, Sendable {
        case table, csv, json
    }

    public static func render(_ accounts: [ScoredAccount], format: Format) -> String {
        switch format {
        case .table: table(accounts)
        case .csv: csv(accounts)
        case .json: json(accounts)
        }
    }

    static let csvColumns = ["account_id", "name", "domain", "stage", "band", "score", "fit", "value", "intent", "trend", "reasons", "stage_reason"]

    public static func csv(_ accounts: [ScoredAccount]) -> String {
        var lines = [csvColumns.joined(separator: ",")]
        for account in accounts {
            let score = account.score
            let fields = [
                score.accountId, score.name ?? "", score.domain ?? "", score.stage.rawValue, score.band ?? "",
                ReasonText.format(score.total), score.fit.map(ReasonText.format) ?? "", ReasonText.format(score.value),
                ReasonText.format(score.intent), account.trend?.rawValue ?? "",
                score.reasons.map(\.text).joined(separator: "; "), score.stageReason,
            ]
            lines.append(fields.map(CSVField.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }


    public static func json(_ accounts: [ScoredAccount]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let rows = accounts.map(JSONRow.init)
        return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }

    /// The JSON shape of one account: scores, stage, trend and reasons (contributions are in `explain`).
    private struct JSONRow: Encodable {
        let account_id: String
        let name: String?
        let domain: String?
        let as_of: Date
        let stage: String
        let band: String?
        let score: Double
        let fit: Double?
        let value: Double
        let intent: Double
        let trend: String?
        let stage_reason: String
        let reasons: [ReasonCode]

        init(_ account: ScoredAccount) {
            let score = account.score
            account_id = score.accountId
            name = score.name
            domain = score.domain
            as_of = score.asOf
            stage = score.stage.rawValue
            band = score.band
            self.score = score.total
            fit = score.fit
            value = score.value
            intent = score.intent
            trend = account.trend?.rawValue
            stage_reason = score.stageReason
            reasons = score.reasons
        }
    }

    public static func table(_ accounts: [ScoredAccount]) -> String {
        let header = ["ACCOUNT", "NAME", "STAGE", "SCORE", "FIT", "VALUE", "INTENT", "TREND", "WHY"]
        var rows = [header]
        for account in accounts {
            let score = account.score
            let why = (score.topPositive(3) + score.topNegative(1)).map(\.text).joined(separator: "; ")
            rows.append([
                score.accountId, String((score.name ?? score.domain ?? "").prefix(24)), score.stage.rawValue,
                ReasonText.format(score.total), score.fit.map(ReasonText.format) ?? "?", ReasonText.format(score.value),
                ReasonText.format(score.intent), trendArrow(account.trend), why,
            ])
        }
        return TextTable.render(rows)
    }

    private static func trendArrow(_ trend: ScoreTrend?) -> String {
        switch trend {
        case .improving: "↑"
        case .declining: "↓"
        case .steady: "→"
        case nil: "·"
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Everything behind one account's score, for `signalbox explain`. A learned model's points are
    /// log-odds, shown with two decimals and summed into the probability.
    public static func explanation(_ account: ScoredAccount, scoring: ScoringMode = .additive) -> String {
        let score = account.score
        var logistic: LogisticScoring?
        if case .logistic(let parameters) = scoring { logistic = parameters }
        func points(_ value: Double, places: Int) -> String {
            logistic == nil ? String(format: "%+.\(places)f pts", value) : String(format: "%+.2f log-odds", value)
        }
        var lines: [String] = []
        lines.append("\(score.accountId)  \(score.name ?? "")  \(score.domain ?? "no company domain")")
        lines.append("as of \(Timestamp.format(score.asOf))")
        lines.append("")
        lines.append("Stage   \(score.stage.rawValue)\(score.band.map { " (\($0))" } ?? "")  \(score.stageReason)")
        lines.append("Score   \(ReasonText.format(score.total))   fit \(score.fit.map(ReasonText.format) ?? "unknown")  value \(ReasonText.format(score.value))  intent \(ReasonText.format(score.intent))  trend \(account.trend?.rawValue ?? "no history")")
        lines.append("")
        lines.append("Signals")
        if score.contributions.isEmpty { lines.append("  (none contributed)") }
        for axis in [Axis.value, .intent] {
            for item in score.contributions where item.axis == axis {
                let decay = item.decayFactor.map { String(format: " decay ×%.2f → %.1f", $0, item.quantity) } ?? ""
                let cap = item.capped ? " (capped)" : ""
                lines.append("  \(pad(axis.rawValue, 7)) \(pad(item.signal, 26)) raw \(pad(ReasonText.format(item.rawCount), 8))\(pad(decay, 22)) \(pad(points(item.points, places: 1) + cap, 20)) \(item.reason)")
            }
        }
        lines.append("")
        lines.append("Fit")
        if score.fit == nil {
            lines.append("  " + (score.reasons.first { $0.code == "fit_unknown" }?.text ?? "Fit unknown"))
        } else if score.fitMatches.isEmpty {
            lines.append("  no fit rule matched")
        }
        for match in score.fitMatches {
            lines.append("  \(pad(match.rule, 26)) \(pad(points(match.points, places: 0), 9)) \(match.source) = \(match.value)")
        }
        if let logistic {
            let signals = score.contributions.reduce(0) { $0 + $1.points }
            let fit = score.fit == nil ? logistic.fitUnknown : score.fitMatches.reduce(0) { $0 + $1.points }
            let logit = logistic.intercept + signals + fit
            lines.append("")
            lines.append(String(
                format: "Log-odds  intercept %+.2f, signals %+.2f, fit %+.2f = %+.2f → %.1f%% likely to convert within %@",
                logistic.intercept, signals, fit, logit, 100 * LogisticScoring.sigmoid(logit), DurationText.format(logistic.horizon)
            ))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
