import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxPipeline
import SignalboxStore

/// Generates a demo world (untimed), then measures the full import into SQLite with every account
/// scored, scoring alone, decoding alone, and then each import stage alone.
func runImportBenchmark(workspaces: Int) throws {
    let directory = try scratchDirectory("import")
    defer { try? FileManager.default.removeItem(atPath: directory) }

    let end = Timestamp.parse("2026-11-01T00:00:00Z")!
    var options = DemoWorld.Options(end: end)
    options.workspaces = workspaces
    let world = try BenchWorld(options, in: directory)
    let eventsPath = world.eventsPath
    let bytes = (try FileManager.default.attributesOfItem(atPath: eventsPath)[.size] as? Int) ?? 0
    print("world: \(workspaces) workspaces, \(world.summary.events) lines, \(bytes / 1_048_576) MiB, generated in \(String(format: "%.1f", world.generationSeconds)) s")

    // The import is measured first, as a user runs it: in a process that has not already decoded
    // and freed millions of events, which leaves the allocator's heap fragmented.
    let model = CompiledModel(try Preset.weighted.config())
    // Scoring runs while the import commits, as in `signalbox import`; scoring alone is timed after.
    let (job, summary, importTime) = try world.importInto(directory + "/bench.sqlite", model: model, scoreAsOf: end)
    var scores: [AccountScore] = []
    let scoreTime = seconds { scores = job.engine.scoreAll(asOf: end) }
    guard scores == job.scores else { throw BenchmarkFailure(description: "the import's scores differ from scoring its engine again") }

    let states = job.engine.states.values
    let storedBytes = states.reduce(0) { $0 + $1.binaryRecord().count }
    let peak = peakResidentMegabytes()

    var decoded = 0
    let decodeTime = try seconds {
        let decoder = EventDecoder()
        try LineReader(path: eventsPath).forEachLine { _, line in decoded += decoder.decode(line: line).count }
    }

    func rate(_ count: Int, _ time: Double) -> String { String(format: "%8.0f msg/s  (%.2f s)", Double(count) / time, time) }
    print("decode only          \(rate(decoded, decodeTime))")
    print("import + score       \(rate(summary.messages, importTime))  imported \(summary.imported), duplicates \(summary.duplicates), \(job.scores.count) accounts scored (durable)")
    print("score all, alone     \(String(format: "%8.0f accounts/s (%.2f s)", Double(scores.count) / scoreTime, scoreTime))")
    print(String(format: "state per account    %.0f bytes stored (binary record), %d accounts", Double(storedBytes) / Double(max(1, states.count)), states.count))
    print(String(format: "peak memory          %.0f MiB", peak))
    // After the peak is read: the stages hold their messages in memory.
    try measureImportStages(eventsPath: eventsPath, model: model, directory: directory, limit: 1_000_000)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Peak resident memory of this process, from the kernel.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
