import Foundation
import SignalboxCore

/// A handoff as a Slack Block Kit message, kept inside Slack's limits: at most 50 blocks, section
/// text up to 3,000 characters, at most 10 fields of up to 2,000, header text up to 150.
public enum SlackMessage {
    public static let maxBlocks = 50
    public static let maxSectionText = 3_000
    public static let maxFields = 10
    public static let maxFieldText = 2_000
    public static let maxHeaderText = 150

    /// The webhook body: `text` (the notification and fallback) and `blocks`.
    public static func body(for message: OutboxMessage) -> Data {
        guard message.kind == .handoff else { return notice(message) }
        let decision = message.decision
        let name = decision.brief?.name ?? decision.accountId
        let owner = decision.owner.map { " → \($0.name)" } ?? ""
        var blocks: [[String: Any]] = []
        blocks.append(["type": "header", "text": ["type": "plain_text", "text": clip("\(name) · \(decision.stage.rawValue.replacingOccurrences(of: "_", with: "-")) · \(ReasonText.format(decision.total))", maxHeaderText)]])
        if let brief = decision.brief {
            var summary = "*Why now:* \(escape(brief.whyNow))\n*Route:* \(escape(BriefText.routeLine(decision)))"
            if let play = brief.play { summary += "\n*Play — \(escape(play.title)):* \(escape(play.talkTrack))" }
            blocks.append(section(summary))
            var fields: [String] = []
            if let champion = brief.champion {
                let who = [champion.name ?? champion.userId, champion.title].compactMap { $0 }.joined(separator: ", ")
                fields.append("*Champion*\n\(escape(who))\(champion.email.map { "\n\(escape($0))" } ?? "")")
            }
            if let company = brief.company {
                let facts = [company.name ?? company.domain, company.employees.map { "\($0) employees" }, company.industry, company.country].compactMap { $0 }
                fields.append("*Company*\n\(escape(facts.joined(separator: ", ")))\nmatch \(company.confidence)")
            }
            fields.append("*Scores*\nfit \(brief.fit.map(ReasonText.format) ?? "unknown") · value \(ReasonText.format(brief.value)) · intent \(ReasonText.format(brief.intent))")
            fields.append("*Active users*\n\(brief.activeUsers7d) in 7 days, \(brief.activeUsers30d) in 30")
            for usage in brief.usage where usage.used > 0 {
                fields.append("*\(escape(usage.label))*\n\(ReasonText.format(usage.used)) of \(ReasonText.format(usage.limit)) (\(usage.percent)%)")
            }
            blocks.append(["type": "section", "fields": fields.prefix(maxFields).map { ["type": "mrkdwn", "text": clip($0, maxFieldText)] }])
            if !brief.reasons.isEmpty || !brief.concerns.isEmpty {
                let lines = brief.reasons.map { "• \(escape($0))" } + brief.concerns.map { "• ⚠️ \(escape($0))" }
                blocks.append(section("*Reasons*\n" + lines.joined(separator: "\n")))
            }
            if !brief.recentFeatures.isEmpty {
                let used = brief.recentFeatures.map { use in use.count.map { "\(use.label) ×\(ReasonText.format($0))" } ?? use.label }
                blocks.append(section("*Last 7 days:* " + escape(used.joined(separator: ", "))))
            }
        }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": clip("Signalbox · \(escape(decision.accountId)) · \(message.idempotencyKey)", maxSectionText)]]])
        let text = "\(decision.stage == .salesReady ? "Sales-ready" : "PQL") handoff: \(name)\(owner)"
        let body: [String: Any] = ["text": text, "blocks": Array(blocks.prefix(maxBlocks))]
        // Strings, numbers, arrays and dictionaries only: always serialisable.
        return try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// A reminder or an escalation: what happened, whose account, and the route line.
    private static func notice(_ message: OutboxMessage) -> Data {
        let decision = message.decision
        let name = decision.brief?.name ?? decision.accountId
        let title = message.kind == .reminder ? "⏰ SLA reminder" : "🚨 SLA escalation"
        let blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": clip("\(title) · \(name)", maxHeaderText)]],
            section("\(escape(message.note ?? ""))\n*Route:* \(escape(BriefText.routeLine(decision)))"),
            ["type": "context", "elements": [["type": "mrkdwn", "text": clip("Signalbox · \(escape(decision.accountId)) · \(message.idempotencyKey)", maxSectionText)]]],
        ]
        let body: [String: Any] = ["text": "\(title): \(name)", "blocks": blocks]
        return try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    private static func section(_ text: String) -> [String: Any] {
        ["type": "section", "text": ["type": "mrkdwn", "text": clip(text, maxSectionText)]]
    }

    /// Slack's mrkdwn treats `&`, `<` and `>` as control characters.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
