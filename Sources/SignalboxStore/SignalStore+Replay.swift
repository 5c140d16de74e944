import Foundation
import SignalboxCore

extension SignalStore {
    /// A fresh engine fed every stored event up to `until` (all when nil). Nothing of it is stored
    /// yet, so it records no changes; a caller saving it writes ``EngineChanges/init(everythingIn:)``.
    public func replay(model: CompiledModel, companies: [String: Company], until: Date?) throws -> Engine {
        var engine = Engine(model: model, companies: companies)
        var feed = ChunkedFeed()
        try forEachEvent(until: until, properties: model.propertiesRead) { feed.add($0, to: &engine) }
        feed.finish(&engine)
        return engine
    }

    /// Feeds `engine`, which holds every event up to `after`, the events after it up to `until`.
    /// Updates commute, so stepping an engine forward this way equals replaying up to `until`.
    public func advance(_ engine: inout Engine, after: Date, until: Date) throws {
        var feed = ChunkedFeed()
        try forEachEvent(after: after, until: until, properties: engine.model.propertiesRead) { feed.add($0, to: &engine) }
        feed.finish(&engine)
    }
}

/// Events handed to an engine in chunks, as a replay reads them.
private struct ChunkedFeed {
    private var chunk: [Event] = []

    init() {
        chunk.reserveCapacity(50_000)
    }

    mutating func add(_ event: Event, to engine: inout Engine) {
        chunk.append(event)
        if chunk.count == 50_000 { finish(&engine) }
    }

    mutating func finish(_ engine: inout Engine) {
        engine.apply(chunk)
        _ = engine.takeChanges()
        chunk.removeAll(keepingCapacity: true)
    }
}
