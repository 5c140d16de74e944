import Dispatch

/// Work started on another thread at once, whose result is collected later: an import decodes the
/// blocks ahead of the one it stores this way, and encodes the engine's rows while its own thread
/// finishes the store's writes.
///
/// ```swift
/// let rows = BackgroundTask { try EngineRows(engine, changes: changes) }
/// try store.finishAppends()
/// try store.saveEngine(try rows.value())
/// ```
final class BackgroundTask<Value: Sendable, Failure: Error>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background thread before `done` is signalled; read only after waiting on it.
    private var result: Result<Value, Failure>?

    init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = Result(catching: work)
            done.signal()
        }
    }

    /// Waits for the work and returns what it returned, or throws what it threw.
    func value() throws(Failure) -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
