import Foundation

extension SignalSuggestions {
    /// The suggestions as entries of the `signals:` mapping of `signalbox.yaml`, indented to paste
    /// under `signals:` as they are, with comments saying what each is for.
    public var yaml: String {
        let window = "\(Int((lookBack / 86_400).rounded()))d"
        guard !compounds.isEmpty else {
            return "# No pair of the strongest candidates beats each of them alone, so no compound is suggested.\n"
        }
        var lines = [
            "# Suggested signals: paste under `signals:` in signalbox.yaml, then run `signalbox check`.",
            "# Points are a starting point (5 per doubling of the lift); weigh them with `signalbox train`.",
        ]
        for event in events {
            lines.append("  # \(event.pattern): for the compounds below; no points on its own.")
            lines.append("  \(event.id):")
            lines.append("    category: \(event.category.rawValue)")
            lines.append("    \(event.pattern.activity.page ? "page" : "event"): \(Self.scalar(event.pattern.activity.name))")
            if let property = event.pattern.property {
                lines.append("    where: { \(Self.scalar(property.key)): \(Self.scalar(property.value)) }")
            }
            lines.append("    window: \(window)")
            lines.append("    points: 0")
        }
        for compound in compounds {
            let stats = compound.stats
            lines.append("  # \(stats.convertersWith) of \(stats.converters) converters and \(stats.nonConvertersWith) of \(stats.nonConverters) others in the \(window) before; lift \(String(format: "%.1f", stats.lift))")
            lines.append("  \(compound.id):")
            lines.append("    category: \(compound.category.rawValue)")
            lines.append("    all: { " + compound.signals.map { "\($0): 1" }.joined(separator: ", ") + " }")
            lines.append("    window: \(window)")
            lines.append("    points: \(compound.points)")
            lines.append("    reason: \(Self.scalar(compound.reason, quoted: true))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar: plain when it is words, else double-quoted.
    static func scalar(_ text: String, quoted: Bool = false) -> String {
        let plain = text.first?.isLetter == true && text.allSatisfy { $0.isLetter || $0.isNumber || " _-./".contains($0) }
            && !["true", "false", "yes", "no", "on", "off", "null"].contains(text.lowercased())
        guard quoted || !plain else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
