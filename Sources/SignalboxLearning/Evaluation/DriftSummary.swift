import Foundation

/// A drift report in words: what moved, by how much, and whether to retrain, by the conventional
/// PSI rule (below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 significant: retrain).
public enum DriftSummary {
    /// Signals shown as moved at most.
    static let listed = 5
    /// |z| above which a conversion rate change is reported (two-sided 95%).
    static let significantZ = 1.96

    public static func sentences(_ report: DriftReport) -> [String] {
        var sentences = [scores(report), stages(report.stages), presence(report.signals)]
        sentences += conversion(report.signals, horizonDays: report.horizonDays)
        if report.unsettledSnapshotTimes > 0 {
            sentences.append("The last \(report.unsettledSnapshotTimes) weekly snapshots of the current period end their \(report.horizonDays)-day horizon after the last known outcome, so its conversion counts are not final.")
        }
        sentences.append(verdict(report))
        return sentences
    }

    private static func scores(_ report: DriftReport) -> String {
        let distribution = report.scores
        var text = "Scores: PSI \(number(distribution.psi)), \(words(distribution.level))."
        if let before = report.baseline.meanScore, let after = report.current.meanScore {
            text += String(format: " Mean score %.1f → %.1f", before, after)
        }
        let before = distribution.baselineShares
        let after = distribution.currentShares
        if let moved = distribution.bins.indices.max(by: { abs(after[$0] - before[$0]) < abs(after[$1] - before[$1]) }) {
            text += "; the largest move is in \(distribution.bins[moved]) (\(percent(before[moved])) → \(percent(after[moved])))"
        }
        return text + "."
    }

    private static func stages(_ distribution: DriftReport.Distribution) -> String {
        let before = distribution.baselineShares
        let after = distribution.currentShares
        let mix = distribution.bins.indices.map { "\(distribution.bins[$0]) \(percent(before[$0])) → \(percent(after[$0]))" }
        return "Stage mix: PSI \(number(distribution.psi)), \(words(distribution.level)). " + mix.joined(separator: ", ") + "."
    }

    private static func presence(_ signals: [DriftReport.SignalShift]) -> String {
        let moved = signals.filter { $0.presencePSI >= 0.1 }
        guard !moved.isEmpty else { return "No signal's presence moved much (every PSI below 0.1)." }
        let listed = moved.prefix(Self.listed).map {
            "\($0.signal) \(percent($0.baselinePresenceRate)) → \(percent($0.currentPresenceRate)) (PSI \(number($0.presencePSI)))"
        }
        return "Signals present in a different share of account snapshots: " + listed.joined(separator: "; ") + (moved.count > Self.listed ? "; and \(moved.count - Self.listed) more." : ".")
    }

    private static func conversion(_ signals: [DriftReport.SignalShift], horizonDays: Int) -> [String] {
        let changed = signals.filter { abs($0.conversionZ ?? 0) >= significantZ }.sorted { abs($0.conversionZ!) > abs($1.conversionZ!) }
        guard !changed.isEmpty else { return [] }
        let listed = changed.prefix(Self.listed).map {
            "\($0.signal) \(percent($0.baselineConversionRate ?? 0)) (\($0.baselineConverted)/\($0.baselinePresent)) → \(percent($0.currentConversionRate ?? 0)) (\($0.currentConverted)/\($0.currentPresent))"
        }
        return ["Conversion within \(horizonDays) days of accounts with a signal changed beyond chance (|z| ≥ 1.96): " + listed.joined(separator: "; ") + "."]
    }

    private static func verdict(_ report: DriftReport) -> String {
        switch report.verdict {
        case .significant:
            return "Verdict: significant shift (PSI above 0.25): retrain with `signalbox train` and review the stage thresholds."
        case .moderate:
            return "Verdict: moderate shift (PSI 0.1 to 0.25): watch the next period and retrain if it keeps moving."
        case .stable:
            let changed = report.signals.contains { abs($0.conversionZ ?? 0) >= significantZ }
            return "Verdict: stable (PSI below 0.1): no need to retrain" + (changed ? ", though retraining would re-weigh the signals whose conversion changed." : ".")
        }
    }

    private static func words(_ level: PopulationStability.Level) -> String {
        switch level {
        case .stable: "stable"
        case .moderate: "a moderate shift"
        case .significant: "a significant shift"
        }
    }

    private static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    private static func number(_ value: Double) -> String { String(format: "%.3f", value) }
}
