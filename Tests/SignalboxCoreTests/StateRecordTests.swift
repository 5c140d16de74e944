import Foundation
import XCTest
@testable import SignalboxCore

final class StateRecordTests: XCTestCase {
    private let model = CompiledModel(try! config("""
    signals:
      projects: { category: value, event: Project Created, half_life: 14d, window: 30d, points: 5 }
      rows: { category: value, event: Rows Synced, sum: rows, window: 7d, points: 1 }
      habit: { category: value, metric: active_days, window: 14d, points: 1 }
    \(simpleStages)
    """))

    /// A state with several users, days and signals, one of them never decayed.
    private func busyState() -> AccountState {
        var state = AccountState()
        for (user, age) in [("u1", 1.0), ("u2", 2.5), ("u1", 3.2), ("ü-3", 9.0), ("u2", 20.0)] {
            state.apply(user: user, at: daysBefore(age), hits: [SignalHit(signal: 0, amount: 1), SignalHit(signal: 1, amount: age * 1000)], model: model)
        }
        return state
    }

    func testBinaryRecordRoundTripsEveryField() throws {
        let state = busyState()
        let record = state.binaryRecord()
        XCTAssertEqual(record.first, 0xB1)
        XCTAssertEqual(try AccountState(record: Data(record)), state)
        XCTAssertEqual(try AccountState(record: Data(AccountState().binaryRecord())), AccountState())
        let json = try JSONEncoder().encode(state)
        XCTAssertLessThan(record.count, json.count * 2 / 3, "binary is well under the JSON")
    }

    func testJSONRecordsOfEarlierVersionsStillLoad() throws {
        let state = busyState()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        XCTAssertEqual(try AccountState(record: encoder.encode(state)), state)
    }

    /// A record as earlier versions wrote it, by hand: users' days and events in two maps.
    func testAJSONRecordWithUsersInTwoMapsLoads() throws {
        let json = #"""
        {"signals":{"projects":{"count":2,"amount":2,"decayed":{"amount":1.5,"asOf":1762560000},"firstAt":1762473600,
         "lastAt":1762560000,"days":[20400,1,1,1,20401,1,1,1]}},"activity":[20400,2,2,2,20401,3,3,3],
         "lastActiveDayByUser":{"u1":20401,"u2":20400},"eventsByUser":{"u1":4,"u2":1},
         "firstActiveAt":1762473600,"lastActiveAt":1762560000,"eventCount":5}
        """#
        let state = try AccountState(record: Data(json.utf8))
        XCTAssertEqual(state.users, ["u1": UserActivity(lastActiveDay: 20401, events: 4), "u2": UserActivity(lastActiveDay: 20400, events: 1)])
        XCTAssertEqual(state.eventCount, 5)
        XCTAssertEqual(state.signals["projects"]?.days.buckets.count, 2)
        XCTAssertNil(state.prunedOnDay)
        XCTAssertEqual(try AccountState(record: Data(state.binaryRecord())), state)
    }

    func testDamagedRecordsAreErrorsNotGarbage() throws {
        let record = busyState().binaryRecord()
        XCTAssertThrowsError(try AccountState(record: Data(record.dropLast(3)))) { error in
            XCTAssertTrue("\(error)".contains("cut short"), "\(error)")
        }
        XCTAssertThrowsError(try AccountState(record: Data(record + [0]))) { error in
            XCTAssertTrue("\(error)".contains("follow the end"), "\(error)")
        }
    }
}
