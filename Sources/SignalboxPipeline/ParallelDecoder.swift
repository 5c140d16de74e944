import Foundation
import Dispatch
import SignalboxCore

/// Decodes a block of lines on every core, in the background: JSON parsing is the largest share of
/// import time, so the next block decodes while the current one is stored and applied.
///
/// ```swift
/// let decoding = ParallelDecoder(block, decoder: EventDecoder())   // starts at once
/// for message in decoding.messages() { … }
/// ```
final class ParallelDecoder: @unchecked Sendable {
    /// One message's result and the index of its line in the block.
    typealias Message = (line: Int, result: Result<Event, EventRejection>)

    let block: LineBlock
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting on it.
    private var decoded: [[Message]] = []

    init(_ block: LineBlock, decoder: EventDecoder) {
        self.block = block
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            decoded = ParallelDecoder.decode(block, with: decoder)
            done.signal()
        }
    }

    /// Every message's result in line order (blank lines have none), once decoding has finished:
    /// one run per worker, each covering consecutive lines.
    func messages() -> [[Message]] {
        done.wait()
        done.signal()
        return decoded
    }

    private static func decode(_ block: LineBlock, with decoder: EventDecoder) -> [[Message]] {
        let count = block.lines.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 256))
        var runs = [[Message]](repeating: [], count: workers)
        runs.withUnsafeMutableBufferPointer { output in
            // Each worker writes only its own run.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var run: [Message] = []
                run.reserveCapacity(count / workers + 16)
                for index in (count * worker / workers)..<(count * (worker + 1) / workers) {
                    decode(block[index], with: decoder) { run.append((index, $0)) }
                }
                slots[worker] = run
            }
        }
        return runs
    }

    private static func decode(_ line: ArraySlice<UInt8>, with decoder: EventDecoder, _ body: (Result<Event, EventRejection>) -> Void) {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if line.count > EventDecoder.maximumMessageBytes * 512 {
            return body(.failure(EventRejection(.tooLarge, "line is \(line.count) bytes")))
        }
        decoder.decode(line: line, body)
    }
}
