import Foundation
import SignalboxStore
import XCTest

extension XCTestCase {
    /// A SQLite store in a fresh temporary directory, removed when the test ends.
    func makeTemporaryStore() throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signalbox-\(name.filter(\.isLetter))-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        return try SQLiteStore(path: directory + "/signalbox.sqlite")
    }
}
