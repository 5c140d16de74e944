import ArgumentParser
import Foundation
import SignalboxCore

/// `signalbox init`: writes a commented starter model.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter signalbox.yaml for a published scoring model.")

    @Option(help: "The model: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String = Preset.weighted.rawValue

    @Option(help: "Where to write it.")
    var config: String = "signalbox.yaml"

    @Flag(help: "Replace an existing file.")
    var force = false

    func validate() throws {
        guard Preset(rawValue: preset) != nil else {
            throw ValidationError("unknown preset \"\(preset)\"; choose one of \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if FileManager.default.fileExists(atPath: config), !force {
            throw fail("\(config) already exists; pass --force to replace it", code: 73)
        }
        try Preset(rawValue: preset)!.yaml.write(toFile: config, atomically: true, encoding: .utf8)
        print("Wrote \(config) (\(preset) preset). Check it with `signalbox check --config \(config)`.")
    }
}
