import Foundation
import Dispatch
import SignalboxCore

/// Decodes many lines at once on every core; JSON parsing is the largest share of import time.
enum ParallelDecoder {
    static func decode(_ lines: [[UInt8]], with decoder: EventDecoder) -> [[Result<Event, EventRejection>]] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 256))
        var results = [[Result<Event, EventRejection>]](repeating: [], count: lines.count)
        results.withUnsafeMutableBufferPointer { output in
            // Each worker writes only its own indices.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < lines.count {
                    slots[index] = lines[index].count > EventDecoder.maximumMessageBytes * 512
                        ? [.failure(EventRejection(.tooLarge, "line is \(lines[index].count) bytes"))]
                        : decoder.decode(line: lines[index])
                    index += workers
                }
            }
        }
        return results
    }
}
