import Foundation
import SignalboxCore

/// Events around one moment, 2026-11-01T00:00:00Z, for tests that build a history in a store.
enum HistoryFixture {
    static let day: TimeInterval = 86_400
    static let t0 = Date(timeIntervalSince1970: 1_793_491_200)

    /// A track call `offset` seconds from ``t0``; without a workspace it counts for the user's.
    static func track(_ id: String, _ name: String, user: String, workspace: String?, at offset: TimeInterval) -> Event {
        Event(messageId: id, type: .track, userId: user, groupId: workspace, name: name, timestamp: t0.addingTimeInterval(offset))
    }

    /// A group call putting `user` in `workspace`, named `name`.
    static func group(_ id: String, user: String, workspace: String, name: String, at offset: TimeInterval) -> Event {
        Event(messageId: id, type: .group, userId: user, groupId: workspace, traits: ["name": .string(name)], timestamp: t0.addingTimeInterval(offset))
    }
}
