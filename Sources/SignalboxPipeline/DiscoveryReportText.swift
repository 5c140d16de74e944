import Foundation
import SignalboxLearning

/// `signalbox signals discover`'s report: the ranked candidates, the compounds, and the
/// suggested signals as YAML, for a terminal or as JSON.
public enum DiscoveryReportText {
    public static func render(_ report: DiscoveryReport, suggestions: SignalSuggestions, format: ReportFormat) throws -> String {
        switch format {
        case .table: table(report, suggestions: suggestions)
        case .json: try ReportJSON.encode(JSONReport(report, suggestions: suggestions))
        }
    }

    private static func table(_ report: DiscoveryReport, suggestions: SignalSuggestions) -> String {
        let days = Int((report.lookBack / 86_400).rounded())
        var text = """
            Compared \(report.converters) converters with \(report.nonConverters) non-converters over the \(days) days before each \
            conversion (non-converters' windows end at the converters' conversion times).
            Lift = share of converters with it / share of non-converters with it (add-one smoothed).


            """
        let sections: [(kind: DiscoveryFeature.Kind, title: String)] = [
            (.event, "Events"), (.property, "Property values"), (.sequence, "Sequences (the first, then the second later in the window)"),
        ]
        for section in sections {
            let rows = report.candidates.filter { $0.features[0].kind == section.kind }
            text += "\(section.title)\n"
            text += rows.isEmpty ? "  none over-represented with enough converters\n\n" : tableText(rows) + "\n"
        }
        text += "Pairs that beat each of their parts (both inside the window)\n"
        text += report.compounds.isEmpty ? "  none\n" : tableText(report.compounds)
        return text + "\n" + suggestions.yaml
    }

    private static func tableText(_ candidates: [FeatureLift]) -> String {
        TextTable.render([["#", "candidate", "converters", "others", "lift", "converts with / without"]]
            + candidates.enumerated().map { [String($0.offset + 1)] + row($0.element) })
    }

    private static func row(_ candidate: FeatureLift) -> [String] {
        let stats = candidate.stats
        return [
            candidate.name, count(stats.convertersWith, of: stats.converters), count(stats.nonConvertersWith, of: stats.nonConverters),
            String(format: "%.1f", stats.lift), "\(ReportText.percent(stats.conversionRateWith)) / \(ReportText.percent(stats.conversionRateWithout))",
        ]
    }

    private static func count(_ part: Int, of whole: Int) -> String {
        "\(part) (\(ReportText.percent(whole == 0 ? nil : Double(part) / Double(whole))))"
    }

    /// The JSON shape of a report.
    private struct JSONReport: Encodable {
        struct Candidate: Encodable {
            var kind: String
            var features: [String]
            var stats: LiftStats
            var lift: Double
            var conversionRateWith: Double?
            var conversionRateWithout: Double?

            init(_ candidate: FeatureLift) {
                kind = candidate.features.count == 1 ? candidate.features[0].kind.rawValue : "compound"
                features = candidate.features.map(\.description)
                stats = candidate.stats
                lift = candidate.stats.lift
                conversionRateWith = candidate.stats.conversionRateWith
                conversionRateWithout = candidate.stats.conversionRateWithout
            }
        }

        var lookBackDays: Int
        var converters: Int
        var nonConverters: Int
        var candidates: [Candidate]
        var compounds: [Candidate]
        var suggestedSignalsYaml: String

        init(_ report: DiscoveryReport, suggestions: SignalSuggestions) {
            lookBackDays = Int((report.lookBack / 86_400).rounded())
            converters = report.converters
            nonConverters = report.nonConverters
            candidates = report.candidates.map(Candidate.init)
            compounds = report.compounds.map(Candidate.init)
            suggestedSignalsYaml = suggestions.yaml
        }
    }
}
