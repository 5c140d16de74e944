import CZlib
import SignalboxCore
import Foundation

/// Reads newline-delimited input from a file, a `.gz` file or standard input (`-`), in large blocks.
public struct LineReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` with each line's 1-based number and bytes (without the newline).
    public func forEachLine(_ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        var pending: [UInt8] = []
        var lineNumber = 0
        try forEachBlock { block in
            pending.append(contentsOf: block)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                try body(lineNumber, LineReader.trimmed(pending[start..<newline]))
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty {
            lineNumber += 1
            try body(lineNumber, LineReader.trimmed(pending[...]))
        }
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == UInt8(ascii: "\r") ? line.dropLast() : line
    }

    private func forEachBlock(_ body: ([UInt8]) throws -> Void) throws {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw FileError(file: path, line: nil, message: "cannot be opened for reading")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        let inflater = path.hasSuffix(".gz") ? try GzipInflater(file: path) : nil
        while let data = try handle.read(upToCount: 4 << 20), !data.isEmpty {
            if let inflater {
                try inflater.inflate([UInt8](data), into: body)
            } else {
                try body([UInt8](data))
            }
        }
        try inflater?.finish()
    }
}

/// Streaming gzip decompression through zlib.
final class GzipInflater {
    private var stream = z_stream()
    private let file: String
    private var ended = false

    init(file: String) throws {
        self.file = file
        // 15 + 32: accept gzip or zlib headers, with the largest window.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FileError(file: file, line: nil, message: "cannot start gzip decompression")
        }
    }

    deinit { inflateEnd(&stream) }

    func inflate(_ input: [UInt8], into body: ([UInt8]) throws -> Void) throws {
        var input = input
        var output = [UInt8](repeating: 0, count: 1 << 20)
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while stream.avail_in > 0 {
                if ended {
                    // Concatenated gzip members (as `cat a.gz b.gz` makes) continue the stream.
                    inflateReset(&stream)
                    ended = false
                }
                let (status, produced) = output.withUnsafeMutableBufferPointer { outputBuffer -> (Int32, Int) in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = uInt(outputBuffer.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, outputBuffer.count - Int(stream.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw FileError(file: file, line: nil, message: "is not valid gzip (zlib status \(status))")
                }
                if produced > 0 { try body(Array(output[..<produced])) }
                if status == Z_STREAM_END { ended = true }
                if status == Z_BUF_ERROR && produced == 0 { break }
            }
        }
    }

    func finish() throws {
        guard ended else { throw FileError(file: file, line: nil, message: "ends before the gzip stream does (truncated file?)") }
    }
}
