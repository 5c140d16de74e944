import Foundation
import SignalboxCore
import SignalboxPipeline
import SignalboxStore

/// Loads a project's engine from its store (untimed), then scores every account seven times at
/// `asOf`, printing wall and CPU time of each pass: scoring alone, on a store of your own.
func runScoringBenchmark(database: String, config: String, asOf: Date) throws {
    let model = CompiledModel(try ProjectFiles.loadConfig(path: config))
    let engine = try SQLiteStore(path: database).loadEngine(model: model)
    var passes: [(wall: Double, cpu: Double)] = []
    var scores: [AccountScore] = []
    for _ in 0..<7 {
        let cpuBefore = processCPUSeconds()
        let wall = seconds { scores = engine.scoreAll(asOf: asOf) }
        passes.append((wall, processCPUSeconds() - cpuBefore))
    }
    let stages = Stage.allCases.reversed().map { stage in "\(stage.rawValue) \(scores.count(where: { $0.stage == stage }))" }
    print("\(scores.count) accounts as of \(Timestamp.format(asOf)): \(stages.joined(separator: ", "))")
    for (name, values) in [("wall", passes.map(\.wall)), ("cpu", passes.map(\.cpu))] {
        let sorted = values.sorted()
        print(String(format: "score all, %@  fastest %.3f s, median %.3f s  (%@)", name, sorted[0], sorted[3], values.map { String(format: "%.3f", $0) }.joined(separator: " ")))
    }
}

/// CPU time this process has used on every thread, in seconds.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
