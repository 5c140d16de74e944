import CZlib
import Foundation
import Hummingbird

/// Reads a request body whole, inflating gzip, within a size limit that also applies after
/// inflation (so a small "gzip bomb" cannot fill memory).
struct RequestBodyReader {
    /// Largest body, compressed or not, in bytes.
    var limit: Int

    func read(_ request: inout Request, gzipped: Bool) async throws(APIError) -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "too_large", "the request body is larger than \(limit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        return gzipped ? try inflate(bytes) : bytes
    }

    /// Inflates a gzip (or zlib) body, refusing to produce more than `limit` bytes.
    func inflate(_ compressed: [UInt8]) throws(APIError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: accept gzip or zlib headers, with the largest window.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw APIError(.internalServerError, code: "internal_error", "gzip decompression could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status = Z_OK
        var input = compressed
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: out[..<(out.count - Int(stream.avail_out))])
                }
            } while status == Z_OK && output.count <= limit && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        if output.count > limit {
            throw APIError(.contentTooLarge, code: "too_large", "the gzip body inflates to more than \(limit) bytes")
        }
        guard status == Z_STREAM_END else {
            throw APIError.badRequest("invalid_gzip", "the body is marked gzip but is not a complete gzip stream (zlib status \(status))")
        }
        return output
    }
}
