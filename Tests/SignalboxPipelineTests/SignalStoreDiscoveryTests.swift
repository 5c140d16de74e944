import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// Discovery reads a real store: only events before each window's end, outcomes known by
/// `--as-of`, accounts as the engine attributes events to them.
final class SignalStoreDiscoveryTests: XCTestCase {
    func testDiscoveryReadsNothingAtOrAfterAWindowsEndAndFollowsTheEnginesAttribution() throws {
        let store = try makeTemporaryStore()
        _ = try store.appendEvents([
            HistoryFixture.track("a1", "Project Created", user: "u1", workspace: "ws1", at: -2 * HistoryFixture.day),
            HistoryFixture.track("a2", "Billing Added", user: "u1", workspace: "ws1", at: 0),
            HistoryFixture.track("a3", "Upgrade Started", user: "u1", workspace: "ws1", at: HistoryFixture.day),
            HistoryFixture.track("b1", "Pricing Viewed", user: "u2", workspace: "ws2", at: -HistoryFixture.day),
            HistoryFixture.track("b2", "Report Created", user: "u2", workspace: "ws2", at: HistoryFixture.day),
            HistoryFixture.group("c1", user: "u3", workspace: "ws3", name: "Northwind", at: -10 * HistoryFixture.day),
            HistoryFixture.track("c2", "Dashboard Shared", user: "u3", workspace: nil, at: -5 * HistoryFixture.day),
            HistoryFixture.track("d1", "Integration Connected", user: "u4", workspace: "ws4", at: -3 * HistoryFixture.day),
            HistoryFixture.group("e1", user: "u5", workspace: "ws5", name: "QA sandbox", at: -10 * HistoryFixture.day),
            HistoryFixture.track("e2", "Pricing Viewed", user: "u5", workspace: "ws5", at: -HistoryFixture.day),
        ], source: "web")
        let asOf = HistoryFixture.t0.addingTimeInterval(20 * HistoryFixture.day)
        _ = try store.recordOutcomes([
            Outcome(key: .workspace("ws1"), convertedAt: HistoryFixture.t0),
            Outcome(key: .workspace("ws4"), convertedAt: asOf.addingTimeInterval(HistoryFixture.day)),
        ], source: "file")
        let samples = try store.discoverySamples(model: CompiledModel(try Preset.weighted.config()), companies: [:], asOf: asOf, lookBack: 30 * HistoryFixture.day, outcomes: try store.outcomes())
        func names(_ account: String) -> [String]? { samples.first { $0.accountId == account }.map { $0.features.map(\.description).sorted() } }
        XCTAssertEqual(samples.map(\.accountId), ["ws1", "ws2", "ws3", "ws4"], "ws5 is excluded (a QA workspace)")
        XCTAssertEqual(samples.map(\.converted), [true, false, false, false], "ws4 converts after --as-of: not yet a converter")
        XCTAssertEqual(names("ws1"), ["Project Created"], "billing at the conversion time and the upgrade after it are not read")
        XCTAssertEqual(names("ws2"), ["Pricing Viewed"], "a non-converter's window ends at the converter's conversion time")
        XCTAssertEqual(names("ws3"), ["Dashboard Shared"], "an event without a groupId counts for its user's workspace")
    }
}
