import XCTest
@testable import SignalboxCore

final class EventDecoderTests: XCTestCase {
    private func decode(_ text: String) -> [Result<Event, EventRejection>] {
        EventDecoder().decode(line: Array(text.utf8))
    }

    func testTrackWithContextGroupId() throws {
        let event = try decode(#"{"type":"track","event":"Report Created","userId":"u1","anonymousId":null,"messageId":"m1","timestamp":"2024-05-01T12:00:00.000+00:00","properties":{"report_type":"funnel"},"context":{"groupId":"acct_42"}}"#)[0].get()
        XCTAssertEqual(event.name, "Report Created")
        XCTAssertNil(event.anonymousId)
        XCTAssertEqual(event.groupId, "acct_42")
        XCTAssertEqual(event.properties["report_type"], "funnel")
        XCTAssertEqual(event.timestamp, Timestamp.parse("2024-05-01T12:00:00Z"))
    }

    func testClockSkewIsCorrectedWithSentAtAndReceivedAt() throws {
        let event = try decode(#"{"type":"track","event":"A","userId":"u1","messageId":"m1","originalTimestamp":"2024-05-01T15:00:00Z","sentAt":"2024-05-01T15:00:10Z","receivedAt":"2024-05-01T12:00:10Z"}"#)[0].get()
        XCTAssertEqual(event.timestamp, Timestamp.parse("2024-05-01T12:00:00Z"))
    }

    func testBatchSentAtAppliesToEveryMessage() throws {
        let results = EventDecoder().decode(
            line: Array(#"{"batch":[{"type":"track","event":"A","userId":"u1","messageId":"m1","timestamp":"2024-05-01T09:00:00Z"},{"type":"bogus","userId":"u1"}],"sentAt":"2024-05-01T09:00:05Z"}"#.utf8),
            fallbackReceivedAt: Timestamp.parse("2024-05-01T10:00:05Z")
        )
        XCTAssertEqual(try results[0].get().timestamp, Timestamp.parse("2024-05-01T10:00:00Z"))
        guard case .failure(let rejection) = results[1] else { return XCTFail("the bogus message must be rejected") }
        XCTAssertEqual(rejection.code, .unknownType)
        XCTAssertEqual(rejection.message, "$.batch[1].type \"bogus\" is not one of track, identify, group, page, screen, alias")
    }

    func testTypesAreReadInAnyLetterCase() throws {
        for (sent, type) in [("track", EventType.track), ("Track", .track), ("IDENTIFY", .identify), ("group", .group), ("Page", .page), ("screen", .screen), ("alias", .alias)] {
            let line = #"{"type":""# + sent + #"","event":"A","name":"B","userId":"u1","groupId":"g1","previousId":"p1","messageId":"m1","timestamp":"2024-05-01T09:00:00Z"}"#
            XCTAssertEqual(try EventDecoder().decode(line: Array(line.utf8))[0].get().type, type, sent)
        }
    }

    func testRejectionsNameTheProblemAndPath() {
        let cases: [(String, EventRejection.Code, String)] = [
            ("{not json", .invalidJSON, "invalid JSON at byte 1: expected a string key"),
            (#"[1]"#, .notAnObject, "$ must be a JSON object"),
            (#"{"userId":"u"}"#, .missingType, "$.type is required"),
            (#"{"type":"track","event":"A","timestamp":"2024-05-01"}"#, .missingIdentity, "$ needs userId or anonymousId"),
            (#"{"type":"track","userId":"u","timestamp":"2024-05-01"}"#, .missingEventName, "$.event is required on a track call"),
            (#"{"type":"group","userId":"u","timestamp":"2024-05-01"}"#, .missingGroupId, "$.groupId is required on a group call"),
            (#"{"type":"track","event":"A","userId":"u","timestamp":"yesterday"}"#, .invalidTimestamp, "$.timestamp \"yesterday\" is not a timestamp"),
            (#"{"type":"track","event":"A","userId":"u"}"#, .invalidTimestamp, "$ has no timestamp, originalTimestamp or receivedAt"),
        ]
        for (line, code, message) in cases {
            guard case .failure(let rejection) = decode(line)[0] else { XCTFail(line); continue }
            XCTAssertEqual(rejection.code, code, line)
            XCTAssertEqual(rejection.message, message, line)
        }
    }

    func testMissingMessageIdGetsAStableDerivedId() throws {
        let line = #"{"type":"track","event":"A","userId":"u","timestamp":"2024-05-01T00:00:00Z"}"#
        XCTAssertEqual(try decode(line)[0].get().messageId, try decode(line)[0].get().messageId)
        XCTAssertTrue(try decode(line)[0].get().messageId.hasPrefix("derived-"))
    }

    func testMessageIdsReadTheSameInPlaceAndAsText() throws {
        let line = #"{"batch":[{"type":"track","event":"A","userId":"u","messageId":"m-1","timestamp":"2024-05-01"},"#
            + #"{"type":"track","event":"A","userId":"u","messageId":"m\u002d2","timestamp":"2024-05-01"},"#
            + #"{"type":"track","event":"A","userId":"u","messageId":"é-3","timestamp":"2024-05-01"},"#
            + #"{"type":"track","event":"A","userId":"u","messageId":4,"timestamp":"2024-05-01"}]}"#
        let events = try decode(line).map { try $0.get() }
        XCTAssertEqual(events.map(\.messageId), ["m-1", "m-2", "é-3", "4"])
        XCTAssertEqual(events.map { $0.withMessageIdUTF8 { String(decoding: $0, as: UTF8.self) } }, ["m-1", "m-2", "é-3", "4"])
        let built = Event(messageId: "m-1", type: .track, userId: "u", name: "A", timestamp: events[0].timestamp)
        var decoded = events[0]
        decoded.payload = nil
        XCTAssertEqual(decoded, built, "an id read from the payload equals the same id as text")
        XCTAssertEqual(decoded.messageId, "m-1", "a new payload keeps the id it was decoded with")
        XCTAssertNotEqual(events[1], events[0])
    }

    func testUnknownMembersAreSkippedButMustStillBeValidJSON() throws {
        let event = try decode(#"{"type":"track","event":"A","userId":"u","timestamp":"2024-05-01T00:00:00Z","context":{"library":{"name":"x","tags":[1,2.5e3,true,null,{"a":"\"q\""}]},"groupId":"ws"},"extra":"\u00e9"}"#)[0].get()
        XCTAssertEqual(event.groupId, "ws")
        guard case .failure(let rejection) = decode(#"{"type":"track","event":"A","userId":"u","timestamp":"2024-05-01","context":{"library":{"name":tru}}}"#)[0] else {
            return XCTFail("invalid JSON inside a skipped member must be rejected")
        }
        XCTAssertEqual(rejection.code, .invalidJSON)
    }

    func testEscapedMemberNamesAreRead() throws {
        let event = try decode(#"{"\u0074ype":"track","event":"A","user\u0049d":"u","timestamp":"2024-05-01"}"#)[0].get()
        XCTAssertEqual(event.userId, "u")
    }

    func testPayloadIsTheMessageAsItArrived() throws {
        let line = #"{"batch":[ {"type":"track","event":"A","userId":"u","timestamp":"2024-05-01"} ],"sentAt":"2024-05-01T00:00:00Z"}"#
        let event = try decode(line)[0].get()
        XCTAssertEqual(event.payload.map { String(decoding: $0, as: UTF8.self) }, #"{"type":"track","event":"A","userId":"u","timestamp":"2024-05-01"}"#)
    }

    func testStoredMessagesDecodeWithTheirCorrectedTime() throws {
        let corrected = Timestamp.parse("2024-05-01T10:00:00Z")!
        let original = try decode(#"{"type":"page","name":"Pricing","anonymousId":"a","messageId":"m","originalTimestamp":"2024-05-01T09:00:00Z","sentAt":"2024-05-01T09:00:05Z","receivedAt":"2024-05-01T10:00:05Z"}"#)[0].get()
        XCTAssertEqual(original.timestamp, corrected)
        let stored = EventDecoder().decode(stored: original.payload!, timestamp: original.timestamp)
        XCTAssertEqual(try stored.get(), original)
    }

    func testEventsBuiltInCodeRoundTripThroughSegmentJSON() throws {
        let time = Date(timeIntervalSince1970: 1_714_557_600.25)
        let events = [
            Event(messageId: "1", type: .track, userId: "u", groupId: "ws", name: "Report Created", properties: ["n": 2, "tags": .array(["a"])], timestamp: time),
            Event(messageId: "2", type: .group, userId: "u", groupId: "ws", traits: ["name": "Acme"], timestamp: time),
            Event(messageId: "3", type: .alias, userId: "u", previousId: "anon", timestamp: time),
            Event(messageId: "4", type: .page, anonymousId: "anon", name: "Pricing", timestamp: time),
        ]
        for event in events {
            let json = Array(event.segmentJSON().utf8)
            XCTAssertEqual(try EventDecoder().decode(stored: json[...], timestamp: time).get(), event)
        }
    }

    func testAPropertySelectionBuildsOnlyTheNamedPropertiesButChecksTheRest() throws {
        let decoder = EventDecoder(properties: .only(["plan", "name"]))
        let line = #"{"type":"page","userId":"u","timestamp":"2024-05-01","properties":{"url":"https://x.io/p","plan":"free","name":"Pricing","plan":"team","nested":{"a":[1,{"b":null}]}}}"#
        let event = try decoder.decode(line: Array(line.utf8))[0].get()
        XCTAssertEqual(event.properties, ["plan": "team", "name": "Pricing"], "the last of a repeated key wins, as in a full parse")
        XCTAssertEqual(try decoder.unshared().decode(line: Array(line.utf8))[0].get(), event, "a decoding thread's own copy selects the same")
        XCTAssertEqual(event.name, "Pricing")
        XCTAssertEqual(event.payload.map { String(decoding: $0, as: UTF8.self) }, line, "storage still gets every byte")
        XCTAssertEqual(try EventDecoder().decode(line: Array(line.utf8))[0].get().properties.count, 4)
        guard case .failure(let rejection) = decoder.decode(line: Array(#"{"type":"track","event":"A","userId":"u","timestamp":"2024-05-01","properties":{"url":tru}}"#.utf8))[0] else {
            return XCTFail("invalid JSON in a property that is not built must still be rejected")
        }
        XCTAssertEqual(rejection.code, .invalidJSON)
    }

    func testTruncatedMembersAreRejectedNotReadPastTheEnd() {
        for line in [#"{"type":"track","context":"#, #"{"type":"track","timestamp":"#, #"{"type":"track","properties":"#, #"{"batch":["#] {
            for decoder in [EventDecoder(), EventDecoder(properties: .only(["plan"]))] {
                guard case .failure(let rejection) = decoder.decode(line: Array(line.utf8)).first else { return XCTFail("\(line) must be rejected") }
                XCTAssertEqual(rejection.code, .invalidJSON, line)
            }
        }
    }
}
