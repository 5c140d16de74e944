import Foundation
import SignalboxCore
import SignalboxLearning
import XCTest

/// Suggested signals name only signals that exist and paste into `signals:` as a valid config.
final class SignalSuggestionsTests: XCTestCase {
    private let stats = LiftStats(convertersWith: 12, converters: 20, nonConvertersWith: 1, nonConverters: 40)

    func testACompoundReusesTheModelsSignalAndAddsAZeroPointSignalForANewEvent() throws {
        let config = try Preset.weighted.config()
        let pair = FeatureLift(features: [.event(ActivityName(name: "Teammate Invited")), .event(ActivityName(name: "Data Exported"))], stats: stats)
        let suggestions = SignalSuggestions(compounds: [pair], config: config, lookBack: 30 * 86_400)
        XCTAssertEqual(suggestions.events.map(\.id), ["data_exported"])
        XCTAssertEqual(suggestions.compounds.map(\.id), ["teammates_invited_and_data_exported"])
        XCTAssertEqual(suggestions.compounds[0].signals, ["teammates_invited", "data_exported"])
        // lift (13/22) / (2/42) = 12.4: log2 ≈ 3.6, rounded 4, × 5
        XCTAssertEqual(suggestions.compounds[0].points, 20)

        let pasted = try ConfigLoader.load(yaml: Self.pasting(suggestions.yaml, into: Preset.weighted.yaml), file: "signalbox.yaml")
        guard case .compound(let compound) = pasted.signal("teammates_invited_and_data_exported")?.kind else { return XCTFail("no compound") }
        XCTAssertEqual(compound.mode, .all)
        XCTAssertEqual(compound.conditions, [.init(signal: "teammates_invited", atLeast: 1), .init(signal: "data_exported", atLeast: 1)])
        XCTAssertEqual(pasted.signal("teammates_invited_and_data_exported")?.window, 30 * 86_400)
        XCTAssertEqual(pasted.signal("data_exported")?.points, 0)
    }

    func testAPropertyValueBecomesAFilteredSignalInTheCategoryOfItsEvent() throws {
        let config = try Preset.weighted.config()
        let limit = DiscoveryFeature.property(ActivityName(name: "Plan Limit Hit"), key: "limit", value: "rows")
        let pair = FeatureLift(features: [limit, .event(ActivityName(name: "Pricing", page: true))], stats: stats)
        let suggestions = SignalSuggestions(compounds: [pair], config: config, lookBack: 14 * 86_400)
        XCTAssertEqual(suggestions.events.map(\.id), ["plan_limit_hit_limit_rows"])
        XCTAssertEqual(suggestions.events[0].category, .intent, "plan_limit_hit, which counts the whole event, is an intent signal")
        XCTAssertEqual(suggestions.compounds.map(\.signals), [["plan_limit_hit_limit_rows", "pricing_viewed"]])

        let pasted = try ConfigLoader.load(yaml: Self.pasting(suggestions.yaml, into: Preset.weighted.yaml), file: "signalbox.yaml")
        guard case .event(let match) = pasted.signal("plan_limit_hit_limit_rows")?.kind else { return XCTFail("no event signal") }
        XCTAssertEqual(match.filters, [PropertyFilter(field: "limit", test: .equals("rows"))])
    }

    func testWithoutCompoundsTheYAMLSaysSo() throws {
        let suggestions = SignalSuggestions(compounds: [], config: try Preset.weighted.config(), lookBack: 30 * 86_400)
        XCTAssertTrue(suggestions.yaml.hasPrefix("# No pair"))
    }

    /// The config with `yaml` inserted right under `signals:`, as a user pastes it.
    private static func pasting(_ yaml: String, into config: String) -> String {
        config.replacingOccurrences(of: "\nsignals:\n", with: "\nsignals:\n" + yaml)
    }
}
