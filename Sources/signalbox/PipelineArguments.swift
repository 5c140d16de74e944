import ArgumentParser
import SignalboxPipeline

extension ReportFormat: ExpressibleByArgument {}
extension LabelSource: ExpressibleByArgument {}
