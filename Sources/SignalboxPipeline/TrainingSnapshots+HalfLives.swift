import Foundation
import SignalboxCore
import SignalboxLearning

extension TrainingSnapshots {
    /// Rows whose decaying signals use the half-life that fits best, and the half-lives chosen.
    ///
    /// History is replayed once per half-life in `grid` with every decaying signal set to it (a
    /// signal's units depend on its own half-life only, so one replay serves every signal); each
    /// signal then keeps the column, its configured half-life or a grid one, that alone fits the
    /// training rows best (``HalfLifeSelection``). Signals without a half-life are left as they are.
    public func rowsChoosingHalfLives(
        _ rows: [TrainingRow], at times: [Date], outcomes: [Outcome], horizon: TimeInterval, grid: [TimeInterval], trainer: Trainer
    ) throws -> (rows: [TrainingRow], halfLives: [String: TimeInterval]) {
        let decaying = model.config.signals.indices.filter {
            guard model.config.signals[$0].halfLife != nil, case .event = model.config.signals[$0].kind else { return false }
            return true
        }
        guard !decaying.isEmpty, !grid.isEmpty else { return (rows, [:]) }
        struct Key: Hashable { var account: String; var at: Date }
        var byHalfLife: [(halfLife: TimeInterval, features: [Key: [Double]])] = []
        for halfLife in grid {
            var config = model.config
            for index in decaying { config.signals[index].halfLife = halfLife }
            let variant = TrainingSnapshots(store: store, model: CompiledModel(config), companies: companies)
            let variantRows = try variant.rows(at: times, outcomes: outcomes, horizon: horizon)
            byHalfLife.append((halfLife, Dictionary(variantRows.map { (Key(account: $0.accountId, at: $0.at), $0.features) }, uniquingKeysWith: { first, _ in first })))
        }
        let training = trainer.split(rows).train
        let labels = training.map(\.converted)
        var chosen = rows
        var halfLives: [String: TimeInterval] = [:]
        for column in decaying {
            let signal = model.config.signals[column]
            var candidates = [HalfLifeSelection.Candidate(halfLife: signal.halfLife!, values: training.map { $0.features[column] })]
            for (halfLife, features) in byHalfLife where halfLife != signal.halfLife {
                candidates.append(.init(halfLife: halfLife, values: training.map { features[Key(account: $0.accountId, at: $0.at)]?[column] ?? 0 }))
            }
            let best = candidates[HalfLifeSelection.best(candidates, labels: labels, l2: trainer.l2)].halfLife
            halfLives[signal.id] = best
            guard best != signal.halfLife, let features = byHalfLife.first(where: { $0.halfLife == best })?.features else { continue }
            for index in chosen.indices {
                chosen[index].features[column] = features[Key(account: chosen[index].accountId, at: chosen[index].at)]?[column] ?? 0
            }
        }
        return (chosen, halfLives)
    }
}
