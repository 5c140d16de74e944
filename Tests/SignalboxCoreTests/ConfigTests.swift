import XCTest
@testable import SignalboxCore

final class ConfigTests: XCTestCase {
    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "signalbox.yaml")
            return nil
        } catch {
            return error
        }
    }

    func testBadNumberNamesFileLineAndKey() {
        let found = error("""
        signals:
          invites:
            category: value
            event: Teammate Invited
            points: ten
        stages:
          pql: { score: 30 }
          sales_ready: { score: 60 }
        """)
        XCTAssertEqual(found?.description, "signalbox.yaml:5: signals.invites.points: must be a number, got \"ten\"")
    }

    func testUnknownKeySuggestsTheClosestOne() {
        let found = error("""
        signals:
          invites:
            category: value
            event: Teammate Invited
            pionts: 5
        """)
        XCTAssertEqual(found?.line, 5)
        XCTAssertEqual(found?.key, "signals.invites.pionts")
        XCTAssertTrue(found?.message.contains("did you mean \"points\"") ?? false, found?.description ?? "")
    }

    func testCompoundReferencingAnUnknownSignalIsRejected() {
        let found = error("""
        signals:
          projects: { category: value, event: Project Created, points: 1 }
          team:
            category: value
            all: { projects: 3, invitez: 2 }
            points: 10
        stages:
          pql: { score: 30 }
          sales_ready: { score: 60 }
        """)
        XCTAssertEqual(found?.key, "signals.team.all.invitez")
        XCTAssertEqual(found?.line, 5)
        XCTAssertEqual(found?.message, "refers to unknown signal \"invitez\"")
    }

    func testSignalNeedsExactlyOneShape() {
        XCTAssertEqual(error("""
        signals:
          odd: { category: value, event: A, metric: active_days, window: 7d, points: 1 }
        """)?.message, "has event and metric; a signal is exactly one of event, page, metric, all or any")
        XCTAssertEqual(error("""
        signals:
          habit: { category: value, metric: active_days, points: 1 }
        """)?.message, "metric active_days needs a window, such as 14d")
    }

    func testDurationsAndChoicesAreValidated() {
        XCTAssertEqual(error("""
        signals:
          a: { category: value, event: A, points: 1, half_life: soon }
        """)?.message, "must be a duration such as 12h, 14d or 2w, got \"soon\"")
        XCTAssertEqual(error("""
        signals:
          a: { category: warm, event: A, points: 1 }
        """)?.message, "must be one of value, intent, negative, got \"warm\"")
    }

    func testStageThresholdsMustBeOrdered() {
        let found = error("""
        signals:
          a: { category: value, event: A, points: 1 }
        stages:
          pql: { score: 70 }
          sales_ready: { score: 50 }
        """)
        XCTAssertEqual(found?.line, 5)
        XCTAssertEqual(found?.message, "score 50.0 is below the pql score 70.0")
    }

    func testYAMLSyntaxErrorsCarryTheirLine() {
        let found = error("signals:\n  a: { category: value\n  b: [")
        XCTAssertNotNil(found?.line)
        XCTAssertTrue(found?.message.hasPrefix("YAML syntax error") ?? false)
    }

    func testNegativeSignalsAlwaysSubtractAndDurationsParse() throws {
        let model = try ConfigLoader.load(yaml: """
        signals:
          quiet: { category: negative, metric: days_since_last_active, at_least: 14, points: 25 }
          pricing: { category: intent, page: Pricing, window: 2w, half_life: 36h, points: 5 }
        stages:
          pql: { score: 30 }
          sales_ready: { score: 60 }
        """, file: "x")
        XCTAssertEqual(model.signal("quiet")?.points, -25)
        XCTAssertEqual(model.signal("quiet")?.axis, .value)
        XCTAssertEqual(model.signal("pricing")?.window, 14 * 86_400)
        XCTAssertEqual(model.signal("pricing")?.halfLife, 36 * 3_600)
    }

    func testServerSectionNamesSecretsByVariableAndIsValidated() throws {
        let base = """
        signals:
          invites: { category: value, event: Teammate Invited, points: 5 }
        stages:
          pql: { score: 30 }
          sales_ready: { score: 60 }

        """
        let config = try ConfigLoader.load(yaml: base + """
        server:
          host: 0.0.0.0
          port: 9090
          reevaluate_every: 10m
          sources:
            web_app: { write_key_env: WEB_KEY }
            backend: { write_key_env: BACKEND_KEY }
        """, file: "signalbox.yaml")
        XCTAssertEqual(config.server.port, 9090)
        XCTAssertEqual(config.server.reevaluateEvery, 600)
        XCTAssertEqual(config.server.sources.map(\.name), ["web_app", "backend"])
        XCTAssertEqual(config.server.sources.map(\.writeKeyVariable), ["WEB_KEY", "BACKEND_KEY"])
        XCTAssertEqual(config.server.maxRequestBytes, 4 * 1024 * 1024)
        func loadError(_ yaml: String) -> ConfigError? {
            do {
                _ = try ConfigLoader.load(yaml: yaml, file: "signalbox.yaml")
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(
            loadError(base + "server:\n  port: 70000\n")?.description,
            "signalbox.yaml:7: server.port: must be a whole number from 1 to 65535"
        )
        XCTAssertEqual(
            loadError(base + "server:\n  sources:\n    web: { write_key: abc }\n")?.description,
            "signalbox.yaml:8: server.sources.web.write_key: unknown key; expected one of write_key_env"
        )
    }
}

final class StateFingerprintTests: XCTestCase {
    private let base = """
    signals:
      invites: { category: value, event: Teammate Invited, window: 14d, points: 5 }
    stages:
      pql: { score: 30 }
      sales_ready: { score: 60 }
    """

    private func fingerprint(_ yaml: String) throws -> String {
        CompiledModel(try ConfigLoader.load(yaml: yaml, file: "x")).stateFingerprint
    }

    func testPointsThresholdsAndLayoutDoNotChangeIt() throws {
        let original = try fingerprint(base)
        let edited = "# a comment\n" + base.replacingOccurrences(of: "points: 5", with: "points: 9, reason: \"Invited {count}\"")
            .replacingOccurrences(of: "score: 60", with: "score: 70")
        XCTAssertEqual(try fingerprint(edited), original)
    }

    func testWhatShapesStateChangesIt() throws {
        let original = try fingerprint(base)
        XCTAssertNotEqual(try fingerprint(base.replacingOccurrences(of: "window: 14d", with: "window: 30d")), original)
        XCTAssertNotEqual(try fingerprint(base.replacingOccurrences(of: "event: Teammate Invited", with: "event: Invite Sent")), original)
        XCTAssertNotEqual(try fingerprint(base.replacingOccurrences(of: "points: 5", with: "points: 5, half_life: 7d")), original)
    }

}
