import ArgumentParser
import SignalboxCore

/// `signalbox check`: validates a config without touching the store.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate signalbox.yaml; errors name the file, line and key.")

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let config = try project.loadConfig()
        let stages: String
        switch config.stages {
        case .thresholds(let pql, let ready): stages = "PQL at \(ReasonText.format(pql.minimumScore)), sales-ready at \(ReasonText.format(ready.minimumScore))"
        case .matrix(let matrix): stages = "tier matrix, \(matrix.salesReady.count) sales-ready cells"
        }
        print("\(project.config): OK: model \(config.name), \(config.signals.count) signals, \(config.fitRules.count) fit rules, \(stages), \(config.fastLane.signals.count) fast-lane signals")
        let reps = config.routing.teams.values.reduce(0) { $0 + $1.reps.count }
        print("routing: \(config.routing.routes.count) routes, \(config.routing.teams.count) teams with \(reps) reps, \(config.routing.plays.count) plays; \(config.destinations.count) destinations")
    }
}
