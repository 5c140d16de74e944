import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxStore

extension SignalStore {
    /// Samples for `signalbox signals discover`: converters' and matched non-converters' look-back
    /// windows (``MatchedWindows``), filled from stored events, with `outcomes` and events up to
    /// `asOf` only.
    ///
    /// Which account an event belongs to is read from the identity graph as of `asOf`, as the engine
    /// credits an actor's earlier activity to a workspace once the actor joins it. Excluded accounts
    /// (internal, test, competitors, …) are left out.
    ///
    /// ```swift
    /// let samples = try store.discoverySamples(model: model, companies: companies, asOf: asOf, lookBack: 30 * 86_400, outcomes: outcomes)
    /// let report = try SignalDiscovery().run(samples, lookBack: 30 * 86_400)
    /// ```
    public func discoverySamples(model: CompiledModel, companies: [String: Company], asOf: Date, lookBack: TimeInterval, outcomes: [Outcome]) throws -> [DiscoverySample] {
        let engine = try replay(model: model, companies: companies, until: asOf)
        let excluded = Set(engine.scoreAll(asOf: asOf, explained: false).filter { $0.stage == .excluded }.map(\.accountId))
        let conversions = OutcomeResolver.resolve(outcomes.map { $0.known(asOf: asOf) }, engine: engine).outcomes.firstTimes.conversions
            .filter { !excluded.contains($0.key) }
        let others = engine.accounts().keys.filter { conversions[$0] == nil && !excluded.contains($0) }
        let windows = MatchedWindows.make(conversions: conversions, nonConverters: Array(others), lookBack: lookBack)
        var tally = DiscoveryTally(windows: windows)
        guard let lastEnd = windows.map(\.end).max() else { return [] }
        try forEachEvent(until: lastEnd) { event in
            for account in engine.accounts(of: event) { tally.observe(event, account: account) }
        }
        return tally.samples()
    }
}
