import Foundation
@testable import SignalboxCore
import SignalboxLearning
import XCTest

final class ShadowComparisonTests: XCTestCase {
    private let asOf = Date(timeIntervalSince1970: 1_793_491_200)

    private func score(_ account: String, _ stage: Stage, _ total: Double) -> AccountScore {
        AccountScore(
            accountId: account, name: nil, domain: nil, asOf: asOf, stage: stage, band: nil, total: total, fit: nil, value: 0, intent: 0,
            reasons: [ReasonCode(code: "x", text: "reason of \(account)", points: 1, axis: .intent)], stageReason: "", contributions: [], fitMatches: []
        )
    }

    func testStagesRanksMoversAndOutcomesAreCompared() throws {
        let live = [score("a", .salesReady, 80), score("b", .salesReady, 70), score("c", .pql, 50), score("d", .notPQL, 10), score("e", .excluded, 0)]
        let candidate = [score("a", .salesReady, 90), score("b", .pql, 40), score("c", .salesReady, 60), score("d", .notPQL, 5), score("e", .excluded, 0)]
        let conversions = ["c": asOf.addingTimeInterval(86_400), "a": asOf.addingTimeInterval(40 * 86_400)]
        let comparison = ShadowComparison(live: live, candidate: candidate, asOf: asOf, conversions: conversions, horizon: 30 * 86_400, limit: 5)
        XCTAssertEqual(comparison.accounts, 5)
        XCTAssertEqual(comparison.agreement, 3.0 / 5)
        XCTAssertEqual(comparison.promoted.map(\.accountId), ["c"])
        XCTAssertEqual(comparison.demoted.map(\.accountId), ["b"])
        XCTAssertEqual(comparison.promoted.first?.reasons, ["reason of c"])
        XCTAssertEqual(comparison.cells.first { $0.live == .salesReady && $0.candidate == .pql }?.accounts, 1)
        // Ranks over a–d: live 4,3,2,1 and candidate 4,2,3,1: ρ = 1 − 6·2 / (4·15) = 0.8.
        XCTAssertEqual(try XCTUnwrap(comparison.rankCorrelation), 0.8, accuracy: 1e-12)
        // Only c converts within 30 days: live flags a, b (0 of 2); the candidate a, c (1 of 2).
        XCTAssertEqual(comparison.live?.precision, 0)
        XCTAssertEqual(comparison.candidate?.precision, 0.5)
        XCTAssertEqual(comparison.candidate?.recall, 1)
    }
}
