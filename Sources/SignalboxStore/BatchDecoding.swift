import Dispatch
import Foundation
import SignalboxCore

/// One stored batch decompressed and decoded in the background, so a replay decodes the next
/// batches while the engine applies the current one.
final class BatchDecoding: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the background task before `done` is signalled; read only after waiting on it.
    private var result: Result<[Event], any Error> = .success([])

    /// Starts decoding `compressed` (a ``BatchCompression`` blob of ``EventRecords``) at once, into
    /// events carrying the `properties` selected.
    init(_ compressed: [UInt8], codec: BatchCodec, properties: PropertySelection) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = Result {
                var events: [Event] = []
                try EventRecords.forEach(in: try BatchCompression.decompress(compressed, codec: codec), properties: properties) { events.append($0) }
                return events
            }
            done.signal()
        }
    }

    /// The batch's events in stored order, once decoded.
    func events() throws -> [Event] {
        done.wait()
        done.signal()
        return try result.get()
    }
}
