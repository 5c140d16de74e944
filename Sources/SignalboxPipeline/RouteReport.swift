import Foundation
import SignalboxCore

/// Renders routing decisions for `signalbox route`: a queue table, the full briefs, or JSON.
public enum RouteReport {
    /// Output formats of `signalbox route`.
    public enum Format: String, CaseIterable, Sendable {
        case table, brief, json
    }

    public static func render(_ decisions: [RouteDecision], format: Format) -> String {
        switch format {
        case .table: table(decisions)
        case .brief: decisions.map(BriefText.render).joined(separator: "\n\n") + (decisions.isEmpty ? "" : "\n")
        case .json: json(decisions)
        }
    }

    /// Handoffs by motion and the decisions held back, for a closing line.
    public static func summary(_ decisions: [RouteDecision]) -> String {
        let handoffs = decisions.filter { $0.outcome == .handoff }
        let byMotion = Dictionary(grouping: handoffs, by: \.motion).map { "\($0.key.rawValue) \($0.value.count)" }.sorted()
        let cooling = decisions.filter { $0.outcome == .cooldown }.count
        let merged = decisions.filter { $0.outcome == .merged }.count
        let deferred = decisions.filter { $0.outcome == .deferred }.count
        return "\(handoffs.count) handoffs (\(byMotion.joined(separator: ", "))); \(deferred) waiting for rep capacity; "
            + "\(cooling) held back by cooldown; \(merged) merged into their company's handoff\n"
    }

    public static func table(_ decisions: [RouteDecision]) -> String {
        let header = ["ACCOUNT", "NAME", "STAGE", "SCORE", "ROUTE", "MOTION", "OWNER", "WHY NOW"]
        var rows = [header]
        for decision in decisions {
            rows.append([
                decision.accountId, String((decision.brief?.name ?? "").prefix(24)), decision.stage.rawValue, ReasonText.format(decision.total),
                decision.route + (decision.outcome == .handoff ? "" : " (\(decision.outcome.rawValue))"), decision.motion.rawValue,
                decision.owner?.name ?? (decision.motion.isHuman && decision.outcome == .handoff ? "unassigned" : "-"),
                decision.brief?.whyNow ?? decision.reason,
            ])
        }
        return TextTable.render(rows)
    }

    public static func json(_ decisions: [RouteDecision]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(decisions.map(JSONRow.init))) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }

    /// One decision as JSON: the queue's columns flat, the brief whole. Missing values are written as
    /// null, so every object has the same keys.
    private struct JSONRow: Encodable {
        let account_id: String
        let routing_key: String
        let at: Date
        let stage: String
        let score: Double
        let route: String
        let motion: String
        let outcome: String
        let owner: String?
        let owner_name: String?
        let owner_method: String?
        let sla_due: Date?
        let reasons: [String]
        let why_now: String?
        let decision_reason: String
        let brief: HandoffBrief?

        init(_ decision: RouteDecision) {
            account_id = decision.accountId
            routing_key = decision.routingKey
            at = decision.at
            stage = decision.stage.rawValue
            score = decision.total
            route = decision.route
            motion = decision.motion.rawValue
            outcome = decision.outcome.rawValue
            owner = decision.owner?.email
            owner_name = decision.owner?.name
            owner_method = decision.owner?.method.rawValue
            sla_due = decision.slaDue
            reasons = decision.brief?.reasons ?? []
            why_now = decision.brief?.whyNow
            decision_reason = decision.reason
            brief = decision.brief
        }

        private enum CodingKeys: String, CodingKey {
            case account_id, routing_key, at, stage, score, route, motion, outcome, owner, owner_name, owner_method, sla_due
            case reasons, why_now, decision_reason, brief
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(account_id, forKey: .account_id)
            try container.encode(routing_key, forKey: .routing_key)
            try container.encode(at, forKey: .at)
            try container.encode(stage, forKey: .stage)
            try container.encode(score, forKey: .score)
            try container.encode(route, forKey: .route)
            try container.encode(motion, forKey: .motion)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(owner, forKey: .owner)
            try container.encode(owner_name, forKey: .owner_name)
            try container.encode(owner_method, forKey: .owner_method)
            try container.encode(sla_due, forKey: .sla_due)
            try container.encode(reasons, forKey: .reasons)
            try container.encode(why_now, forKey: .why_now)
            try container.encode(decision_reason, forKey: .decision_reason)
            try container.encode(brief, forKey: .brief)
        }
    }
}
