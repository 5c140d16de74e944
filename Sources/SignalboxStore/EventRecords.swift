import Foundation
import SignalboxCore

/// How a batch of stored events is laid out in one blob: for each event, its corrected time, then
/// its message JSON as it arrived. Keeping the original bytes means storing costs a copy, not a
/// re-serialization, and replaying decodes exactly what was received.
///
/// Record layout (little-endian): time as IEEE-754 double bits (8 bytes), JSON length (4 bytes), JSON.
enum EventRecords {
    /// The records of `events`, in order, and the earliest and latest of their times (nil for no events).
    static func encode(_ events: [Event]) -> (records: [UInt8], times: ClosedRange<Double>?) {
        var blob: [UInt8] = []
        blob.reserveCapacity(events.reduce(0) { $0 + 12 + ($1.payload?.count ?? 256) })
        var earliest = Double.infinity
        var latest = -Double.infinity
        // Indexing instead of iterating reads each event in place rather than copying it.
        for index in events.indices {
            events.prefetch(after: index)
            let time = events[index].timestamp.timeIntervalSince1970
            earliest = min(earliest, time)
            latest = max(latest, time)
            withUnsafeBytes(of: time.bitPattern.littleEndian) { blob.append(contentsOf: $0) }
            if let payload = events[index].payload {
                append(payload, to: &blob)
            } else {
                append(Array(events[index].segmentJSON().utf8)[...], to: &blob)
            }
        }
        return (blob, events.isEmpty ? nil : earliest...latest)
    }

    private static func append(_ json: ArraySlice<UInt8>, to blob: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { blob.append(contentsOf: $0) }
        blob.append(contentsOf: json)
    }

    /// Decodes every record of `blob` in order, into events carrying the `properties` selected.
    static func forEach(in blob: [UInt8], properties: PropertySelection, _ body: (Event) throws -> Void) throws {
        let decoder = EventDecoder(properties: properties)
        var offset = 0
        while offset < blob.count {
            guard offset + 12 <= blob.count else { throw StoreCorruption("an event record is cut short at byte \(offset)") }
            let (bits, length) = blob.withUnsafeBytes { bytes in
                (UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                 Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))))
            }
            let start = offset + 12
            guard start + length <= blob.count else { throw StoreCorruption("an event record at byte \(offset) runs past its batch") }
            switch decoder.decode(stored: blob[start..<(start + length)], timestamp: Date(timeIntervalSince1970: Double(bitPattern: bits))) {
            case .success(let event): try body(event)
            case .failure(let rejection): throw StoreCorruption("a stored event no longer decodes: \(rejection)")
            }
            offset = start + length
        }
    }
}

/// Stored data that cannot be read back; it means the database was changed outside Signalbox.
public struct StoreCorruption: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
