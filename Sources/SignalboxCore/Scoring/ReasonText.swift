import Foundation

/// Writes plain-language reasons: a signal's template or a sensible default, and the numbers in them.
public enum ReasonText {
    /// The reason for `signal` from its compiled `template` (its own or ``defaultTemplate(_:)``).
    static func render(_ signal: SignalDefinition, template: ReasonTemplate, measured: Measurement) -> String {
        let window = signal.window.map { describe(days: CompiledModel.days($0)) } ?? "all time"
        let days = measured.daysSinceLast.map { Int($0.rounded(.down)) }
        let text = template.filled { placeholder in
            switch placeholder {
            case "count": format(measured.raw)
            case "value": format(measured.quantity)
            case "window": window
            case "days": days.map(describe(daysAgo:)) ?? ""
            default: nil
            }
        }
        return singularized(text)
    }

    /// `template` with each `{name}` replaced by `value(name)`; unknown names stay as written.
    static func filled(_ template: String, _ value: (String) -> String?) -> String {
        ReasonTemplate(template).filled(value)
    }

    /// Templates are written for many ("Viewed pricing {count} times"); a count of one reads
    /// "Viewed pricing 1 time", "1 person active".
    static func singularized(_ text: String) -> String {
        // Most reasons have no count of one; they are kept as they are, not split into words.
        guard hasWordOne(text) else { return text }
        let bytes = text.utf8
        var result = ""
        result.reserveCapacity(bytes.count)
        var copied = bytes.startIndex
        var wordStart = bytes.startIndex
        var afterOne = false
        var index = bytes.startIndex
        while true {
            let atEnd = index == bytes.endIndex
            if atEnd || bytes[index] == UInt8(ascii: " ") {
                let word = text[wordStart..<index]
                if afterOne, let singular = singular(word) {
                    result += text[copied..<wordStart]
                    result += singular
                    copied = index
                }
                afterOne = word == "1"
                if atEnd { break }
                wordStart = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        result += text[copied...]
        return result
    }

    /// "person" for "people", "time" for "times"; nil when the word stays.
    private static func singular(_ word: Substring) -> Substring? {
        if word == "people" { return "person" }
        // Byte by byte: a last byte `s` is a last character `s`.
        let bytes = word.utf8
        guard bytes.last == UInt8(ascii: "s"), bytes.dropLast().last != UInt8(ascii: "s") else { return nil }
        let long = bytes.allSatisfy { $0 < 0x80 } ? bytes.count > 2 : word.count > 2
        return long ? word.dropLast() : nil
    }

    /// Whether "1" stands alone as a word of `text`.
    private static func hasWordOne(_ text: String) -> Bool {
        var previous = UInt8(ascii: " ")
        var candidate = false
        for byte in text.utf8 {
            if candidate, byte == UInt8(ascii: " ") { return true }
            candidate = byte == UInt8(ascii: "1") && previous == UInt8(ascii: " ")
            previous = byte
        }
        return false
    }

    /// The template of a signal without its own `reason`.
    static func defaultTemplate(_ signal: SignalDefinition) -> String {
        switch signal.kind {
        case .event:
            if signal.once { return "\(signal.label) {days}" }
            return signal.window == nil ? "\(signal.label): {count} times" : "\(signal.label): {count} in {window}"
        case .metric(.activeDays): return "Active on {count} of the last {window}"
        case .metric(.activeUsers): return "{count} active users in {window}"
        case .metric(.eventCount): return "{count} events in {window}"
        case .metric(.daysSinceLastActive): return "No activity for {count} days"
        case .compound: return "\(signal.label) within {window}"
        }
    }

    /// "1 day", "14 days".
    public static func describe(days: Int) -> String { days == 1 ? "1 day" : "\(days) days" }

    /// "today", "yesterday", "3 days ago".
    public static func describe(daysAgo: Int) -> String {
        switch daysAgo {
        case 0: "today"
        case 1: "yesterday"
        default: "\(daysAgo) days ago"
        }
    }

    /// Whole numbers without decimals, others with one.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return oneDecimal(value)
    }

    /// `value` as `String(format: "%.1f", value)` writes it: the exact binary value rounded to one
    /// decimal, a tie to the even digit. Foundation's formatter costs microseconds a call on Linux,
    /// and scores, gates and CSV cells format several numbers for every account.
    static func oneDecimal(_ value: Double) -> String {
        let magnitude = abs(value)
        // From 0.5 up, `magnitude · 10 − tenths` below is exact in a Double; smaller fractions,
        // huge values and non-finite ones are rare and left to the formatter.
        guard magnitude >= 0.5, magnitude < 1e14 else { return String(format: "%.1f", value) }
        var tenths = (magnitude * 10).rounded(.down)
        let remainder = (-tenths).addingProduct(magnitude, 10)
        if remainder > 0.5 || (remainder == 0.5 && tenths.truncatingRemainder(dividingBy: 2) == 1) { tenths += 1 }
        let whole = Int(tenths) / 10
        let digit = Int(tenths) % 10
        return (value < 0 ? "-" : "") + String(whole) + "." + String(digit)
    }
}
