import Foundation

/// Lenient ISO-8601 timestamps, as analytics clients really send them.
///
/// Accepts `Z`, `+00:00`, `+0530`, any number of fractional digits, a space instead of `T`,
/// a date alone (midnight UTC), and a naive time (treated as UTC).
public enum Timestamp {
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The same, from UTF-8 bytes; trailing spaces are ignored.
    static func parse(utf8: UnsafeRawBufferPointer) -> Date? {
        var count = utf8.count
        while count > 0, utf8[count - 1] == 0x20 { count -= 1 }
        return parse(UnsafeBufferPointer(rebasing: utf8.assumingMemoryBound(to: UInt8.self)[..<count]))
    }

    /// Strings as above; numbers as Unix seconds, or milliseconds when larger than 1e11.
    public static func parse(_ value: JSONValue) -> Date? {
        switch value {
        case .string(let text): return parse(text)
        case .number(let number): return Date(timeIntervalSince1970: number > 1e11 ? number / 1000 : number)
        default: return nil
        }
    }

    /// `2024-05-01`: the UTC calendar day, as reports show it.
    public static func formatDay(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// `2024-05-01T12:00:00.000Z`.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = Int64((Double(milliseconds) / 1000).rounded(.down))
        let days = Int64((Double(seconds) / 86_400).rounded(.down))
        let (year, month, day) = civil(fromDays: days)
        let secondOfDay = seconds - days * 86_400
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                      year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60, milliseconds - seconds * 1000)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.number(4), cursor.take("-"), let month = cursor.number(2), cursor.take("-"), let day = cursor.number(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = Double(days(year: year, month: month, day: day)) * 86_400
        guard !cursor.isAtEnd else { return Date(timeIntervalSince1970: seconds) }
        guard cursor.take("T") || cursor.take("t") || cursor.take(" ") else { return nil }
        guard let hour = cursor.number(2), cursor.take(":"), let minute = cursor.number(2), hour < 24, minute < 60 else { return nil }
        var second = 0
        if cursor.take(":") {
            guard let value = cursor.number(2), value < 61 else { return nil }
            second = value
        }
        seconds += Double(hour * 3600 + minute * 60 + second)
        if cursor.take(".") || cursor.take(",") {
            guard let fraction = cursor.fraction() else { return nil }
            seconds += fraction
        }
        guard !cursor.isAtEnd else { return Date(timeIntervalSince1970: seconds) }
        if cursor.take("Z") || cursor.take("z") {
            return cursor.isAtEnd ? Date(timeIntervalSince1970: seconds) : nil
        }
        let sign: Double
        if cursor.take("+") { sign = 1 } else if cursor.take("-") { sign = -1 } else { return nil }
        guard let offsetHours = cursor.number(2), offsetHours < 24 else { return nil }
        _ = cursor.take(":")
        let offsetMinutes = cursor.isAtEnd ? 0 : cursor.number(2)
        guard let offsetMinutes, offsetMinutes < 60, cursor.isAtEnd else { return nil }
        return Date(timeIntervalSince1970: seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60))
    }

    /// A read position in a timestamp's bytes.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index >= bytes.count }

        /// The next `count` bytes as a decimal number, or nil when they are not all digits.
        mutating func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                index += 1
            }
            return value
        }

        /// Steps over `character` when it comes next.
        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// The digits after a decimal point as a fraction of a second; nil when there are none.
        mutating func fraction() -> Double? {
            var fraction = 0.0
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            return index > start ? fraction : nil
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number (Howard Hinnant's civil_from_days).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
