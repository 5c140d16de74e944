import Foundation

/// How an analysis report is printed: aligned text for a terminal, or JSON for scripts.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, json
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
