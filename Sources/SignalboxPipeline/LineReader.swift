import CZlib
import SignalboxCore
import Foundation

/// Complete lines that share one buffer, so a block of input costs one allocation, not one per line.
public struct LineBlock: Sendable {
    /// The block's bytes; lines are ranges of it.
    public let bytes: [UInt8]
    /// Each line without its newline or a trailing carriage return, in input order.
    public let lines: [Range<Int>]
    /// The 1-based number of the block's first line in the input.
    public let firstLineNumber: Int

    /// The bytes of the block's `index`-th line.
    public subscript(index: Int) -> ArraySlice<UInt8> { bytes[lines[index]] }
}

/// Reads newline-delimited input from a file, a `.gz` file or standard input (`-`), in large blocks.
public struct LineReader {
    public let path: String
    /// Bytes read from the input at a time.
    static let readSize = 4 << 20

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` with blocks of complete lines, in input order.
    public func forEachBlock(_ body: (LineBlock) throws -> Void) throws {
        var carry: [UInt8] = []
        var nextLineNumber = 1
        try forEachChunk(after: { carry }) { bytes in
            var lines: [Range<Int>] = []
            let consumed = bytes.withUnsafeBytes { buffer in
                var start = 0
                while start < buffer.count, let found = memchr(buffer.baseAddress! + start, 0x0A, buffer.count - start) {
                    let newline = UnsafeRawPointer(found) - buffer.baseAddress!
                    lines.append(LineReader.trimmed(start..<newline, in: buffer))
                    start = newline + 1
                }
                return start
            }
            carry = Array(bytes[consumed...])
            guard !lines.isEmpty else { return }
            try body(LineBlock(bytes: bytes, lines: lines, firstLineNumber: nextLineNumber))
            nextLineNumber += lines.count
        }
        if !carry.isEmpty {
            let last = carry.withUnsafeBytes { LineReader.trimmed(0..<carry.count, in: $0) }
            try body(LineBlock(bytes: carry, lines: [last], firstLineNumber: nextLineNumber))
        }
    }

    /// Calls `body` with each line's 1-based number and bytes (without the newline).
    public func forEachLine(_ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        try forEachBlock { block in
            for index in block.lines.indices { try body(block.firstLineNumber + index, block[index]) }
        }
    }

    private static func trimmed(_ line: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Range<Int> {
        line.count > 0 && buffer[line.upperBound - 1] == UInt8(ascii: "\r") ? line.lowerBound..<(line.upperBound - 1) : line
    }

    /// Calls `body` with each chunk of the input, following the bytes `carry()` gives at that moment
    /// (the unfinished line of the chunk before). A file is read, or inflated, straight into the chunk's buffer.
    private func forEachChunk(after carry: () -> [UInt8], _ body: ([UInt8]) throws -> Void) throws {
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
        while true {
            let prefix = carry()
            // Uninitialized, so the block's bytes are written once: by the copy of the carry and by
            // read(2), or by zlib for a `.gz` file.
            let chunk = try [UInt8](unsafeUninitializedCapacity: prefix.count + LineReader.readSize) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                prefix.withUnsafeBytes { raw.copyMemory(from: $0) }
                let rest = UnsafeMutableRawBufferPointer(rebasing: raw[prefix.count...])
                let count = try inflater.map { try $0.inflate(into: rest) { try read(handle, into: $0) } } ?? read(handle, into: rest)
                initialized = prefix.count + count
            }
            guard chunk.count > prefix.count else { break }
            try body(chunk)
        }
        try inflater?.finish()
    }

    /// Fills `buffer` from the input (a pipe hands over a little at a time); the count read, less
    /// than the buffer only at the end of the input.
    private func read(_ handle: FileHandle, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = Glibc.read(handle.fileDescriptor, buffer.baseAddress! + filled, buffer.count - filled)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw FileError(file: path, line: nil, message: "cannot be read (errno \(errno))") }
            guard count > 0 else { break }
            filled += count
        }
        return filled
    }
}

/// Streaming gzip decompression through zlib, straight into the caller's buffer.
final class GzipInflater {
    private var stream = z_stream()
    private let file: String
    private var ended = false
    /// Compressed bytes read ahead; `stream.next_in` points into it between calls, so it is
    /// allocated by hand rather than held in an array.
    private let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
    private var inputEnded = false

    init(file: String) throws {
        self.file = file
        // 15 + 32: accept gzip or zlib headers, with the largest window.
        // A throw from here still runs deinit (every property is set), which frees `input`; zlib's
        // inflateEnd refuses a stream that never started.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FileError(file: file, line: nil, message: "cannot start gzip decompression")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Fills `output` with decompressed bytes, reading compressed ones through `read` (which returns
    /// 0 at the end of the input) as needed; the count written, less than the buffer only at the end.
    func inflate(into output: UnsafeMutableRawBufferPointer, reading read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        var produced = 0
        while produced < output.count {
            if stream.avail_in == 0 {
                guard !inputEnded else { break }
                let count = try read(input)
                guard count > 0 else {
                    inputEnded = true
                    break
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(count)
            }
            if ended {
                // Concatenated gzip members (as `cat a.gz b.gz` makes) continue the stream.
                inflateReset(&stream)
                ended = false
            }
            let room = output.count - produced
            stream.next_out = (output.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(room)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            produced += room - Int(stream.avail_out)
            // With input and room for output, zlib always makes progress; anything else is bad data.
            guard status == Z_OK || status == Z_STREAM_END else {
                throw FileError(file: file, line: nil, message: "is not valid gzip (zlib status \(status))")
            }
            if status == Z_STREAM_END { ended = true }
        }
        return produced
    }

    func finish() throws {
        guard ended else { throw FileError(file: file, line: nil, message: "ends before the gzip stream does (truncated file?)") }
    }
}
