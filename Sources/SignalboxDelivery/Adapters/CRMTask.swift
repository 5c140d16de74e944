import Foundation
import SignalboxCore

/// The parts of a handoff a CRM record and task carry, shared by the HubSpot and Salesforce adapters.
enum CRMTask {
    /// "Sales-ready: Acme — Answer the hand-raise".
    static func subject(_ decision: RouteDecision) -> String {
        let stage = decision.stage == .salesReady ? "Sales-ready" : "PQL"
        let name = decision.brief?.name ?? decision.accountId
        return [stage + ": " + name, decision.brief?.play?.title].compactMap { $0 }.joined(separator: " — ")
    }

    /// The brief as plain text, with the idempotency key last so a person can trace the task and a
    /// retry can find it (``carries(_:keyOf:)``).
    static func body(_ message: OutboxMessage) -> String {
        BriefText.render(message.decision) + "\n\n" + marker(message)
    }

    /// Whether a task's text names this message's idempotency key, whole: a key that only starts
    /// with it (another destination's, say) does not count.
    static func carries(_ text: String, keyOf message: OutboxMessage) -> Bool {
        let marker = marker(message)
        var rest = text[...]
        while let found = rest.range(of: marker) {
            guard let next = rest[found.upperBound...].first, next.isLetter || next.isNumber || next == "-" || next == "_" else { return true }
            rest = rest[found.upperBound...]
        }
        return false
    }

    private static func marker(_ message: OutboxMessage) -> String { "Signalbox handoff \(message.idempotencyKey)" }

    /// When the task is due: the SLA, else the decision time.
    static func due(_ decision: RouteDecision) -> Date { decision.slaDue ?? decision.at }

    /// Score properties written on the company or account record.
    static func scoreFields(_ decision: RouteDecision) -> [(String, String)] {
        [
            ("score", ReasonText.format(decision.total)), ("stage", decision.stage.rawValue), ("route", decision.route),
            ("motion", decision.motion.rawValue), ("owner_email", decision.owner?.email ?? ""),
            ("reasons", (decision.brief?.reasons ?? []).joined(separator: "; ")), ("why_now", decision.brief?.whyNow ?? ""),
        ]
    }
}
