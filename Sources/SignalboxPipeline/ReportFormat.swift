import Foundation

/// How an analysis report is printed: aligned text for a terminal, or JSON for scripts.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, json
}

/// Numbers as analysis reports print them.
enum ReportText {
    /// `12.5%` for 0.125; `-` when there is no value.
    static func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }
}

/// Reports as JSON: snake_case keys in a stable order, ISO 8601 times.
public enum ReportJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
