import Foundation
import SignalboxCore
import SignalboxStore

/// Writes reps' dispositions as training labels: one CSV row per judged handoff.
public enum LabelExport {
    public static let columns = [
        "handoff_id", "account_id", "routing_key", "route", "motion", "stage", "score", "routed_at", "owner", "disposition", "reason",
        "first_touch_at", "recorded_at", "note",
    ]

    public static func csv(_ labels: [HandoffLabel]) -> String {
        var lines = [columns.joined(separator: ",")]
        for label in labels {
            let decision = label.decision
            let disposition = label.disposition
            let fields = [
                String(disposition.handoffId), decision.accountId, decision.routingKey, decision.route, decision.motion.rawValue,
                decision.stage.rawValue, ReasonText.format(decision.total), Timestamp.format(decision.at), decision.owner?.email ?? "",
                disposition.verdict.rawValue, disposition.reason?.rawValue ?? "", disposition.firstTouchAt.map(Timestamp.format) ?? "",
                Timestamp.format(disposition.recordedAt), disposition.note ?? "",
            ]
            lines.append(fields.map(CSVField.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One CSV field, quoted when it holds a comma, quote or line break.
enum CSVField {
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
