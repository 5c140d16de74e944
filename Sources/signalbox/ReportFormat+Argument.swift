import ArgumentParser
import SignalboxPipeline

extension ReportFormat: ExpressibleByArgument {}
