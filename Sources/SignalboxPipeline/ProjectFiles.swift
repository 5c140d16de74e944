import Foundation
import SignalboxCore
import SignalboxStore

/// The files a command works on: the config, the store, and firmographics.
public enum ProjectFiles {
    /// Reads and validates a config file.
    public static func loadConfig(path: String) throws -> ModelConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FileError(file: path, line: nil, message: "not found; create one with `signalbox init --preset weighted`")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try ConfigLoader.load(yaml: text, file: path)
    }

    /// The store path: `--db`, else the config's `database`, else `signalbox.sqlite`.
    /// Why there is nothing to learn from, and what to do.
    public static let noOutcomes = "no conversions to learn from: import them with `signalbox outcomes import outcomes.csv`, POST /api/outcomes, or name a conversion event in signalbox.yaml (outcomes: { conversion_event: Subscription Started })"

    public static func databasePath(option: String?, config: ModelConfig?) -> String {
        option ?? config?.database ?? "signalbox.sqlite"
    }

    /// A text file's contents, or a ``FileError`` that says it is missing or unreadable.
    public static func readText(path: String) throws(FileError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw FileError(file: path, line: nil, message: "not found") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(file: path, line: nil, message: "cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Loads a firmographics CSV into the store and the engine; returns how many companies it held.
    public static func importFirmographics(path: String, store: any SignalStore, engine: inout Engine) throws -> Int {
        let companies = try FirmographicsFile.parse(try readText(path: path), file: path)
        try store.upsertCompanies(companies)
        for company in companies { engine.companies[company.domain] = company }
        return companies.count
    }
}
