import Foundation
import XCTest

/// A test case with a fresh directory per test for stores and files, removed afterwards.
class ScratchDirectoryTestCase: XCTestCase {
    private(set) var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
