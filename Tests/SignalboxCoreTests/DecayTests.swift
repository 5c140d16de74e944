import XCTest
@testable import SignalboxCore

final class DecayTests: XCTestCase {
    func testHalfLifeHalvesContributionAfterSevenDays() {
        var sum = DecayedSum()
        sum.add(10, at: daysBefore(7), halfLife: 7 * day)
        XCTAssertEqual(sum.value(at: referenceDate, halfLife: 7 * day), 5, accuracy: 1e-9)
    }

    func testDecayedSumMatchesClosedFormForManyEvents() {
        var sum = DecayedSum()
        let halfLife = 3.5 * day
        var expected = 0.0
        for index in 0..<50 {
            let age = Double(index) * 0.37 * day
            sum.add(Double(index % 4 + 1), at: daysBefore(age / day), halfLife: halfLife)
            expected += Double(index % 4 + 1) * pow(2, -age / halfLife)
        }
        XCTAssertEqual(sum.value(at: referenceDate, halfLife: halfLife), expected, accuracy: 1e-9)
    }

    func testArrivalOrderDoesNotChangeTheSum() {
        let times = [3.0, 0.5, 9.0, 1.25, 6.0].map { daysBefore($0) }
        var forward = DecayedSum()
        var backward = DecayedSum()
        for time in times { forward.add(1, at: time, halfLife: 7 * day) }
        for time in times.reversed() { backward.add(1, at: time, halfLife: 7 * day) }
        XCTAssertEqual(forward.value(at: referenceDate, halfLife: 7 * day), backward.value(at: referenceDate, halfLife: 7 * day), accuracy: 1e-12)
    }

    func testWindowedDecayUsesExactEventTimes() {
        var buckets = DayBuckets()
        let halfLife = 2 * day
        let time = daysBefore(3).addingTimeInterval(5 * 3600)
        buckets.add(amount: 4, at: time, halfLife: halfLife, horizonDays: 14)
        let expected = 4 * pow(2, -referenceDate.timeIntervalSince(time) / halfLife)
        XCTAssertEqual(buckets.decayedAmount(asOf: referenceDate, windowDays: 14, halfLife: halfLife), expected, accuracy: 1e-9)
    }
}
