import Dispatch
import SignalboxCore

/// An ``Engine`` that applies events on its own thread, one batch after another in the order they
/// were handed over, so an import can store the next chunk while the last one is applied.
///
/// ```swift
/// let applier = BackgroundEngine(engine, maximumWaiting: 16)
/// applier.ingest(fresh)                       // returns at once
/// let engine = applier.finish()              // waits for every batch
/// ```
final class BackgroundEngine: @unchecked Sendable {
    private let queue = DispatchQueue(label: "signalbox.engine")
    /// Touched only on `queue`, or after `finish()` has drained it.
    private var engine: Engine
    private let room: DispatchSemaphore

    /// `maximumWaiting` batches may wait to be applied; ``ingest(_:)`` blocks while that many do.
    init(_ engine: Engine, maximumWaiting: Int) {
        self.engine = engine
        room = DispatchSemaphore(value: maximumWaiting)
    }

    /// Queues `events` (already deduplicated) to be applied after every batch queued before them,
    /// first waiting while `maximumWaiting` batches are queued: applying is the slowest stage of an
    /// import, and without a bound its backlog, and the memory the waiting events hold, grows with
    /// the import.
    func ingest(_ events: [Event]) {
        room.wait()
        queue.async { [self] in
            engine.apply(events)
            room.signal()
        }
    }

    /// Waits for every queued batch and returns the engine, which records what they changed.
    func finish() -> Engine {
        queue.sync { engine }
    }
}
