import Foundation
import SignalboxCore
import SignalboxLearning
import XCTest

/// What a look-back window may read: only events before its end, matched in time for non-converters.
final class DiscoveryTallyTests: XCTestCase {
    private static let day: TimeInterval = 86_400
    private static let t0 = Date(timeIntervalSince1970: 1_793_491_200)   // 2026-11-01T00:00:00Z

    private func event(_ name: String, at offset: TimeInterval, properties: [String: JSONValue] = [:]) -> Event {
        Event(messageId: UUID().uuidString, type: .track, userId: "u", name: name, properties: properties, timestamp: Self.t0.addingTimeInterval(offset))
    }

    private func window(_ account: String, converted: Bool = true, end offset: TimeInterval = 0) -> LookBackWindow {
        let end = Self.t0.addingTimeInterval(offset)
        return LookBackWindow(accountId: account, start: end.addingTimeInterval(-30 * Self.day), end: end, converted: converted)
    }

    func testNonConvertersTakeTheConversionTimesInTurnByAccountId() {
        let early = Self.t0
        let late = Self.t0.addingTimeInterval(10 * Self.day)
        let windows = MatchedWindows.make(conversions: ["won2": late, "won1": early], nonConverters: ["c", "a", "b", "won1"], lookBack: 30 * Self.day)
        XCTAssertEqual(windows.map(\.accountId), ["won1", "won2", "a", "b", "c"], "a converter is never also a non-converter")
        XCTAssertEqual(windows.map(\.end), [early, late, early, late, early])
        XCTAssertEqual(windows.map(\.converted), [true, true, false, false, false])
        XCTAssertEqual(windows[2].start, early.addingTimeInterval(-30 * Self.day))
    }

    func testAnEventAtOrAfterTheConversionTimeDoesNotCount() {
        var tally = DiscoveryTally(windows: [window("won")])
        tally.observe(event("Project Created", at: -1), account: "won")
        tally.observe(event("Billing Added", at: 0), account: "won")
        tally.observe(event("Upgrade Started", at: Self.day), account: "won")
        tally.observe(event("Report Created", at: -31 * Self.day), account: "won")
        XCTAssertEqual(tally.samples(), [
            DiscoverySample(accountId: "won", converted: true, features: [.event(ActivityName(name: "Project Created"))]),
        ], "only the event one second before converting is inside [conversion - 30 days, conversion)")
    }

    func testAnAccountFirstActiveAfterItsWindowEndedIsLeftOut() {
        var tally = DiscoveryTally(windows: [window("won"), window("late", converted: false), window("quiet", converted: false)])
        tally.observe(event("Project Created", at: -Self.day), account: "won")
        tally.observe(event("Project Created", at: 5 * Self.day), account: "late")
        tally.observe(event("Logged In", at: -40 * Self.day), account: "quiet")
        XCTAssertEqual(tally.samples().map(\.accountId), ["quiet", "won"], "quiet existed before its window ended, with nothing inside it")
        XCTAssertEqual(tally.samples().first?.features, [])
    }

    func testASequenceNeedsTheFirstActivityBeforeALaterOccurrenceOfTheSecond() {
        var tally = DiscoveryTally(windows: [window("won")])
        tally.observe(event("Teammate Invited", at: -3 * Self.day), account: "won")
        tally.observe(event("Upgrade Started", at: -2 * Self.day), account: "won")
        let features = tally.samples()[0].features
        let invite = ActivityName(name: "Teammate Invited")
        let upgrade = ActivityName(name: "Upgrade Started")
        XCTAssertTrue(features.contains(.sequence(invite, then: upgrade)))
        XCTAssertFalse(features.contains(.sequence(upgrade, then: invite)))
    }

    func testOnlyPropertiesWithAFewValuesBecomeCandidates() {
        var tally = DiscoveryTally(windows: [window("won")], maximumPropertyValues: 3)
        for (index, limit) in ["rows", "seats", "rows"].enumerated() {
            tally.observe(event("Plan Limit Hit", at: -Double(index + 1) * Self.day, properties: ["limit": .string(limit), "plan": .string("free"), "hard": .bool(true)]), account: "won")
        }
        for index in 0..<4 {
            tally.observe(event("Project Created", at: -Double(index + 1) * Self.day, properties: ["project_id": .string("p\(index)")]), account: "won")
        }
        let properties = tally.samples()[0].features.filter { $0.kind == .property }.map(\.description).sorted()
        XCTAssertEqual(properties, ["Plan Limit Hit where limit=rows", "Plan Limit Hit where limit=seats"],
                       "one value (plan) says nothing the event does not, booleans are not strings, four ids exceed three values")
    }
}
