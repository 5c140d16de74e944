import Foundation

/// How well scores separate converters from the rest: AUC, log loss, Brier score, precision and
/// recall at a threshold, lift by decile and a calibration table.
public enum ClassifierMetrics {
    /// The probability that a random converter scores above a random non-converter, ties counting
    /// half (the Mann–Whitney U statistic over both class sizes). Nil without both classes.
    public static func auc(_ scores: [Double], _ labels: [Bool]) -> Double? {
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            // Tied scores share the mean of the ranks they span (ranks count from 1).
            let rank = Double(start + end + 2) / 2
            for position in start...end where labels[order[position]] { rankSum += rank }
            start = end + 1
        }
        let u = rankSum - Double(positives * (positives + 1)) / 2
        return u / Double(positives * negatives)
    }

    /// Mean negative log-likelihood of the labels; probabilities are clipped away from 0 and 1.
    public static func logLoss(_ probabilities: [Double], _ labels: [Bool]) -> Double {
        guard !labels.isEmpty else { return 0 }
        let total = zip(probabilities, labels).reduce(0.0) { sum, pair in
            let p = min(max(pair.0, 1e-15), 1 - 1e-15)
            return sum - (pair.1 ? log(p) : log(1 - p))
        }
        return total / Double(labels.count)
    }

    /// Mean squared difference between probability and outcome.
    public static func brier(_ probabilities: [Double], _ labels: [Bool]) -> Double {
        guard !labels.isEmpty else { return 0 }
        return zip(probabilities, labels).reduce(0.0) { $0 + pow($1.0 - ($1.1 ? 1 : 0), 2) } / Double(labels.count)
    }

    /// Precision and recall of flagging every score at or above `threshold`.
    public static func precisionRecall(_ scores: [Double], _ labels: [Bool], threshold: Double) -> (precision: Double?, recall: Double?, flagged: Int) {
        let flagged = scores.indices.filter { scores[$0] >= threshold }
        let hits = flagged.filter { labels[$0] }.count
        let positives = labels.filter { $0 }.count
        return (flagged.isEmpty ? nil : Double(hits) / Double(flagged.count), positives == 0 ? nil : Double(hits) / Double(positives), flagged.count)
    }

    /// One tenth of the accounts, best scores first.
    public struct Decile: Sendable, Equatable, Codable {
        public var decile: Int
        public var accounts: Int
        public var converted: Int
        public var rate: Double
        /// `rate` over the overall rate.
        public var lift: Double
    }

    /// Conversion by score decile, decile 1 holding the highest scores. Ties are ordered by position.
    public static func liftByDecile(_ scores: [Double], _ labels: [Bool]) -> [Decile] {
        guard !scores.isEmpty else { return [] }
        let order = scores.indices.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
        let overall = Double(labels.filter { $0 }.count) / Double(labels.count)
        return (0..<10).compactMap { decile in
            let slice = order[(decile * order.count / 10)..<((decile + 1) * order.count / 10)]
            guard !slice.isEmpty else { return nil }
            let converted = slice.filter { labels[$0] }.count
            let rate = Double(converted) / Double(slice.count)
            return Decile(decile: decile + 1, accounts: slice.count, converted: converted, rate: rate, lift: overall > 0 ? rate / overall : 0)
        }
    }

    /// Predicted against observed, in equal-width probability bins.
    public struct CalibrationBin: Sendable, Equatable, Codable {
        public var lower: Double
        public var upper: Double
        public var accounts: Int
        public var meanPredicted: Double
        public var observedRate: Double
    }

    public static func calibration(_ probabilities: [Double], _ labels: [Bool], bins: Int = 10) -> [CalibrationBin] {
        var groups = [[Int]](repeating: [], count: bins)
        for index in probabilities.indices { groups[min(bins - 1, max(0, Int(probabilities[index] * Double(bins))))].append(index) }
        return groups.enumerated().compactMap { bin, members in
            guard !members.isEmpty else { return nil }
            let predicted = members.reduce(0.0) { $0 + probabilities[$1] } / Double(members.count)
            let observed = Double(members.filter { labels[$0] }.count) / Double(members.count)
            return CalibrationBin(lower: Double(bin) / Double(bins), upper: Double(bin + 1) / Double(bins), accounts: members.count, meanPredicted: predicted, observedRate: observed)
        }
    }
}
