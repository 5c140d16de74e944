import Foundation
import Dispatch
import SignalboxCore

/// Decodes a block of lines on every core, in the background: JSON parsing is the largest share of
/// import time, so the next block decodes while the current one is stored and applied.
///
/// ```swift
/// let decoding = ParallelDecoder(block, decoder: EventDecoder())   // starts at once
/// for (line, results) in decoding.results().enumerated() { … }
/// ```
final class ParallelDecoder: @unchecked Sendable {
    let block: LineBlock
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting on it.
    private var decoded: [[Result<Event, EventRejection>]] = []

    init(_ block: LineBlock, decoder: EventDecoder) {
        self.block = block
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            decoded = ParallelDecoder.decode(block, with: decoder)
            done.signal()
        }
    }

    /// Each line's results in line order (blank lines have none), once decoding has finished.
    func results() -> [[Result<Event, EventRejection>]] {
        done.wait()
        done.signal()
        return decoded
    }

    private static func decode(_ block: LineBlock, with decoder: EventDecoder) -> [[Result<Event, EventRejection>]] {
        let count = block.lines.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 256))
        var results = [[Result<Event, EventRejection>]](repeating: [], count: count)
        results.withUnsafeMutableBufferPointer { output in
            // Each worker writes only its own indices.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < count {
                    slots[index] = decode(block[index], with: decoder)
                    index += workers
                }
            }
        }
        return results
    }

    private static func decode(_ line: ArraySlice<UInt8>, with decoder: EventDecoder) -> [Result<Event, EventRejection>] {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return [] }
        if line.count > EventDecoder.maximumMessageBytes * 512 {
            return [.failure(EventRejection(.tooLarge, "line is \(line.count) bytes"))]
        }
        return decoder.decode(line: line)
    }
}
