import CZlib
import Dispatch
import Foundation

/// zlib compression for stored event batches: JSON events shrink three- to five-fold, so imports
/// write far fewer bytes and the database stays small.
///
/// A buffer is cut into frames of ``frameSize`` bytes compressed on every core at once, so a large
/// import batch costs little wall time. Layout per frame (little-endian): original size (4 bytes),
/// compressed size (4 bytes), zlib stream.
enum Deflate {
    static let frameSize = 1 << 20

    /// `bytes` as compressed frames.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        let frames = stride(from: 0, to: bytes.count, by: frameSize).map { $0..<min($0 + frameSize, bytes.count) }
        var compressed = [[UInt8]](repeating: [], count: frames.count)
        compressed.withUnsafeMutableBufferPointer { output in
            // Each iteration writes only its own frame.
            nonisolated(unsafe) let slots = output
            DispatchQueue.concurrentPerform(iterations: frames.count) { index in
                slots[index] = compressFrame(bytes[frames[index]])
            }
        }
        var blob: [UInt8] = []
        blob.reserveCapacity(compressed.reduce(0) { $0 + 8 + $1.count })
        for (range, frame) in zip(frames, compressed) {
            withUnsafeBytes(of: UInt32(range.count).littleEndian) { blob.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(frame.count).littleEndian) { blob.append(contentsOf: $0) }
            blob.append(contentsOf: frame)
        }
        return blob
    }

    /// The original bytes of a ``compress(_:)``ed blob.
    static func decompress(_ blob: [UInt8]) throws -> [UInt8] {
        var frames: [(size: Int, compressed: Range<Int>)] = []
        var offset = 0
        while offset < blob.count {
            guard offset + 8 <= blob.count else { throw StoreCorruption("a compressed event batch is cut short at byte \(offset)") }
            let (size, length) = blob.withUnsafeBytes { bytes in
                (Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))),
                 Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))))
            }
            guard offset + 8 + length <= blob.count else { throw StoreCorruption("a compressed frame at byte \(offset) runs past its batch") }
            frames.append((size, (offset + 8)..<(offset + 8 + length)))
            offset += 8 + length
        }
        var output = [UInt8](repeating: 0, count: frames.reduce(0) { $0 + $1.size })
        var written = 0
        for frame in frames {
            var produced = uLongf(frame.size)
            let status = output.withUnsafeMutableBufferPointer { target in
                blob.withUnsafeBufferPointer { source in
                    uncompress(target.baseAddress! + written, &produced, source.baseAddress! + frame.compressed.lowerBound, uLong(frame.compressed.count))
                }
            }
            guard status == Z_OK, Int(produced) == frame.size else {
                throw StoreCorruption("a stored event batch does not decompress (zlib status \(status))")
            }
            written += frame.size
        }
        return output
    }

    private static func compressFrame(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(compressBound(uLong(bytes.count))))
        var length = uLongf(output.count)
        let status = output.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), 1)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed with a buffer of compressBound size (status \(status))")
        output.removeLast(output.count - Int(length))
        return output
    }
}
