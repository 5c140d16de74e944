import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxPipeline
import SignalboxStore

/// `--config` and `--db`, shared by every command that works on a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The scoring model file.")
    var config: String = "signalbox.yaml"

    @Option(name: .long, help: "The SQLite store (default: `database` in the config, else ./signalbox.sqlite).")
    var db: String?

    /// The validated config, or exit 65 with the file, line and key at fault.
    func loadConfig() throws -> ModelConfig {
        try reportingFailures { try ProjectFiles.loadConfig(path: config) }
    }

    func openStore(config model: ModelConfig) throws -> SQLiteStore {
        let path = ProjectFiles.databasePath(option: db, config: model)
        return try reportingFailures { try SQLiteStore(path: path) }
    }

    /// The config, its store, and a scoring run over the stored state.
    func openScoringRun() throws -> (config: ModelConfig, run: ScoringRun) {
        let config = try loadConfig()
        let store = try openStore(config: config)
        let engine = try reportingFailures { try store.loadEngine(model: CompiledModel(config)) }
        return (config, ScoringRun(store: store, engine: engine))
    }
}

/// Runs `body`, turning known failures into a one-line message on stderr and a script-friendly exit code.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfigError {
        throw fail(error.description, code: 65)
    } catch let error as FileError {
        throw fail(error.description, code: error.message.hasPrefix("not found") || error.message.hasPrefix("cannot be") ? 66 : 65)
    } catch let error as ImportError {
        throw fail(error.description, code: 65)
    } catch let error as ExitCode {
        throw error
    } catch {
        throw fail("signalbox: \(error)", code: 70)
    }
}

/// Prints `message` to stderr and returns the exit code to throw.
func fail(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    return ExitCode(code)
}

/// Parses `--as-of`: an ISO-8601 time or date; nil means now.
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Score as of this time (ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00:00Z). Default: now.")
    var asOf: String?

    func resolve() throws -> Date {
        guard let asOf else { return Date() }
        guard let date = Timestamp.parse(asOf) else {
            throw ValidationError("--as-of \"\(asOf)\" is not a date or time; use e.g. 2026-11-01 or 2026-11-01T12:00:00Z")
        }
        return date
    }

    func validate() throws {
        _ = try resolve()
    }
}
