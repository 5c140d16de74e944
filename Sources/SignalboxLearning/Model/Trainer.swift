import Foundation
import SignalboxCore

/// Fits a conversion model on feature snapshots and measures it against the current model on
/// held-out time: the older snapshots train, the most recent ones validate, as a model in
/// production only ever predicts a future it has not seen.
public struct Trainer: Sendable {
    public var l2: Double
    /// Fewest converting and non-converting training rows a fit is trusted on.
    public var minimumPositives: Int
    public var minimumNegatives: Int
    /// Share of the snapshot times, the most recent, held out for validation.
    public var validationShare: Double

    public init(l2: Double = 0.01, minimumPositives: Int = 40, minimumNegatives: Int = 40, validationShare: Double = 0.25) {
        self.l2 = l2
        self.minimumPositives = minimumPositives
        self.minimumNegatives = minimumNegatives
        self.validationShare = validationShare
    }

    /// Why there is no model.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case tooFewOutcomes(positives: Int, negatives: Int, minimum: Int)
        case tooFewSnapshots
        case fit(String)

        public var description: String {
            switch self {
            case .tooFewOutcomes(let positives, let negatives, let minimum):
                "only \(positives) converting and \(negatives) non-converting account snapshots to learn from; a model needs at least \(minimum) of each. Until there is more history, keep the rule-based model (signalbox init) and tune it by hand with signalbox explain."
            case .tooFewSnapshots: "needs at least two snapshot times: one to train on and a later one to validate on"
            case .fit(let reason): "the model could not be fitted: \(reason)"
            }
        }
    }

    /// The rows of the training and validation sets.
    public func split(_ rows: [TrainingRow]) -> (train: [TrainingRow], validation: [TrainingRow]) {
        let times = Array(Set(rows.map(\.at))).sorted()
        guard times.count >= 2 else { return (rows, []) }
        let held = max(1, Int((Double(times.count) * validationShare).rounded()))
        let cut = times[times.count - held]
        return (rows.filter { $0.at < cut }, rows.filter { $0.at >= cut })
    }

    /// Fits the learned model on the training rows and measures it beside the current model on the
    /// validation rows. Columns in `nonPositive` (cooling and negative signals) may only subtract;
    /// stage thresholds are recommended for `targetPrecision` at sales-ready.
    public func train(
        _ rows: [TrainingRow], names: [String], nonPositive: Set<Int> = [], targetPrecision: Double = 0.3
    ) throws(Refusal) -> (model: LearnedModel, report: TrainingReport) {
        let (train, validation) = split(rows)
        guard !validation.isEmpty else { throw .tooFewSnapshots }
        let positives = train.filter(\.converted).count
        let negatives = train.count - positives
        guard positives >= minimumPositives, negatives >= minimumNegatives else {
            throw .tooFewOutcomes(positives: positives, negatives: negatives, minimum: max(minimumPositives, minimumNegatives))
        }
        let model: LearnedModel
        do {
            model = try LearnedModel.fit(train.map(\.features), labels: train.map(\.converted), names: names, nonPositive: nonPositive, l2: l2)
        } catch {
            throw .fit(error.description)
        }
        let labels = validation.map(\.converted)
        let probabilities = validation.map { model.probability($0.features) }
        let championScores = validation.map(\.currentScore)
        let readyRows = validation.filter { $0.currentStage == .salesReady }
        let championReady = OperatingPoint(
            flagged: readyRows.count, precision: readyRows.isEmpty ? nil : Double(readyRows.filter(\.converted).count) / Double(readyRows.count),
            recall: labels.contains(true) ? Double(readyRows.filter(\.converted).count) / Double(labels.filter { $0 }.count) : nil
        )
        let support = names.indices.map { column in train.filter { $0.features[column] != 0 }.count }
        let weights = names.indices.map {
            FeatureWeight(feature: names[$0], weight: model.weights[$0], standardizedWeight: model.standardizedWeights[$0], support: support[$0])
        }.sorted { abs($0.standardizedWeight) > abs($1.standardizedWeight) }
        let report = TrainingReport(
            snapshotTimes: Array(Set(rows.map(\.at))).sorted(), trainRows: train.count, trainConversions: positives,
            validationRows: validation.count, validationConversions: labels.filter { $0 }.count,
            challenger: ModelMetrics(scores: probabilities, labels: labels, probabilities: true),
            champion: ModelMetrics(scores: championScores, labels: labels, probabilities: false),
            championSalesReady: championReady,
            challengerAtEqualRecall: Self.precision(probabilities, labels, recall: championReady.recall),
            thresholds: ThresholdAdvice(probabilities: probabilities, labels: labels, targetPrecision: targetPrecision),
            weights: weights, dropped: model.dropped
        )
        return (model, report)
    }

    /// The challenger's operating point flagging its top scores until it reaches `recall`.
    static func precision(_ scores: [Double], _ labels: [Bool], recall target: Double?) -> OperatingPoint? {
        guard let target, target > 0 else { return nil }
        let positives = labels.filter { $0 }.count
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var hits = 0
        for (rank, index) in order.enumerated() {
            if labels[index] { hits += 1 }
            let recall = Double(hits) / Double(positives)
            if recall >= target - 1e-12 { return OperatingPoint(flagged: rank + 1, precision: Double(hits) / Double(rank + 1), recall: recall) }
        }
        return nil
    }
}

