import Foundation
import SignalboxCore
import SignalboxStore

/// What counts as a positive label when learning.
public enum LabelSource: String, CaseIterable, Sendable {
    /// Conversions: imported outcomes and the config's conversion event.
    case conversion
    /// Conversions, and handoffs a rep accepted (sales-accepted leads), which answer sooner.
    case accepted
}

extension SignalStore {
    /// Every outcome training and backtests learn from: imported outcomes; a conversion at each
    /// occurrence of `outcomes.conversion_event`, for the accounts `engine` credits it to; and reps'
    /// dispositions: a handoff rejected as not a fit, student, competitor, bad data or an existing
    /// customer closes its account as lost when recorded, and with `.accepted` an accepted handoff
    /// counts as a conversion when recorded.
    public func learningOutcomes(config: ModelConfig, engine: Engine, labels: LabelSource = .conversion) throws -> [Outcome] {
        var outcomes = try self.outcomes()
        if let name = config.outcomes.conversionEvent {
            try forEachEvent(until: nil) { event in
                guard event.type == .track, event.name == name else { return }
                for account in engine.accounts(of: event) {
                    outcomes.append(Outcome(key: .account(account), convertedAt: event.timestamp))
                }
            }
        }
        let closing: Set<Disposition.Reason> = [.notICP, .student, .competitor, .badData, .existingCustomer]
        for label in try handoffLabels() {
            let key = Outcome.Key.account(label.decision.accountId)
            switch label.disposition.verdict {
            case .rejected where label.disposition.reason.map(closing.contains) ?? false:
                outcomes.append(Outcome(key: key, convertedAt: nil, lostAt: label.disposition.recordedAt))
            case .accepted where labels == .accepted:
                outcomes.append(Outcome(key: key, convertedAt: label.disposition.recordedAt))
            default:
                break
            }
        }
        return outcomes
    }
}
