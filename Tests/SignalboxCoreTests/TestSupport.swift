import Foundation
@testable import SignalboxCore

/// A fixed moment tests score at: 2026-11-01T00:00:00Z.
let referenceDate = Date(timeIntervalSince1970: 1_793_491_200)
let day: TimeInterval = 86_400

func daysBefore(_ days: Double, _ date: Date = referenceDate) -> Date {
    date.addingTimeInterval(-days * day)
}

/// A unique message id per call.
private func nextMessageId() -> String { "m-" + UUID().uuidString }

/// A track event with a fresh message id.
func track(_ name: String, user: String = "u1", group: String? = "ws1", at time: Date, properties: [String: JSONValue] = [:]) -> Event {
    return Event(messageId: nextMessageId(), type: .track, userId: user, groupId: group, name: name, properties: properties, timestamp: time)
}

func identify(_ user: String, anonymousId: String? = nil, email: String? = nil, traits: [String: JSONValue] = [:], at time: Date = daysBefore(60)) -> Event {
    var all = traits
    if let email { all["email"] = .string(email) }
    return Event(messageId: nextMessageId(), type: .identify, userId: user, anonymousId: anonymousId, traits: all, timestamp: time)
}

func group(_ user: String, _ workspace: String, traits: [String: JSONValue] = [:], at time: Date = daysBefore(60)) -> Event {
    return Event(messageId: nextMessageId(), type: .group, userId: user, groupId: workspace, traits: traits, timestamp: time)
}

func config(_ yaml: String) throws -> ModelConfig {
    try ConfigLoader.load(yaml: yaml, file: "test.yaml")
}

/// The minimal stage section most scoring tests need.
let simpleStages = """
stages:
  pql: { score: 30 }
  sales_ready: { score: 60, gates: { fit: 50, value: 40 } }
"""
