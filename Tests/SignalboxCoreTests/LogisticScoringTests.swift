import Foundation
@testable import SignalboxCore
import XCTest

/// A learned model (`scoring: { kind: logistic }`): points are log-odds and the total is a probability.
final class LogisticScoringTests: XCTestCase {
    private let yaml = """
    name: learned
    scoring: { kind: logistic, intercept: -3, fit_unknown: -0.5, horizon: 30d }
    signals:
      pricing: { category: intent, event: Pricing Viewed, points: 0.5 }
      billing: { category: intent, event: Billing Added, once: true, points: 2 }
      quiet: { category: negative, metric: days_since_last_active, at_least: 14, points: 1.2 }
    fit:
      size: { field: employees, between: [50, 5000], points: 1 }
    stages:
      pql: { score: 10 }
      sales_ready: { score: 25 }
    """

    private func score(_ events: [Event], profile: AccountProfile) throws -> AccountScore {
        let model = CompiledModel(try config(yaml))
        var engine = Engine(model: model)
        engine.ingest([group("u1", "ws1")] + events)
        return Scorer(model: model).score(engine.state(ofWorkspaces: ["ws1"]), profile: profile, asOf: referenceDate)
    }

    private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    func testTheTotalIsTheProbabilityOfTheSummedLogOdds() throws {
        let known = AccountProfile(accountId: "ws1", company: Company(domain: "acme.com", employees: 200))
        let result = try score([track("Pricing Viewed", at: daysBefore(1)), track("Pricing Viewed", at: daysBefore(2))], profile: known)
        // -3 + 2 × 0.5 + 1 (size) = -1.
        XCTAssertEqual(result.total, (100 * sigmoid(-1)).rounded(toPlaces: 1))
        XCTAssertEqual(result.fit ?? 0, (100 * sigmoid(1)).rounded(toPlaces: 1))
        XCTAssertEqual(result.intent, (100 * sigmoid(1)).rounded(toPlaces: 1))
        XCTAssertEqual(result.value, 50, "no value evidence is neutral")
        XCTAssertEqual(result.stage, .salesReady)
        XCTAssertEqual(result.contributions.first?.units, 2)
    }

    func testUnknownFitAddsItsOwnLogOddsAndSaysSo() throws {
        let result = try score([track("Pricing Viewed", at: daysBefore(1)), track("Pricing Viewed", at: daysBefore(2))], profile: AccountProfile(accountId: "ws1"))
        // -3 + 1 - 0.5 = -2.5.
        XCTAssertEqual(result.total, (100 * sigmoid(-2.5)).rounded(toPlaces: 1))
        XCTAssertNil(result.fit)
        XCTAssertEqual(result.reasons.first { $0.code == "fit_unknown" }?.points, -0.5)
        XCTAssertEqual(result.stage, .notPQL)
    }

    func testUnitsAreWhatPointsMultiplyOnceAndThresholdSignalsCountOne() throws {
        let known = AccountProfile(accountId: "ws1", company: Company(domain: "acme.com", employees: 10))
        let result = try score([track("Billing Added", at: daysBefore(20)), track("Billing Added", at: daysBefore(21))], profile: known)
        XCTAssertEqual(result.contributions.first { $0.signal == "billing" }?.units, 1, "once: no half-life, so full recency")
        XCTAssertEqual(result.contributions.first { $0.signal == "quiet" }?.units, 1, "at_least: met once")
        XCTAssertEqual(result.contributions.first { $0.signal == "quiet" }?.points, -1.2)
        // -3 + 2 - 1.2 + 0 (size does not match) = -2.2.
        XCTAssertEqual(result.total, (100 * sigmoid(-2.2)).rounded(toPlaces: 1))
    }

    func testALogisticModelRefusesSubscoreWeightsAndNeedsItsParameters() {
        XCTAssertThrowsError(try config(yaml + "\nweights: { fit: 0.5, value: 0.5, intent: 0 }")) { error in
            let found = error as? ConfigError
            XCTAssertEqual(found?.key, "weights")
            XCTAssertEqual(found?.line, 12)
            XCTAssertTrue(found?.message.contains("remove weights") ?? false)
        }
        XCTAssertThrowsError(try config(yaml.replacingOccurrences(of: "intercept: -3, ", with: ""))) { error in
            XCTAssertEqual((error as? ConfigError)?.key, "scoring")
            XCTAssertTrue("\(error)".contains("intercept is required"))
        }
        XCTAssertThrowsError(try config(yaml.replacingOccurrences(of: "kind: logistic", with: "kind: logit"))) { error in
            XCTAssertEqual((error as? ConfigError)?.key, "scoring.kind")
        }
    }
}
