import Foundation

/// Scanning without building: walk an object's members, read only the values wanted and skip the
/// rest while still checking they are valid JSON. This is what lets the event decoder read a
/// Segment message without a dictionary per object.
extension JSONParser {
    /// A string value: the bytes themselves when it has no escapes, else the decoded text.
    enum ScannedString {
        case raw(Range<Int>)
        case decoded(String)
    }

    /// Calls `body` for each member of the object at the current position with `state` and the
    /// key's bytes; `body` must consume the member's value (read it or ``skipValue()``). The state is
    /// handed over in place: a closure that captured it instead would make the caller copy it out
    /// afterwards, one reference count per member it holds.
    mutating func scanObject<State>(
        into state: inout State, _ body: (inout JSONParser, inout State, UnsafeRawBufferPointer) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard isAt(UInt8(ascii: "{")) else { throw error("expected an object") }
        try enter()
        index += 1
        skipWhitespace()
        if isAt(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard isAt(UInt8(ascii: "\"")) else { throw error("expected a string key") }
            let key = try scanString()
            skipWhitespace()
            guard isAt(UInt8(ascii: ":")) else { throw error("expected ':' after object key") }
            index += 1
            skipWhitespace()
            switch key {
            case .raw(let range):
                try body(&self, &state, UnsafeRawBufferPointer(rebasing: bytes[range]))
            case .decoded(let text):
                var text = text
                var failure: JSONParseError?
                text.withUTF8 { utf8 in
                    do throws(JSONParseError) { try body(&self, &state, UnsafeRawBufferPointer(utf8)) } catch { failure = error }
                }
                if let failure { throw failure }
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw error("expected ',' or '}' in object")
        }
        depth -= 1
    }

    /// Calls `body` for each element of the array at the current position; `body` must consume it.
    mutating func scanArray(_ body: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        guard isAt(UInt8(ascii: "[")) else { throw error("expected an array") }
        try enter()
        index += 1
        skipWhitespace()
        if isAt(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            try body(&self)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw error("expected ',' or ']' in array")
        }
        depth -= 1
    }

    /// Checks and passes over the value at the current position.
    mutating func skipValue() throws(JSONParseError) {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var nothing: Void = ()
            try scanObject(into: &nothing) { (parser, _, _) throws(JSONParseError) in try parser.skipValue() }
        case UInt8(ascii: "["): try scanArray { (parser) throws(JSONParseError) in try parser.skipValue() }
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: _ = try parseValue()
        }
    }

    /// Reads the string at the current position (which must be a `"`), decoding only if it has escapes.
    mutating func scanString() throws(JSONParseError) -> ScannedString {
        let start = index + 1
        let end = endOfPlainText(from: start)
        guard end < bytes.count else {
            index = end
            throw error("unterminated string")
        }
        switch bytes[end] {
        case UInt8(ascii: "\""):
            index = end + 1
            return .raw(start..<end)
        case UInt8(ascii: "\\"):
            return .decoded(try parseString())
        default:
            index = end
            throw error("control character in string")
        }
    }

    /// The text of a scanned string.
    func text(of string: ScannedString) -> String {
        switch string {
        case .raw(let range): String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let text): text
        }
    }
}

extension Array where Element == UInt8 {
    /// Whether these bytes are exactly `key`, a member name as ``JSONParser/scanObject(into:_:)`` hands it over.
    func isSame(as key: UnsafeRawBufferPointer) -> Bool {
        count == key.count && (isEmpty || withUnsafeBytes { memcmp($0.baseAddress!, key.baseAddress!, count) == 0 })
    }
}
