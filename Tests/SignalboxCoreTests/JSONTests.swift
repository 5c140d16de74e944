import XCTest
@testable import SignalboxCore

final class JSONTests: XCTestCase {
    func testParsesNestedDocumentAndRoundTrips() throws {
        let text = #"{"a":[1,-2.5,3e2,true,false,null],"b":{"c":"d\"e\\f\n\u00e9\ud83d\ude00"},"n":12345678901234567890}"#
        let value = try JSONParser.parse(text)
        XCTAssertEqual(value["a"]?.arrayValue?.count, 6)
        XCTAssertEqual(value["a"]?.arrayValue?[2], .number(300))
        XCTAssertEqual(value["b"]?["c"]?.stringValue, "d\"e\\f\né😀")
        XCTAssertEqual(try JSONParser.parse(value.serialized()), value)
    }

    func testSerializesPlainAndEscapedStrings() throws {
        let value = JSONValue.array(["plain ascii", "é😀 unicode", "quote \" slash \\ tab \t bell \u{07}"])
        XCTAssertEqual(value.serialized(), #"["plain ascii","é😀 unicode","quote \" slash \\ tab \t bell \u0007"]"#)
        XCTAssertEqual(try JSONParser.parse(value.serialized()), value)
    }

    func testAgreesWithFoundationOnNumbers() throws {
        for text in ["0", "-0.0", "1.5e-3", "123456789012", "9007199254740993", "0.1", "-17"] {
            let ours = try JSONParser.parse(text)
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as! NSNumber
            XCTAssertEqual(ours.doubleValue, foundation.doubleValue, text)
        }
    }

    func testErrorsGiveTheByteOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "empty input"),
            (#"{"a" 1}"#, 5, "expected ':' after object key"),
            ("[1,]", 3, "unexpected character ']'"),
            ("01", 0, "leading zeros are not allowed"),
            (#"{"a":1} x"#, 8, "unexpected data after the JSON value"),
            (#""abc"#, 4, "unterminated string"),
            (String(repeating: "[", count: 300), 256, "nesting deeper than 256"),
        ]
        for (text, offset, message) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text), text) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, offset, text)
                XCTAssertEqual((error as? JSONParseError)?.message, message, text)
            }
        }
    }

    /// Strings are scanned eight bytes at a time: an escape, a quote or a control character must be
    /// found at every position of a word, including the bytes after the last whole word, by both the
    /// scanning path (message members) and the building path.
    func testStringEndsAreFoundAtEveryPosition() throws {
        for length in 0..<20 {
            let prefix = String(repeating: "é", count: length % 3) + String(repeating: "a", count: length)
            let escaped = #"{"k":""# + prefix + #"\"z"}"#
            XCTAssertEqual(try JSONParser.parse(escaped)["k"]?.stringValue, prefix + "\"z", "escape after \(length)")
            let fields = try scanned(#"{"messageId":""# + prefix + #"\"z","type":"t"}"#)
            XCTAssertEqual(fields.messageId?.stringValue, prefix + "\"z", "scanned escape after \(length)")
            let control = #"{"k":""# + prefix + "\u{01}" + #""}"#
            XCTAssertThrowsError(try JSONParser.parse(control)) { error in
                XCTAssertEqual((error as? JSONParseError)?.message, "control character in string")
                XCTAssertEqual((error as? JSONParseError)?.offset, 6 + prefix.utf8.count, "control after \(length)")
            }
            XCTAssertThrowsError(try scanned(#"{"messageId":""# + prefix + "\u{1F}" + #""}"#), "scanned control after \(length)")
            XCTAssertThrowsError(try JSONParser.parse(#"{"k":""# + prefix)) { error in
                XCTAssertEqual((error as? JSONParseError)?.message, "unterminated string")
            }
            XCTAssertEqual(try JSONParser.parse(#"[""# + prefix + #"", ""]"#).arrayValue, [.string(prefix), .string("")])
        }
    }

    func testEveryMessageMemberNameIsRecognizedAndNoOther() {
        func key(_ name: String) -> MessageKey? { Array(name.utf8).withUnsafeBytes { MessageKey($0) } }
        for member in MessageKey.allCases { XCTAssertEqual(key("\(member)"), member) }
        for other in ["", "t", "types", "Type", "nam", "userid", "groupID", "messageid", "timestamps", "originalTimestampX", "eventx"] {
            XCTAssertNil(key(other), other)
        }
    }

    private func scanned(_ text: String) throws -> MessageFields {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { buffer in
            var parser = JSONParser(buffer)
            return try MessageFields.scan(&parser)
        }
    }

    func testNumericIdsReadAsStrings() {
        XCTAssertEqual(JSONValue.number(42).stringValue, "42")
        XCTAssertEqual(JSONValue.string("120").doubleValue, 120)
    }
}

final class TimestampTests: XCTestCase {
    func testLenientFormats() {
        let noon = Date(timeIntervalSince1970: 1_714_564_800) // 2024-05-01T12:00:00Z
        let cases: [(String, Date)] = [
            ("2024-05-01T12:00:00Z", noon),
            ("2024-05-01T12:00:00.000Z", noon),
            ("2024-05-01T12:00:00.123456+00:00", noon.addingTimeInterval(0.123456)),
            ("2024-05-01T17:30:00+0530", noon),
            ("2024-05-01T04:00:00-08:00", noon),
            ("2024-05-01 12:00:00", noon),
            ("2024-05-01T12:00:00", noon),
            ("2024-05-01", noon.addingTimeInterval(-12 * 3600)),
        ]
        for (text, expected) in cases {
            guard let parsed = Timestamp.parse(text) else { XCTFail("could not parse \(text)"); continue }
            XCTAssertEqual(parsed.timeIntervalSince1970, expected.timeIntervalSince1970, accuracy: 1e-6, text)
        }
    }

    func testRejectsImpossibleDates() {
        for text in ["2024-13-01", "2024-02-30", "2024-05-01T25:00:00Z", "yesterday", "2024-05-01T12:00:00Zjunk"] {
            XCTAssertNil(Timestamp.parse(text), text)
        }
    }

    func testEpochNumbersInSecondsOrMilliseconds() {
        XCTAssertEqual(Timestamp.parse(JSONValue.number(1_714_564_800)), Date(timeIntervalSince1970: 1_714_564_800))
        XCTAssertEqual(Timestamp.parse(JSONValue.number(1_714_564_800_000)), Date(timeIntervalSince1970: 1_714_564_800))
    }

    func testFormatRoundTrips() {
        let date = Date(timeIntervalSince1970: 1_714_564_800.25)
        XCTAssertEqual(Timestamp.format(date), "2024-05-01T12:00:00.250Z")
        XCTAssertEqual(Timestamp.parse(Timestamp.format(date)), date)
    }
}
