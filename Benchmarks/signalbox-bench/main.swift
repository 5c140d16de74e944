import Foundation
import SignalboxCore

/// `swift run -c release signalbox-bench import [workspaces]`: bulk import and scoring.
/// `swift run -c release signalbox-bench stages EVENTS.ndjson [messages]`: each import stage alone over a
/// file of your own (the weighted preset's signals), as `import` reports them for the demo world.
/// `swift run -c release signalbox-bench score DATABASE.sqlite signalbox.yaml AS_OF`: scoring every account
/// of a store of your own, seven passes.
/// `swift run -c release signalbox-bench serve [seconds] [events/s]`: live ingest over HTTP against
/// `signalbox serve`'s application; the latency phase runs at half the sustained rate unless a rate is given.
/// `swift run -c release signalbox-bench handoff [crossings] [background events/s]`: from the event that
/// crosses the threshold to a Slack stand-in receiving the handoff.
/// `swift run -c release signalbox-bench learn [workspaces] [matrix.csv]`: 90-day backtest, training
/// snapshots, and the fit on 100,000 accounts × 8 weekly snapshots.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "import":
    try runImportBenchmark(workspaces: arguments.dropFirst().first.flatMap(Int.init) ?? 15_000)
case "score":
    guard arguments.count == 4, let asOf = Timestamp.parse(arguments[3]) else {
        FileHandle.standardError.write(Data("usage: signalbox-bench score DATABASE.sqlite signalbox.yaml AS_OF (e.g. 2026-11-29)\n".utf8))
        exit(64)
    }
    try runScoringBenchmark(database: arguments[1], config: arguments[2], asOf: asOf)
case "stages":
    guard let path = arguments.dropFirst().first else {
        FileHandle.standardError.write(Data("usage: signalbox-bench stages EVENTS.ndjson [messages (default 1000000)]\n".utf8))
        exit(64)
    }
    try runStagesBenchmark(eventsPath: path, limit: arguments.dropFirst(2).first.flatMap(Int.init) ?? 1_000_000)
case "serve":
    let rest = arguments.dropFirst().compactMap(Double.init)
    try await ServeBenchmark(seconds: rest.first ?? 15, pacedRate: rest.dropFirst().first).run()
case "handoff":
    let rest = arguments.dropFirst().compactMap(Double.init)
    try await HandoffBenchmark(crossings: Int(rest.first ?? 100), backgroundEventsPerSecond: rest.dropFirst().first ?? 5_000).run()
case "learn":
    let rest = Array(arguments.dropFirst())
    try runLearningBenchmark(workspaces: rest.first.flatMap(Int.init) ?? 20_000, matrixPath: rest.dropFirst().first)
default:
    FileHandle.standardError.write(Data("usage: signalbox-bench import [workspaces (default 15000)] | stages EVENTS.ndjson [messages] | score DATABASE.sqlite signalbox.yaml AS_OF | serve [seconds per phase (default 15)] [events/s of the latency phase] | handoff [crossings (default 100)] [background events/s (default 5000)] | learn [workspaces (default 20000)] [matrix.csv]\n".utf8))
    exit(64)
}
