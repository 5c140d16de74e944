import Foundation
import Dispatch
import SignalboxCore

/// Decodes a block of lines on every core, in the background: JSON parsing is the largest share of
/// import time, so the next block decodes while the current one is stored and applied.
///
/// ```swift
/// let decoding = ParallelDecoder(block, decoder: EventDecoder())   // starts at once
/// for run in decoding.runs() { … }
/// ```
final class ParallelDecoder: Sendable {
    /// What one worker decoded from consecutive lines: the events in line order, and the messages
    /// that could not be used with the index of their line in the block. Events and rejections
    /// are kept apart so the events pass on as one array, not one result at a time.
    struct Run {
        var events: [Event] = []
        var rejected: [(line: Int, rejection: EventRejection)] = []
        /// Messages read (a batch line holds several; blank lines none).
        var messages = 0
    }

    let block: LineBlock
    private let decoding: BackgroundTask<[Run], Never>

    init(_ block: LineBlock, decoder: EventDecoder) {
        self.block = block
        decoding = BackgroundTask { ParallelDecoder.decode(block, with: decoder) }
    }

    /// One run per worker, covering the block's lines in order, once decoding has finished.
    func runs() -> [Run] {
        decoding.value()
    }

    private static func decode(_ block: LineBlock, with decoder: EventDecoder) -> [Run] {
        let count = block.lines.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 256))
        var runs = [Run](repeating: Run(), count: workers)
        runs.withUnsafeMutableBufferPointer { output in
            // Each worker writes only its own run.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let decoder = decoder.unshared()
                var run = Run()
                run.events.reserveCapacity(count / workers + 16)
                for index in (count * worker / workers)..<(count * (worker + 1) / workers) {
                    decode(block[index], with: decoder) { result in
                        run.messages += 1
                        switch result {
                        case .success(let event): run.events.append(event)
                        case .failure(let rejection): run.rejected.append((index, rejection))
                        }
                    }
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
