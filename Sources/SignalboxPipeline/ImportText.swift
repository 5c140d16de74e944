import Foundation
import SignalboxCore

/// The human summary of an import, shared by `import` and `demo`.
public struct ImportText {
    public let summary: ImportSummary
    public let seconds: Double

    public init(summary: ImportSummary, seconds: Double) {
        self.summary = summary
        self.seconds = seconds
    }

    public var text: String {
        var lines = [
            "Read        \(summary.lines) lines, \(summary.messages) messages",
            "Imported    \(summary.imported)",
            "Duplicates  \(summary.duplicates)",
            "Rejected    \(summary.rejectedTotal)",
        ]
        for (code, count) in summary.rejected.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(code): \(count)")
        }
        if let path = summary.rejectsPath { lines.append("  details in \(path)") }
        lines.append("Accounts    \(summary.accounts)")
        if let asOf = summary.stagesAsOf {
            let counts = Stage.allCases.reversed().map { "\($0.rawValue) \(summary.stages[$0.rawValue] ?? 0)" }
            lines.append("Stages      \(counts.joined(separator: ", ")) (as of \(Timestamp.format(asOf)))")
        }
        let rate = seconds > 0 ? Int(Double(summary.messages) / seconds) : 0
        lines.append(String(format: "Took        %.1f s (%d messages/s)", seconds, rate))
        return lines.joined(separator: "\n")
    }
}
