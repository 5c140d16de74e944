/// A ``FieldTest`` ready to test many values: its expected texts lower-cased, and the fragments it
/// looks for held as bytes, once instead of for every value tested.
struct CompiledTest: Sendable {
    private enum Kind: Sendable {
        case between(Double?, Double?)
        case oneOf([String])
        case equals(String)
        case contains([[UInt8]])
        case exists
        case isTrue(Bool)
    }

    private let kind: Kind

    init(_ test: FieldTest) {
        switch test {
        case .between(let low, let high): kind = .between(low, high)
        case .oneOf(let options): kind = .oneOf(options.map { $0.lowercased() })
        case .equals(let expected): kind = .equals(expected.lowercased())
        case .contains(let fragments): kind = .contains(fragments.map { Array($0.lowercased().utf8) })
        case .exists: kind = .exists
        case .isTrue(let expected): kind = .isTrue(expected)
        }
    }

    /// Whether a JSON value passes the test; arrays pass when any element does.
    func holds(on value: JSONValue?) -> Bool {
        guard let value, !value.isNull else { return false }
        if let elements = value.arrayValue {
            if case .exists = kind { return !elements.isEmpty }
            return elements.contains { holds(on: $0) }
        }
        switch kind {
        case .exists:
            return value.stringValue.map { !$0.isEmpty } ?? true
        case .between(let low, let high):
            guard let number = value.doubleValue else { return false }
            return (low.map { number >= $0 } ?? true) && (high.map { number <= $0 } ?? true)
        case .oneOf(let options):
            guard let text = value.stringValue?.lowercased() else { return false }
            return options.contains(text)
        case .equals(let expected):
            return value.stringValue?.lowercased() == expected
        case .contains(let fragments):
            guard var text = value.stringValue?.lowercased() else { return false }
            return text.withUTF8 { haystack in fragments.contains { CompiledTest.occurs($0, in: haystack) } }
        case .isTrue(let expected):
            if let flag = value.boolValue { return flag == expected }
            return value.stringValue?.lowercased() == String(expected)
        }
    }

    /// Whether `needle` occurs in `haystack`, compared byte by byte: the values fit rules read are
    /// short, and Foundation's `contains` (through NSString) or a general-purpose searcher cost
    /// more to set up than the search itself.
    private static func occurs(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            var matched = 1
            while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
        }
        return false
    }
}

extension FieldTest {
    /// Whether a JSON value passes the test; arrays pass when any element does.
    func holds(on value: JSONValue?) -> Bool {
        CompiledTest(self).holds(on: value)
    }
}

/// An event signal's property filter, ready to test every event.
struct CompiledFilter: Sendable {
    let field: String
    let test: CompiledTest

    init(_ filter: PropertyFilter) {
        field = filter.field
        test = CompiledTest(filter.test)
    }

    /// Whether an event's properties pass this filter.
    func holds(on properties: [String: JSONValue]) -> Bool {
        test.holds(on: properties[field])
    }
}
