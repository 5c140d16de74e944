import Foundation
import SignalboxCore

/// The JSON kept as an account's latest score: what a list shows (scores, stage, reasons), without
/// the per-signal breakdown, which `explain` computes when asked. Live scoring writes one per
/// touched account per commit, so it is built directly rather than through `JSONEncoder`, which
/// took a third of the server's CPU. It decodes as an ``AccountScore`` with empty breakdowns.
enum ScoreRecord {
    static func json(_ score: AccountScore) -> String {
        var object: [String: JSONValue] = [
            "accountId": .string(score.accountId), "asOf": .number(score.asOf.timeIntervalSince1970),
            "stage": .string(score.stage.rawValue), "total": .number(score.total), "value": .number(score.value),
            "intent": .number(score.intent), "stageReason": .string(score.stageReason),
            "contributions": .array([]), "fitMatches": .array([]),
            "reasons": .array(score.reasons.map { reason in
                var fields: [String: JSONValue] = ["code": .string(reason.code), "text": .string(reason.text), "points": .number(reason.points)]
                if let axis = reason.axis { fields["axis"] = .string(axis.rawValue) }
                return .object(fields)
            }),
        ]
        if let name = score.name { object["name"] = .string(name) }
        if let domain = score.domain { object["domain"] = .string(domain) }
        if let band = score.band { object["band"] = .string(band) }
        if let fit = score.fit { object["fit"] = .number(fit) }
        return JSONValue.object(object).serialized()
    }
}
