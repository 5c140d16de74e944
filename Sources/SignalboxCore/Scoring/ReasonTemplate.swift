/// A reason or talk-track template split once into text and `{name}` placeholders, so filling it
/// in for every account scored is concatenation, not a search through the template.
///
/// ```swift
/// let template = ReasonTemplate("Invited {count} teammates in {window}")
/// template.filled { $0 == "count" ? "5" : $0 == "window" ? "14 days" : nil } // "Invited 5 teammates in 14 days"
/// ```
struct ReasonTemplate: Sendable {
    private enum Piece: Sendable {
        case text(String)
        /// A placeholder's name, and the placeholder as written for when the name is unknown.
        case placeholder(name: String, written: String)
    }

    private let pieces: [Piece]

    init(_ template: String) {
        var pieces: [Piece] = []
        let bytes = template.utf8
        var rest = bytes.startIndex
        while let open = bytes[rest...].firstIndex(of: UInt8(ascii: "{")), let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
            if rest < open { pieces.append(.text(String(template[rest..<open]))) }
            pieces.append(.placeholder(name: String(template[bytes.index(after: open)..<close]), written: String(template[open...close])))
            rest = bytes.index(after: close)
        }
        if rest < bytes.endIndex { pieces.append(.text(String(template[rest...]))) }
        self.pieces = pieces
    }

    /// The template with each placeholder replaced by `value(name)`; unknown names stay as written.
    func filled(_ value: (String) -> String?) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case .text(let text): result += text
            case .placeholder(let name, let written): result += value(name) ?? written
            }
        }
        return result
    }
}
