import Foundation

/// A parsed JSON document: the shape Segment-format events arrive in.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// Strings as they are; numbers as text, since ids such as `userId` are sometimes numeric.
    public var stringValue: String? {
        switch self {
        case .string(let text): return text
        case .number(let number): return JSONValue.format(number)
        default: return nil
        }
    }

    /// Numbers, and strings that hold a number (`"120"`).
    public var doubleValue: Double? {
        switch self {
        case .number(let number): return number
        case .string(let text): return Double(text.trimmingBlanks())
        default: return nil
        }
    }

    public var boolValue: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    public var objectValue: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    public var isNull: Bool { self == .null }

    /// Compact JSON with sorted keys, so equal values always serialize the same way.
    public func serialized() -> String {
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += number.isFinite ? JSONValue.format(number) : "null"
        case .string(let text): JSONValue.writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            JSONValue.writeObject(members.sorted { $0.key < $1.key }, to: &output) { value, output in value.write(to: &output) }
        }
    }

    /// Writes an object with `members` in the order given, each one's value written by `writeValue`.
    static func writeObject<Value>(_ members: [(key: String, value: Value)], to output: inout String, value writeValue: (Value, inout String) -> Void) {
        output += "{"
        for (index, member) in members.enumerated() {
            if index > 0 { output += "," }
            writeString(member.key, to: &output)
            output += ":"
            writeValue(member.value, &output)
        }
        output += "}"
    }

    /// Integral values without a trailing `.0`.
    static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
        return String(number)
    }

    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        // Most strings need no escaping: append them whole instead of scalar by scalar. The check
        // reads the text's bytes in place, not through the UTF-8 view's iterator.
        var scanned = text
        guard scanned.withUTF8({ $0.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") } }) else {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                output += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first: they are most stored values (traits), and every failed attempt costs a thrown error.
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
