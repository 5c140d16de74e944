import Foundation
import SignalboxCore
import SignalboxLearning
import SignalboxPipeline
import SignalboxStore
import XCTest

/// The config `signalbox train --out` writes scores every account exactly as the fitted model does.
final class LearnedConfigTests: ScratchDirectoryTestCase {
    private static let day: TimeInterval = 86_400
    private static let snapshot = Date(timeIntervalSince1970: 1_793_491_200)   // 2026-11-01T00:00:00Z
    func testTheWrittenConfigLoadsAndScoresAsTheFittedModel() throws {
        let store = try SQLiteStore(path: directory + "/s.sqlite")
        let names = ["Project Created", "Pricing Viewed", "Teammate Invited", "Plan Limit Hit", "Report Created", "Billing Added"]
        var events: [Event] = []
        for index in 0..<240 {
            let workspace = "ws\(index % 12)"
            events.append(Event(
                messageId: "e\(index)", type: .track, userId: "u\(index % 12)-\(index % 3)", groupId: workspace,
                name: names[(index * 7 + index / 12) % names.count], timestamp: Self.snapshot.addingTimeInterval(-Double(index % 40) * Self.day / 2)
            ))
        }
        _ = try store.appendEvents(events, source: "web")
        let source = Preset.weighted.yaml
        let current = CompiledModel(try ConfigLoader.load(yaml: source, file: "signalbox.yaml"))
        let rows = try TrainingSnapshots(store: store, model: current, companies: [:]).rows(at: [Self.snapshot], outcomes: [], horizon: 30 * Self.day)
        XCTAssertEqual(rows.count, 12)

        let space = FeatureSpace(model: current)
        let weights = space.names.indices.map { column in
            space.nonPositive.contains(column) ? -0.7 : Double(column % 5 - 2) * 0.137
        }
        let model = LearnedModel(names: space.names, weights: weights, standardizedWeights: weights, intercept: -2.25, dropped: [])
        let learned = space.config(
            model, name: "weighted-learned", horizon: 30 * Self.day, fitTiers: ["A": 62.5, "B": 51, "C": 40.2, "D": 0], minimumFit: 44.5,
            pqlScore: 20, salesReadyScore: 45
        )
        let yaml = try learned.yaml(over: source, file: "signalbox.yaml", header: ["Learned for a test."])
        XCTAssertTrue(yaml.hasPrefix("# Learned for a test.\nname: weighted-learned\nscoring:\n  kind: logistic\n"), yaml)

        let loaded = try ConfigLoader.load(yaml: yaml, file: "learned.yaml")
        XCTAssertEqual(loaded.scoring, ScoringMode.logistic(LogisticScoring(intercept: -2.25, fitUnknown: weights.last!, horizon: 30 * Self.day)))
        XCTAssertTrue(loaded.signals.allSatisfy { $0.cap == nil }, "caps speak additive points")
        XCTAssertTrue(loaded.bands.isEmpty)
        XCTAssertEqual(loaded.stages, .thresholds(pql: StageThreshold(minimumScore: 20), salesReady: StageThreshold(minimumScore: 45)))
        // Routing is carried over (only the lines it sits on moved).
        XCTAssertEqual(loaded.routing.routes.map(\.id), current.config.routing.routes.map(\.id))
        XCTAssertEqual(loaded.routing.routes.map(\.conditions), current.config.routing.routes.map(\.conditions))
        XCTAssertEqual(loaded.routing.teams, current.config.routing.teams)
        XCTAssertEqual(loaded.routing.plays, current.config.routing.plays)
        XCTAssertEqual(loaded.fastLane.signals, current.config.fastLane.signals)
        XCTAssertEqual(loaded.fastLane.minimumFit, 44.5, "on the learned fit scale")
        XCTAssertTrue(loaded.routing.fitTiers.elementsEqual([("A", 62.5), ("B", 51), ("C", 40.2), ("D", 0)]) { $0 == $1 })
        XCTAssertEqual(loaded.exclusions, current.config.exclusions)

        let engine = try store.replay(model: CompiledModel(loaded), companies: [:], until: Self.snapshot)
        let totals = Dictionary(uniqueKeysWithValues: engine.scoreAll(asOf: Self.snapshot).map { ($0.accountId, $0.total) })
        for row in rows {
            XCTAssertEqual(totals[row.accountId] ?? -1, 100 * model.probability(row.features), accuracy: 0.051, row.accountId)
        }
        XCTAssertGreaterThan(Set(totals.values).count, 3, "the accounts score differently")
    }
}

/// Half-lives from the grid: each decaying signal's column comes from the replay with its chosen half-life.
final class HalfLifeGridTests: ScratchDirectoryTestCase {
    func testChosenColumnsComeFromTheReplayWithThatHalfLife() throws {
        let store = try SQLiteStore(path: directory + "/s.sqlite")
        let snapshot = Date(timeIntervalSince1970: 1_793_491_200)
        let day: TimeInterval = 86_400
        var events: [Event] = []
        var outcomes: [Outcome] = []
        for account in 0..<40 {
            let converts = account % 4 == 0
            // Converters looked at pricing days before each snapshot; the others weeks before.
            for week in 0..<4 {
                let before = converts ? 2.0 : 20.0
                events.append(Event(
                    messageId: "p\(account)-\(week)", type: .track, userId: "u\(account)", groupId: "ws\(account)", name: "Pricing Viewed",
                    timestamp: snapshot.addingTimeInterval(Double(week - 3) * 7 * day - before * day)
                ))
            }
            if converts { outcomes.append(Outcome(key: .workspace("ws\(account)"), convertedAt: snapshot.addingTimeInterval(3 * day))) }
        }
        _ = try store.appendEvents(events, source: "web")
        let yaml = """
        signals:
          pricing: { category: intent, event: Pricing Viewed, half_life: 60d, points: 5 }
        stages:
          pql: { score: 20 }
          sales_ready: { score: 50 }
        """
        let config = try ConfigLoader.load(yaml: yaml, file: "t.yaml")
        let snapshots = TrainingSnapshots(store: store, model: CompiledModel(config), companies: [:])
        let times = (0..<4).map { snapshot.addingTimeInterval(Double($0 - 3) * 7 * day) }
        let rows = try snapshots.rows(at: times, outcomes: outcomes, horizon: 30 * day)
        let chosen = try snapshots.rowsChoosingHalfLives(rows, at: times, outcomes: outcomes, horizon: 30 * day, grid: [3 * day], trainer: Trainer())
        XCTAssertEqual(chosen.halfLives, ["pricing": 3 * day], "recent pricing views tell converters apart; 60 days blurs them")

        var short = config
        short.signals[0].halfLife = 3 * day
        let expected = try TrainingSnapshots(store: store, model: CompiledModel(short), companies: [:]).rows(at: times, outcomes: outcomes, horizon: 30 * day)
        let byKey = Dictionary(uniqueKeysWithValues: expected.map { ("\($0.accountId)@\($0.at)", $0.features) })
        for row in chosen.rows { XCTAssertEqual(row.features, byKey["\(row.accountId)@\(row.at)"], row.accountId) }
    }
}
