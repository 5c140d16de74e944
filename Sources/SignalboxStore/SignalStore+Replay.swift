import Foundation
import SignalboxCore

extension SignalStore {
    /// A fresh engine fed every stored event up to `until` (all when nil). Nothing of it is stored
    /// yet, so it records no changes; a caller saving it writes ``EngineChanges/init(everythingIn:)``.
    public func replay(model: CompiledModel, companies: [String: Company], until: Date?) throws -> Engine {
        var engine = Engine(model: model, companies: companies)
        var chunk: [Event] = []
        chunk.reserveCapacity(50_000)
        try forEachEvent(until: until) { event in
            chunk.append(event)
            if chunk.count == 50_000 {
                engine.ingest(chunk)
                _ = engine.takeChanges()
                chunk.removeAll(keepingCapacity: true)
            }
        }
        engine.ingest(chunk)
        _ = engine.takeChanges()
        return engine
    }
}
