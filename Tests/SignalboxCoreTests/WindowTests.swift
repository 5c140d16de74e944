import XCTest
@testable import SignalboxCore

final class WindowTests: XCTestCase {
    /// As of a moment on day D, a 14-day window is days D-13 … D.
    func testFourteenDayWindowIncludesThirteenDaysBackAndExcludesFourteen() {
        var buckets = DayBuckets()
        let asOf = referenceDate.addingTimeInterval(10 * 3600)
        buckets.add(amount: 1, at: daysBefore(13, referenceDate).addingTimeInterval(1), halfLife: nil, horizonDays: 30)
        buckets.add(amount: 1, at: daysBefore(14, referenceDate).addingTimeInterval(86_399), halfLife: nil, horizonDays: 30)
        XCTAssertEqual(buckets.count(asOf: asOf, windowDays: 14), 1)
        XCTAssertEqual(buckets.count(asOf: asOf, windowDays: 15), 2)
    }

    func testEventsAfterTheAsOfDayAreOutsideTheWindow() {
        var buckets = DayBuckets()
        buckets.add(amount: 1, at: referenceDate.addingTimeInterval(day + 60), halfLife: nil, horizonDays: 30)
        XCTAssertEqual(buckets.count(asOf: referenceDate, windowDays: 14), 0)
    }

    func testBucketsAreBoundedToTheHorizon() {
        var buckets = DayBuckets()
        for offset in 0..<100 { buckets.add(amount: 1, at: daysBefore(Double(offset)), halfLife: nil, horizonDays: 14) }
        XCTAssertEqual(buckets.buckets.count, 14)
    }

    func testActiveDaysAndUsersCountDistinctDaysAndPeople() throws {
        let model = CompiledModel(try config("""
        signals:
          habit: { category: value, metric: active_days, window: 7d, points: 1 }
          breadth: { category: value, metric: active_users, window: 7d, points: 1 }
        \(simpleStages)
        """))
        var state = AccountState()
        for (user, days) in [("a", [1.0, 1.2, 2.0]), ("b", [2.5]), ("c", [8.0])] {
            for age in days { state.apply(user: user, at: daysBefore(age).addingTimeInterval(-3600), hits: [], model: model) }
        }
        let asOf = referenceDate.addingTimeInterval(-60)
        // a: Oct 30 twice and Oct 29; b: Oct 29; c: Oct 23, outside the window of Oct 25 … Oct 31.
        XCTAssertEqual(state.activity.activeDays(asOf: asOf, windowDays: 7), 2)
        XCTAssertEqual(state.activeUsers(asOf: asOf, windowDays: 7), 2)
    }

    func testBucketsStoreAsFourNumbersPerDayAndRoundTrip() throws {
        var buckets = DayBuckets()
        buckets.add(amount: 3, at: referenceDate, halfLife: 7 * day, horizonDays: 30)
        buckets.add(amount: 1, at: daysBefore(2, referenceDate), halfLife: 7 * day, horizonDays: 30)
        let json = try JSONEncoder().encode(buckets)
        XCTAssertEqual(try JSONParser.parse(Array(json)).arrayValue?.count, 8)
        XCTAssertEqual(try JSONDecoder().decode(DayBuckets.self, from: json), buckets)
        XCTAssertThrowsError(try JSONDecoder().decode(DayBuckets.self, from: Data("[5,1,1,1,4,1,1,1]".utf8)), "days must ascend")
        XCTAssertThrowsError(try JSONDecoder().decode(DayBuckets.self, from: Data("[5,1,1]".utf8)), "four numbers per day")
    }
}
