import Dispatch
import SignalboxCore

/// An ``Engine`` that applies events on its own thread, one batch after another in the order they
/// were handed over, so an import can store the next chunk while the last one is applied.
///
/// ```swift
/// let applier = BackgroundEngine(engine)
/// applier.ingest(fresh)                       // returns at once
/// let engine = applier.finish()              // waits for every batch
/// ```
final class BackgroundEngine: @unchecked Sendable {
    private let queue = DispatchQueue(label: "signalbox.engine")
    /// Touched only on `queue`, or after `finish()` has drained it.
    private var engine: Engine

    init(_ engine: Engine) {
        self.engine = engine
    }

    /// Queues `events` (already deduplicated) to be applied after every batch queued before them.
    func ingest(_ events: [Event]) {
        queue.async { [self] in engine.apply(events) }
    }

    /// Waits for every queued batch and returns the engine, which records what they changed.
    func finish() -> Engine {
        queue.sync { engine }
    }
}
