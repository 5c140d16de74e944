import Foundation
import SignalboxCore
import SignalboxPipeline
import SignalboxStore

/// Each import stage alone over the first `limit` messages of a file, with the weighted preset.
func runStagesBenchmark(eventsPath: String, limit: Int) throws {
    let directory = try scratchDirectory("stages")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try measureImportStages(eventsPath: eventsPath, model: CompiledModel(try Preset.weighted.config()), directory: directory, limit: limit)
}

/// Each import stage alone over the first `limit` messages of `eventsPath`: what one message costs
/// in each stage without the others competing for the cores. Decoding and the store's append run on
/// one thread; the engine shares its state updates among the cores as it does in an import. Each
/// figure is the fastest of three runs, because this VM's speed drifts from minute to minute.
func measureImportStages(eventsPath: String, model: CompiledModel, directory: String, limit: Int) throws {
    let decoder = EventDecoder(properties: model.propertiesRead)
    var events: [Event] = []
    let decodeTime = try fastest(of: 3) {
        events = []
        events.reserveCapacity(limit)
        try LineReader(path: eventsPath).forEachLine { _, line in
            guard events.count < limit else { return }
            decoder.decode(line: line) { if case .success(let event) = $0 { events.append(event) } }
        }
    }
    let chunks = stride(from: 0, to: events.count, by: 50_000).map { Array(events[$0..<min($0 + 50_000, events.count)]) }

    let engineTime = fastest(of: 3) {
        var engine = Engine(model: model)
        for chunk in chunks { engine.ingest(chunk) }
    }

    var run = 0
    let storeTime = try fastest(of: 3) {
        run += 1
        let store = try SQLiteStore(path: "\(directory)/stages-\(run).sqlite")
        try store.transaction {
            for chunk in chunks { _ = try store.appendEvents(chunk, source: "bench") }
        }
    }

    func perMessage(_ time: Double) -> String { String(format: "%5.2f µs/msg", time / Double(events.count) * 1e6) }
    print("stages alone (fastest of 3, first \(events.count) messages):")
    print("  decode, one thread                           \(perMessage(decodeTime))  (the model's properties)")
    print("  engine apply, state updates on every core    \(perMessage(engineTime))")
    print("  store append, one thread                     \(perMessage(storeTime))  (dedupe, batch rows, commit; compression runs beside it)")
}

/// The shortest of `runs` timings of `body`.
func fastest(of runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<runs { best = min(best, try seconds(body)) }
    return best
}
