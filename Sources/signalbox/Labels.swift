import ArgumentParser
import SignalboxPipeline

/// `signalbox labels`: reps' dispositions on handoffs, as training labels.
struct Labels: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export reps' dispositions on handoffs as CSV training labels.",
        discussion: "Dispositions come from POST /api/handoffs/{id}/disposition; the latest verdict per handoff counts."
    )

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let store = try project.openStore(config: try project.loadConfig())
        print(LabelExport.csv(try reportingFailures { try store.handoffLabels() }), terminator: "")
    }
}
