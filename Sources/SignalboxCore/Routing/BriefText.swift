import Foundation

/// A handoff as plain text a rep reads in under a minute: for the terminal, files and chat.
public enum BriefText {
    /// The whole handoff: headline, route and owner, then the brief line by line.
    public static func render(_ decision: RouteDecision) -> String {
        guard let brief = decision.brief else { return "\(decision.accountId): \(decision.reason)" }
        var lines = [headline(brief), "Route: " + routeLine(decision), "Why now: \(brief.whyNow)"]
        if let champion = brief.champion {
            let who = [champion.name ?? champion.userId, champion.title].compactMap { $0 }.joined(separator: ", ")
            lines.append("Champion: \(who)\(champion.email.map { " <\($0)>" } ?? "") (\(champion.events) events)")
        }
        lines.append("Active users: \(brief.activeUsers7d) in 7 days, \(brief.activeUsers30d) in 30 days")
        lines.append("Company: " + companyLine(brief.company))
        if !brief.milestones.isEmpty {
            lines.append("Milestones: " + brief.milestones.map { "\($0.label) (\(Timestamp.formatDay($0.firstAt)))" }.joined(separator: ", "))
        }
        if !brief.recentFeatures.isEmpty {
            lines.append("Last 7 days: " + brief.recentFeatures.map { use in use.count.map { "\(use.label) ×\(ReasonText.format($0))" } ?? use.label }.joined(separator: ", "))
        }
        for usage in brief.usage where usage.used > 0 {
            lines.append("Usage: \(usage.label): \(ReasonText.format(usage.used)) of \(ReasonText.format(usage.limit)) (\(usage.percent)%)")
        }
        if !brief.reasons.isEmpty { lines.append("Reasons: " + brief.reasons.joined(separator: "; ")) }
        if !brief.concerns.isEmpty { lines.append("Watch out: " + brief.concerns.joined(separator: "; ")) }
        if let play = brief.play { lines.append("Play: \(play.title). \(play.talkTrack)") }
        return lines.joined(separator: "\n")
    }

    /// "Acme (acme.com) · sales_ready · score 82 (fit 75, value 64, intent 40)".
    public static func headline(_ brief: HandoffBrief) -> String {
        let domain = brief.domain.map { " (\($0))" } ?? ""
        let fit = brief.fit.map(ReasonText.format) ?? "unknown"
        return "\(brief.name)\(domain) · \(brief.stage.rawValue) · score \(ReasonText.format(brief.total)) "
            + "(fit \(fit), value \(ReasonText.format(brief.value)), intent \(ReasonText.format(brief.intent)))"
    }

    /// "ae (ae) → Dana Reyes, round robin; first touch due 2026-12-01 14:00 UTC".
    public static func routeLine(_ decision: RouteDecision) -> String {
        var line = "\(decision.route) (\(decision.motion.rawValue))"
        if let owner = decision.owner {
            line += " → \(owner.name), \(owner.method.rawValue.replacingOccurrences(of: "_", with: " "))"
        } else if decision.motion.isHuman {
            line += " → unassigned"
        }
        if let due = decision.slaDue { line += "; first touch due \(minute(due)) UTC" }
        return line
    }

    private static func companyLine(_ company: HandoffBrief.CompanyMatch?) -> String {
        guard let company else { return "unknown (no work email domain)" }
        var facts = [company.name ?? company.domain]
        if let employees = company.employees { facts.append("\(employees) employees") }
        facts += [company.industry, company.country].compactMap { $0 }
        return facts.joined(separator: ", ") + " (match \(company.confidence): \(company.basis))"
    }

    private static func minute(_ date: Date) -> String {
        let text = Timestamp.format(date)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }
}
