/// Which members of a message's `properties` an ``EventDecoder`` builds. Scoring reads only the
/// properties its signals filter on or sum, so a bulk import builds just those and only checks that
/// the rest is valid JSON.
public struct PropertySelection: Sendable {
    /// Names wanted, as UTF-8; nil for every member.
    private let names: [[UInt8]]?

    /// Every member, as received: for anything that keeps or shows an event's properties.
    public static let all = PropertySelection(names: nil)

    /// Only the members named `names`.
    public static func only(_ names: some Sequence<String>) -> PropertySelection {
        PropertySelection(names: Set(names).sorted().map { Array($0.utf8) })
    }

    /// The same selection in storage of its own. Decoding consults the names for every message,
    /// counting references to them as it goes: threads that decode at once each use their own
    /// copy, so those counts are not contended between cores.
    public func unshared() -> PropertySelection {
        PropertySelection(names: names.map { names in names.map { name in name.map { $0 } } })
    }

    /// Whether every member is built.
    var isAll: Bool { names == nil }

    /// Whether the member whose key is `key` is built.
    func wants(_ key: UnsafeRawBufferPointer) -> Bool {
        guard let names else { return true }
        return names.contains { $0.isSame(as: key) }
    }
}
