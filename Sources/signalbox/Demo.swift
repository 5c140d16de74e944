import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxDemo
import SignalboxPipeline

/// `signalbox demo`: a synthetic PLG world, imported, scored, and checked against its conversions.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a realistic synthetic PLG world, import and score it, and print the sales-ready queue."
    )

    @Option(help: "Folder for the generated events, firmographics, outcomes, config and store.")
    var directory: String = "signalbox-demo"

    @Option(help: "Workspaces in the world (about 200 events each).")
    var workspaces: Int = 1500

    @Option(help: "Seed for the generator; the same seed gives the same world.")
    var seed: UInt64 = 42

    @Option(help: "How many sales-ready accounts to show.")
    var show: Int = 15

    @OptionGroup var asOf: AsOfOption

    func run() throws {
        let end = try asOf.asOf == nil ? Calendar.utc.startOfDay(for: Date()) : asOf.resolve()
        var options = DemoWorld.Options(end: end)
        options.seed = seed
        options.workspaces = workspaces
        let result = try reportingFailures { try DemoJob(directory: directory, options: options).run() }
        print(DemoReport(result: result, show: show).text, terminator: "")
    }
}

extension Calendar {
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
