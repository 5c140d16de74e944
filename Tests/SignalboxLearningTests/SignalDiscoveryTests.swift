import Foundation
import SignalboxLearning
import XCTest

/// Lift, support and pairing, against hand-computed numbers.
final class SignalDiscoveryTests: XCTestCase {
    private let invite = DiscoveryFeature.event(ActivityName(name: "Teammate Invited"))
    private let pricing = DiscoveryFeature.event(ActivityName(name: "Pricing", page: true))
    private let login = DiscoveryFeature.event(ActivityName(name: "Logged In"))

    /// `count` accounts of one group with the given features.
    private func samples(_ count: Int, converted: Bool, _ features: Set<DiscoveryFeature>, prefix: String) -> [DiscoverySample] {
        (0..<count).map { DiscoverySample(accountId: "\(prefix)\($0)", converted: converted, features: features) }
    }

    func testLiftIsTheAddOneSmoothedRateAmongConvertersOverTheRateAmongOthers() {
        let stats = LiftStats(convertersWith: 6, converters: 10, nonConvertersWith: 2, nonConverters: 20)
        // (6 + 1) / (10 + 2) over (2 + 1) / (20 + 2) = 0.58333 / 0.13636
        XCTAssertEqual(stats.lift, 4.27778, accuracy: 1e-5)
        XCTAssertEqual(stats.conversionRateWith!, 6.0 / 8, accuracy: 1e-12)
        XCTAssertEqual(stats.conversionRateWithout!, 4.0 / 22, accuracy: 1e-12)
    }

    func testSmoothingKeepsAFeatureUnseenAmongOthersFinite() {
        let stats = LiftStats(convertersWith: 2, converters: 20, nonConvertersWith: 0, nonConverters: 500)
        // (3 / 22) / (1 / 502)
        XCTAssertEqual(stats.lift, 68.4545, accuracy: 1e-4)
    }

    func testTooFewConvertersIsRefused() {
        let data = samples(9, converted: true, [invite], prefix: "w") + samples(50, converted: false, [], prefix: "o")
        XCTAssertThrowsError(try SignalDiscovery().run(data, lookBack: 30 * 86_400)) { error in
            XCTAssertEqual(error as? DiscoveryRefusal, .tooFewConverters(found: 9, minimum: 10))
        }
    }

    func testCandidatesAreRankedByLiftAndThinOrUnderRepresentedOnesDropped() throws {
        // 20 converters: 12 invited, 15 viewed pricing, 20 logged in; 40 others: 4, 10, 40.
        let data = samples(12, converted: true, [invite, pricing, login], prefix: "a") + samples(3, converted: true, [pricing, login], prefix: "b")
            + samples(5, converted: true, [login], prefix: "c") + samples(4, converted: false, [invite, login], prefix: "d")
            + samples(6, converted: false, [pricing, login], prefix: "e") + samples(30, converted: false, [login], prefix: "f")
        let report = try SignalDiscovery(minimumSupport: 10, limit: 5).run(data, lookBack: 30 * 86_400)
        XCTAssertEqual(report.converters, 20)
        XCTAssertEqual(report.nonConverters, 40)
        // invite: (13/22) / (5/42) = 4.9636; pricing: (16/22) / (7/42) = 4.3636; login: (21/22) / (41/42) < 1.
        XCTAssertEqual(report.candidates.map(\.name), ["Teammate Invited", "Pricing page"])
        XCTAssertEqual(report.candidates[0].stats.lift, 4.9636, accuracy: 1e-4)
        XCTAssertEqual(report.candidates[1].stats.lift, 4.3636, accuracy: 1e-4)
        let stricter = try SignalDiscovery(minimumSupport: 13, limit: 5).run(data, lookBack: 30 * 86_400)
        XCTAssertEqual(stricter.candidates.map(\.name), ["Pricing page"], "12 converters invited: below a support of 13")
    }

    func testAPairIsACompoundOnlyWhenItBeatsEachOfItsParts() throws {
        let data = samples(12, converted: true, [invite, pricing], prefix: "a") + samples(3, converted: true, [pricing], prefix: "b")
            + samples(5, converted: true, [], prefix: "c") + samples(4, converted: false, [invite], prefix: "d")
            + samples(6, converted: false, [pricing], prefix: "e") + samples(30, converted: false, [], prefix: "f")
        let report = try SignalDiscovery(minimumSupport: 10).run(data, lookBack: 30 * 86_400)
        // Both: 12 of 20 converters, 0 of 40 others: (13/22) / (1/42) = 24.818.
        XCTAssertEqual(report.compounds.map(\.name), ["Teammate Invited and Pricing page"])
        XCTAssertEqual(report.compounds[0].stats.lift, 24.818, accuracy: 1e-3)

        let independent = samples(12, converted: true, [invite], prefix: "a") + samples(12, converted: true, [pricing], prefix: "b")
            + samples(30, converted: false, [], prefix: "c")
        XCTAssertEqual(try SignalDiscovery(minimumSupport: 10).run(independent, lookBack: 30 * 86_400).compounds, [], "never seen together")
    }
}
