import Foundation

/// Chooses who works an account: its CRM owner, else the rep who had it, else the team's weighted
/// round robin, else the fallback owner.
///
/// The round robin is smooth weighted round robin over the reps who can take work right now: each
/// turn every such rep earns credit equal to their weight and the richest rep, who pays back the
/// turn's total, gets the account. Shares follow the weights exactly over time, absent reps build no
/// backlog, and the credits live in the ``RoutingLedger`` so a restart picks up where it stopped.
struct OwnerPicker {
    let routing: RoutingConfig

    /// What became of the search for an owner.
    enum Choice {
        /// This rep takes it, for this reason.
        case owner(Assignment, String)
        /// Reps exist but all have used today's capacity: the account waits for the next run.
        case deferred(String)
        /// Nobody can take it and there is no fallback owner.
        case unassigned(String)
    }

    /// The owner for an account taking `route`, or why there is none now.
    func assign(route: Route, key: String, profile: AccountProfile, ledger: inout RoutingLedger, asOf: Date) -> Choice {
        var notes: [String] = []
        if let field = routing.ownerField, let email = profile.values(of: field).first?.value.stringValue?.lowercased(), email.contains("@") {
            let rep = routing.rep(email: email) ?? Rep(email: email)
            if let away = unavailable(rep, at: asOf, ledger: ledger, countCapacity: false) {
                notes.append("CRM owner \(rep.name) \(away)")
            } else {
                return .owner(assignment(rep, team: route.team, method: .crmOwner, at: asOf), "CRM owner \(rep.name)")
            }
        }
        guard let teamId = route.team, let team = routing.teams[teamId] else {
            return fallback(notes + ["route \(route.id) has no team"], asOf: asOf)
        }
        if let previous = ledger.owners[key], let rep = team.reps.first(where: { $0.email == previous }) {
            if let away = unavailable(rep, at: asOf, ledger: ledger, countCapacity: false) {
                notes.append("previous owner \(rep.name) \(away)")
            } else {
                return .owner(assignment(rep, team: teamId, method: .previousOwner, at: asOf), (notes + ["owned it before"]).joined(separator: "; "))
            }
        }
        let present = team.reps.filter { unavailable($0, at: asOf, ledger: ledger, countCapacity: false) == nil }
        guard !present.isEmpty else {
            return fallback(notes + ["no rep of team \(teamId) is active and in office"], asOf: asOf)
        }
        let available = present.filter { unavailable($0, at: asOf, ledger: ledger, countCapacity: true) == nil }
        guard !available.isEmpty else {
            return .deferred((notes + ["every rep of team \(teamId) in office today has reached their daily capacity; the next run routes it"]).joined(separator: "; "))
        }
        let working = available.filter { $0.hours.isWorking(at: asOf) }
        let pool = working.isEmpty ? available : working
        let rep = nextInTurn(pool, team: teamId, ledger: &ledger)
        let hours = working.isEmpty ? "; nobody is in working hours, so the SLA starts when \(rep.name)'s day does" : ""
        notes.append("round robin in team \(teamId) (\(pool.count) of \(team.reps.count) reps eligible\(hours))")
        return .owner(assignment(rep, team: teamId, method: .roundRobin, at: asOf), notes.joined(separator: "; "))
    }

    /// Smooth weighted round robin: every rep in `pool` earns its weight; the richest wins and pays the total.
    private func nextInTurn(_ pool: [Rep], team: String, ledger: inout RoutingLedger) -> Rep {
        var credits = ledger.credits[team] ?? [:]
        let total = pool.reduce(0) { $0 + $1.weight }
        var best = pool[0]
        for rep in pool {
            credits[rep.email, default: 0] += rep.weight
            if credits[rep.email]! > credits[best.email]! { best = rep }
        }
        credits[best.email]! -= total
        ledger.credits[team] = credits
        return best
    }

    /// Why `rep` cannot take an account now, or nil when they can.
    private func unavailable(_ rep: Rep, at time: Date, ledger: RoutingLedger, countCapacity: Bool) -> String? {
        if !rep.active { return "is inactive" }
        let day = rep.hours.day(of: time)
        if rep.outOfOffice.contains(where: { $0.contains(day) }) { return "is out of office" }
        if countCapacity, let cap = rep.dailyCapacity, ledger.daily[rep.email]?[day] ?? 0 >= cap { return "is at today's capacity of \(cap)" }
        return nil
    }

    private func fallback(_ notes: [String], asOf: Date) -> Choice {
        guard let owner = routing.fallbackOwner else { return .unassigned((notes + ["no fallback owner is set"]).joined(separator: "; ")) }
        return .owner(assignment(owner, team: nil, method: .fallback, at: asOf), (notes + ["fallback owner \(owner.name)"]).joined(separator: "; "))
    }

    private func assignment(_ rep: Rep, team: String?, method: Assignment.Method, at time: Date) -> Assignment {
        Assignment(email: rep.email, name: rep.name, team: team, method: method, day: rep.hours.day(of: time), crmIds: rep.crmIds)
    }
}
