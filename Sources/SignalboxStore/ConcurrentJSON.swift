import Dispatch
import Foundation

/// JSON-encodes many values on every core: the end of a large import saves thousands of account
/// states at once, and encoding them one by one would keep the other core idle.
enum ConcurrentJSON {
    /// Each value's JSON (sorted keys, dates as Unix seconds), in the order given.
    static func encode(_ values: [any Encodable & Sendable]) throws -> [Data] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, values.count / 64))
        var results = [Result<Data, any Error>](repeating: .success(Data()), count: values.count)
        results.withUnsafeMutableBufferPointer { output in
            // Each worker writes only its own indices.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .secondsSince1970
                encoder.outputFormatting = .sortedKeys
                for index in stride(from: worker, to: values.count, by: workers) {
                    slots[index] = Result { try encoder.encode(values[index]) }
                }
            }
        }
        return try results.map { try $0.get() }
    }
}
