import Foundation

/// When a rep works: weekdays and a daily span in their own time zone. SLA clocks run only inside it.
///
/// ```swift
/// let hours = WorkingHours(timeZone: "Europe/Berlin", start: 9 * 60, end: 17 * 60)
/// hours.adding(4 * 3_600, to: fridayAt4pm)   // Monday 12:00 Berlin time
/// ```
public struct WorkingHours: Sendable, Equatable, Codable {
    /// IANA time zone identifier (`America/New_York`).
    public var timeZone: String
    /// Working weekdays, 1 = Sunday … 7 = Saturday (as `Calendar` numbers them).
    public var weekdays: Set<Int>
    /// Minutes after local midnight the working day starts and ends.
    public var start: Int
    public var end: Int

    public init(timeZone: String = "UTC", weekdays: Set<Int> = [2, 3, 4, 5, 6], start: Int = 9 * 60, end: Int = 17 * 60) {
        self.timeZone = timeZone
        self.weekdays = weekdays
        self.start = start
        self.end = end
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }

    /// Whether `time` falls inside working hours.
    public func isWorking(at time: Date) -> Bool {
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: time)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return weekdays.contains(parts.weekday ?? 0) && minute >= start && minute < end
    }

    /// The local calendar day of `time`, `yyyy-MM-dd`: daily capacity and days off count in it.
    public func day(of time: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: time)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// When an SLA started at `time` falls due. Whole days of the SLA are working days and the rest
    /// working hours, so `2d` is two working days and `4h` four working hours.
    public func due(sla: TimeInterval, from time: Date) -> Date {
        let days = (sla / 86_400).rounded(.down)
        let workingDay = TimeInterval(max(end - start, 0) * 60)
        return adding(days * workingDay + (sla - days * 86_400), to: time)
    }

    /// The moment `duration` of working time has passed after `time`.
    public func adding(_ duration: TimeInterval, to time: Date) -> Date {
        guard !weekdays.isEmpty, end > start else { return time.addingTimeInterval(duration) }
        let calendar = calendar
        var remaining = duration
        var cursor = time
        // Walk working spans day by day; a week holds at least one, so this ends.
        while true {
            let midnight = calendar.startOfDay(for: cursor)
            let weekday = calendar.component(.weekday, from: midnight)
            if weekdays.contains(weekday),
               let open = calendar.date(byAdding: .minute, value: start, to: midnight),
               let close = calendar.date(byAdding: .minute, value: end, to: midnight), cursor < close {
                let from = max(cursor, open)
                let available = close.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: midnight) else { return cursor.addingTimeInterval(remaining) }
            cursor = next
        }
    }
}
