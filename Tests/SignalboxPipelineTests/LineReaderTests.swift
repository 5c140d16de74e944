import Foundation
import SignalboxPipeline
import XCTest

final class LineReaderTests: ScratchDirectoryTestCase {
    /// About 7 MiB of lines of varying length, some ending in CRLF: more than one 4 MiB block.
    private let lines: [String] = (0..<90_000).map { index in
        "{\"n\":\(index),\"pad\":\"\(String(repeating: "x", count: index % 97))\"}" + (index % 13 == 0 ? "\r" : "")
    }

    private var expected: [String] { lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 } }

    private func readAll(_ path: String) throws -> [String] {
        var read: [String] = []
        try LineReader(path: path).forEachLine { number, line in
            XCTAssertEqual(number, read.count + 1)
            read.append(String(decoding: line, as: UTF8.self))
        }
        return read
    }

    private func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, command)
    }

    private func writePlain() throws -> String {
        let plain = directory + "/events.ndjson"
        try lines.joined(separator: "\n").write(toFile: plain, atomically: true, encoding: .utf8)
        return plain
    }

    func testLinesAcrossBlocksReadBackExactly() throws {
        XCTAssertEqual(try readAll(try writePlain()), expected)
    }

    func testGzipAcrossBlocksAndConcatenatedMembersReadsTheSameLines() throws {
        let plain = try writePlain()
        // Two members split in the middle of a line, as `cat a.gz b.gz` would make.
        try shell("head -c 3000001 '\(plain)' | gzip -c > '\(plain).1.gz' && tail -c +3000002 '\(plain)' | gzip -c > '\(plain).2.gz' && cat '\(plain).1.gz' '\(plain).2.gz' > '\(plain).gz'")
        XCTAssertEqual(try readAll(plain + ".gz"), expected)
    }

    func testTruncatedGzipSaysSo() throws {
        let plain = try writePlain()
        try shell("gzip -c '\(plain)' | head -c 200000 > '\(plain).gz'")
        XCTAssertThrowsError(try readAll(plain + ".gz")) { error in
            XCTAssertTrue(String(describing: error).contains("ends before the gzip stream does"), "\(error)")
        }
    }

    func testBytesAfterTheLastMemberAreAnError() throws {
        let plain = try writePlain()
        try shell("gzip -c '\(plain)' > '\(plain).gz' && printf 'not gzip' >> '\(plain).gz'")
        XCTAssertThrowsError(try readAll(plain + ".gz")) { error in
            XCTAssertTrue(String(describing: error).contains("is not valid gzip"), "\(error)")
        }
    }
}
