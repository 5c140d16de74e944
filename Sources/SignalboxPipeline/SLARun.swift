import Foundation
import SignalboxCore
import SignalboxStore

/// Moves the SLA clocks of open handoffs: reminds owners whose SLA fell due, reassigns handoffs one
/// SLA period later, and escalates reassigned ones that were missed again. Each step is recorded
/// with the notices or the new handoff it makes, in one transaction.
///
/// ```swift
/// var ledger = try store.routingLedger(asOf: now)
/// let steps = try SLARun(store: store, routing: config.routing).tick(now: now, ledger: &ledger)
/// ```
public struct SLARun {
    public let store: any SignalStore
    public let clock: SLAClock

    public init(store: any SignalStore, routing: RoutingConfig) {
        self.store = store
        clock = SLAClock(routing: routing)
    }

    /// Takes every SLA step due at `now`; returns them.
    @discardableResult
    public func tick(now: Date, ledger: inout RoutingLedger) throws -> [SLAStepTaken] {
        var taken: [SLAStepTaken] = []
        for open in try store.openHandoffs(dueBy: now) {
            guard let (step, due) = clock.dueStep(for: open.decision, taken: open.steps, now: now) else { continue }
            let owner = open.decision.owner?.name ?? "the owner"
            let account = open.decision.brief?.name ?? open.decision.accountId
            var record = SLAStepTaken(handoffId: open.id, step: step, at: now, detail: "", reassignedTo: nil)
            var next = ledger
            switch step {
            case .reminder:
                record.detail = "\(owner): first touch on \(account) was due \(Timestamp.format(due))"
            case .reassignment:
                if let handoff = clock.reassignment(of: open.decision, id: open.id, ledger: &next, now: now) {
                    record.detail = "\(account) moved from \(owner) to \(handoff.owner?.name ?? "nobody"): no first touch within the SLA"
                    record.reassignedTo = handoff
                    next.record(handoff)
                } else {
                    record.step = .escalation
                    record.detail = escalation(open.decision, account: account, owner: owner, because: "nobody else in the team can take it")
                }
            case .escalation:
                record.detail = escalation(open.decision, account: account, owner: owner, because: "the SLA was missed again after a reassignment")
            }
            try store.recordSLAStep(record, credits: next.credits)
            ledger = next
            taken.append(record)
        }
        return taken
    }

    private func escalation(_ decision: RouteDecision, account: String, owner: String, because: String) -> String {
        "\(clock.manager(of: decision).map { "to \($0): " } ?? "")no first touch on \(account) by \(owner); \(because)"
    }
}
