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
    /// Where applied batches are let go of: freeing a batch's events (a box, strings and
    /// properties each) is work the engine's thread, an import's slowest stage, need not do.
    private let release = DispatchQueue(label: "signalbox.engine.release", qos: .utility)

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
        let batch = Batch(events)
        queue.async { [self] in
            engine.apply(batch.events)
            room.signal()
            release.async { batch.events = [] }
        }
    }

    /// A batch's events, held only here once handed over, so the release queue frees them.
    private final class Batch: @unchecked Sendable {
        /// Read on the engine's queue, then emptied on the release queue.
        var events: [Event]

        init(_ events: [Event]) {
            self.events = events
        }
    }

    /// Waits for every queued batch and returns the engine, which records what they changed.
    func finish() -> Engine {
        queue.sync { engine }
    }
}
