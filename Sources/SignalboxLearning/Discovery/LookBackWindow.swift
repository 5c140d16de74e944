import Foundation

/// The stretch of an account's history a discovery reads: `[start, end)`, where `end` is the
/// conversion time for a converter and a matched time for a non-converter. Nothing at or after
/// `end` is ever read.
public struct LookBackWindow: Sendable, Equatable {
    public var accountId: String
    public var start: Date
    /// Exclusive: an event exactly at the conversion time is already part of converting.
    public var end: Date
    public var converted: Bool

    public init(accountId: String, start: Date, end: Date, converted: Bool) {
        self.accountId = accountId
        self.start = start
        self.end = end
        self.converted = converted
    }

    /// Whether an event at `time` falls inside the window.
    public func contains(_ time: Date) -> Bool {
        time >= start && time < end
    }
}

/// The matching rule that makes converters and non-converters comparable: both look back the same
/// length of time from the same set of end times.
///
/// A converter's window ends at its first conversion. Non-converters, ordered by account id, take
/// the converters' conversion times in time order in turn (the first non-converter the earliest
/// conversion time, the next the following one, wrapping around), so the two groups' windows end
/// at the same moments in the same proportions, and a season or a product change weighs the same
/// on both sides.
///
/// ```swift
/// let windows = MatchedWindows.make(conversions: ["ws1": convertedAt], nonConverters: ["ws2", "ws3"], lookBack: 30 * 86_400)
/// ```
public enum MatchedWindows {
    public static func make(conversions: [String: Date], nonConverters: [String], lookBack: TimeInterval) -> [LookBackWindow] {
        let converters = conversions.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        var windows = converters.map { account, end in
            LookBackWindow(accountId: account, start: end.addingTimeInterval(-lookBack), end: end, converted: true)
        }
        guard !converters.isEmpty else { return windows }
        for (index, account) in Set(nonConverters).subtracting(conversions.keys).sorted().enumerated() {
            let end = converters[index % converters.count].value
            windows.append(LookBackWindow(accountId: account, start: end.addingTimeInterval(-lookBack), end: end, converted: false))
        }
        return windows
    }
}
