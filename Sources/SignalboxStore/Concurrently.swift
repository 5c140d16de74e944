import Dispatch
import Foundation

/// Work spread over every core: the end of a large import saves thousands of account states at
/// once, and every command that opens a store loads them with the identity graph.
enum Concurrently {
    /// `transform` of each value, worked out on every core, in the order given.
    static func map<Value: Sendable, Transformed>(_ values: [Value], _ transform: @Sendable (Value) throws -> Transformed) throws -> [Transformed] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, values.count / 64))
        var results = [Result<Transformed, any Error>?](repeating: nil, count: values.count)
        results.withUnsafeMutableBufferPointer { output in
            // Each worker writes only its own indices.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: values.count, by: workers) {
                    slots[index] = Result { try transform(values[index]) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }

    /// Runs `first` and `second` at the same time and returns both results.
    static func both<A: Sendable, B: Sendable>(
        _ first: @Sendable () throws -> A, _ second: @Sendable () throws -> B
    ) throws -> (A, B) {
        nonisolated(unsafe) var a: Result<A, any Error>?
        nonisolated(unsafe) var b: Result<B, any Error>?
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            // Each iteration writes only its own result.
            if index == 0 { a = Result(catching: first) } else { b = Result(catching: second) }
        }
        return (try a!.get(), try b!.get())
    }
}