/// A set of flagged accounts: how many, and how good.
public struct OperatingPoint: Sendable, Equatable, Codable {
    public var flagged: Int
    public var precision: Double?
    public var recall: Double?

    public init(flagged: Int, precision: Double?, recall: Double?) {
        self.flagged = flagged
        self.precision = precision
        self.recall = recall
    }
}

/// One feature's learned weight and how many training rows it was non-zero in.
public struct FeatureWeight: Sendable, Equatable, Codable {
    public var feature: String
    /// Change in log-odds per unit of the feature.
    public var weight: Double
    /// Change in log-odds per standard deviation: comparable across features.
    public var standardizedWeight: Double
    public var support: Int
}

/// How a model's scores did on the validation rows.
public struct ModelMetrics: Sendable, Equatable, Codable {
    public var auc: Double?
    /// Only for scores that are probabilities.
    public var logLoss: Double?
    public var brier: Double?
    public var deciles: [ClassifierMetrics.Decile]
    public var calibration: [ClassifierMetrics.CalibrationBin]

    public init(scores: [Double], labels: [Bool], probabilities: Bool) {
        auc = ClassifierMetrics.auc(scores, labels)
        logLoss = probabilities ? ClassifierMetrics.logLoss(scores, labels) : nil
        brier = probabilities ? ClassifierMetrics.brier(scores, labels) : nil
        deciles = ClassifierMetrics.liftByDecile(scores, labels)
        calibration = probabilities ? ClassifierMetrics.calibration(scores, labels) : []
    }
}

/// What `signalbox train` measured: the learned model (challenger) beside the current one (champion).
public struct TrainingReport: Sendable, Equatable, Codable {
    public var snapshotTimes: [Date]
    public var trainRows: Int
    public var trainConversions: Int
    public var validationRows: Int
    public var validationConversions: Int
    public var challenger: ModelMetrics
    public var champion: ModelMetrics
    /// The current model's sales-ready stage as a flag.
    public var championSalesReady: OperatingPoint
    /// The learned model flagging as many converters as the current sales-ready stage does.
    public var challengerAtEqualRecall: OperatingPoint?
    /// Recommended stage thresholds for the learned model; nil when validation has no converter.
    public var thresholds: ThresholdAdvice?
    /// Learned weights, strongest first.
    public var weights: [FeatureWeight]
    /// Cooling or negative signals left out because they did not lower conversion.
    public var dropped: [String]
    /// Half-lives chosen from the grid, by signal id, and the configured ones they replace.
    public var halfLives: [String: TimeInterval] = [:]
    public var configuredHalfLives: [String: TimeInterval] = [:]
}
