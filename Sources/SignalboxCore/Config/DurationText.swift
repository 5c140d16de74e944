import Foundation

/// Durations as people write them in the config and on the command line: `30m`, `12h`, `14d`,
/// `2w`, or a bare number of days.
public enum DurationText {
    /// Seconds, or nil when the text is not a positive duration.
    public static func seconds(_ text: String) -> TimeInterval? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Double] = ["m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        let unit = text.last.flatMap { units[$0] }
        let digits = unit == nil ? text : String(text.dropLast())
        guard let amount = Double(digits), amount > 0 else { return nil }
        return amount * (unit ?? 86_400)
    }

    /// The shortest exact text for a duration: `30d`, `12h` or `90m`.
    public static func format(_ seconds: TimeInterval) -> String {
        if seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(seconds / 86_400))d" }
        if seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return "\(Int(seconds / 3_600))h" }
        return "\(Int((seconds / 60).rounded()))m"
    }
}
