import Foundation
import SignalboxCore

/// A candidate model scored beside the live one at the same moment: where their stages agree,
/// how alike their rankings are, which accounts would move, and, when outcomes after that moment
/// are known, how each model's sales-ready accounts converted. Nothing is routed or stored.
public struct ShadowComparison: Sendable, Equatable, Codable {
    /// Accounts by live stage and candidate stage.
    public struct Cell: Sendable, Equatable, Codable {
        public var live: Stage
        public var candidate: Stage
        public var accounts: Int
    }

    /// An account whose sales-ready status the candidate would change.
    public struct Mover: Sendable, Equatable, Codable {
        public var accountId: String
        public var name: String?
        public var liveStage: Stage
        public var liveTotal: Double
        public var candidateStage: Stage
        public var candidateTotal: Double
        /// The candidate's strongest reasons.
        public var reasons: [String]
    }

    /// One model's sales-ready accounts against conversions within the horizon after the moment.
    public struct Outcomes: Sendable, Equatable, Codable {
        public var salesReady: Int
        public var converted: Int
        public var converters: Int
        public var precision: Double? { salesReady == 0 ? nil : Double(converted) / Double(salesReady) }
        public var recall: Double? { converters == 0 ? nil : Double(converted) / Double(converters) }
    }

    public var asOf: Date
    public var accounts: Int
    public var cells: [Cell]
    /// Share of accounts whose stage is the same in both.
    public var agreement: Double
    /// Spearman correlation of the two totals over accounts neither model excludes.
    public var rankCorrelation: Double?
    public var promoted: [Mover]
    public var demoted: [Mover]
    public var promotedCount: Int
    public var demotedCount: Int
    /// Nil unless outcomes after `asOf` are known.
    public var live: Outcomes?
    public var candidate: Outcomes?

    /// Compares scores of the same accounts at `asOf`; `conversions` are conversion times by account
    /// (nil when none is known after `asOf`), `limit` caps each mover list.
    public init(live: [AccountScore], candidate: [AccountScore], asOf: Date, conversions: [String: Date]?, horizon: TimeInterval, limit: Int) {
        self.asOf = asOf
        let candidates = Dictionary(candidate.map { ($0.accountId, $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = live.compactMap { score in candidates[score.accountId].map { (live: score, candidate: $0) } }
        accounts = pairs.count
        var counts: [String: Cell] = [:]
        for pair in pairs {
            counts["\(pair.live.stage.rawValue)>\(pair.candidate.stage.rawValue)", default: Cell(live: pair.live.stage, candidate: pair.candidate.stage, accounts: 0)].accounts += 1
        }
        cells = counts.values.sorted { ($0.live, $0.candidate) > ($1.live, $1.candidate) }
        agreement = pairs.isEmpty ? 0 : Double(pairs.filter { $0.live.stage == $0.candidate.stage }.count) / Double(pairs.count)
        let scored = pairs.filter { $0.live.stage != .excluded && $0.candidate.stage != .excluded }
        rankCorrelation = Self.spearman(scored.map(\.live.total), scored.map(\.candidate.total))

        func mover(_ pair: (live: AccountScore, candidate: AccountScore)) -> Mover {
            Mover(
                accountId: pair.live.accountId, name: pair.live.name, liveStage: pair.live.stage, liveTotal: pair.live.total,
                candidateStage: pair.candidate.stage, candidateTotal: pair.candidate.total, reasons: pair.candidate.topPositive(3).map(\.text)
            )
        }
        let up = pairs.filter { $0.candidate.stage == .salesReady && $0.live.stage != .salesReady }.sorted { $0.candidate.total > $1.candidate.total }
        let down = pairs.filter { $0.live.stage == .salesReady && $0.candidate.stage != .salesReady }.sorted { $0.live.total > $1.live.total }
        promotedCount = up.count
        demotedCount = down.count
        promoted = up.prefix(limit).map(mover)
        demoted = down.prefix(limit).map(mover)

        if let conversions {
            let converting = Set(pairs.map(\.live.accountId).filter { account in
                conversions[account].map { $0 > asOf && $0 <= asOf.addingTimeInterval(horizon) } ?? false
            })
            func outcomes(_ stages: [(String, Stage)]) -> Outcomes {
                let ready = stages.filter { $0.1 == .salesReady }.map(\.0)
                return Outcomes(salesReady: ready.count, converted: ready.filter(converting.contains).count, converters: converting.count)
            }
            self.live = outcomes(pairs.map { ($0.live.accountId, $0.live.stage) })
            self.candidate = outcomes(pairs.map { ($0.candidate.accountId, $0.candidate.stage) })
        }
    }

    /// Spearman's rank correlation, ties sharing their mean rank; nil for fewer than 3 pairs or a constant side.
    static func spearman(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count >= 3 else { return nil }
        let ra = ranks(a)
        let rb = ranks(b)
        let mean = Double(a.count + 1) / 2
        var covariance = 0.0
        var varianceA = 0.0
        var varianceB = 0.0
        for index in a.indices {
            covariance += (ra[index] - mean) * (rb[index] - mean)
            varianceA += (ra[index] - mean) * (ra[index] - mean)
            varianceB += (rb[index] - mean) * (rb[index] - mean)
        }
        guard varianceA > 0, varianceB > 0 else { return nil }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    private static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var result = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            for position in start...end { result[order[position]] = Double(start + end) / 2 + 1 }
            start = end + 1
        }
        return result
    }
}
