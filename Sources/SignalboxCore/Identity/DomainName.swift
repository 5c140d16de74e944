import Foundation

/// Normalizes and classifies company domains.
public enum DomainName {
    /// `https://www.Acme.com/about` → `acme.com`; `jane@acme.com` → `acme.com`; nil when nothing usable.
    public static func normalize(_ raw: String) -> String? {
        switch plainASCII(raw) {
        case .domain(let domain)?: return domain
        case .notADomain?: return nil
        case nil: break
        }
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        if let slash = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { text = String(text[..<slash]) }
        if let colon = text.firstIndex(of: ":") { text = String(text[..<colon]) }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        while text.hasSuffix(".") { text.removeLast() }
        guard text.contains("."), !text.hasPrefix("."), text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            return nil
        }
        return text
    }

    /// What ``plainASCII(_:)`` decided.
    private enum Plain {
        case domain(String)
        case notADomain
    }

    /// The common case without Unicode work: an address or domain already in lower-case ASCII
    /// letters, digits, `.`, `-` and one `@`, or an `http(s)://` address with such a host and no
    /// `@`, decided as `normalize` would. Nil when the text needs the full treatment.
    private static func plainASCII(_ raw: String) -> Plain? {
        var raw = raw
        return raw.withUTF8 { bytes in
            let scheme = bytes.starts(with: "https://".utf8) ? 8 : bytes.starts(with: "http://".utf8) ? 7 : 0
            var hostStart = scheme
            for offset in scheme..<bytes.count where !isPlainHostByte(bytes[offset]) {
                switch bytes[offset] {
                case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: ":"):
                    // In an address the host ends here; an `@` anywhere after it would make
                    // `normalize` start over.
                    guard scheme > 0, !bytes[offset...].contains(UInt8(ascii: "@")) else { return nil }
                    return plainDomain(UnsafeBufferPointer(rebasing: bytes[hostStart..<offset]))
                case UInt8(ascii: "@") where scheme == 0 && hostStart == 0:
                    hostStart = offset + 1
                default:
                    return nil
                }
            }
            return plainDomain(UnsafeBufferPointer(rebasing: bytes[hostStart...]))
        }
    }

    private static func isPlainHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"): true
        default: false
        }
    }

    /// A plain host without `www.` and trailing dots, when it still looks like a domain.
    private static func plainDomain(_ host: UnsafeBufferPointer<UInt8>) -> Plain {
        var text = host[...]
        if text.starts(with: "www.".utf8) { text = text.dropFirst(4) }
        while text.last == UInt8(ascii: ".") { text = text.dropLast() }
        guard text.contains(UInt8(ascii: ".")), text.first != UInt8(ascii: ".") else { return .notADomain }
        return .domain(String(decoding: text, as: UTF8.self))
    }

    /// The domain of an email address, when it has one.
    public static func ofEmail(_ email: String) -> String? {
        // Byte search: Foundation's `contains` on Linux goes through CFString, which costs
        // microseconds, and scoring asks for every member of every account.
        guard email.utf8.contains(UInt8(ascii: "@")) else { return nil }
        return normalize(email)
    }

    /// True for `acme.com` against `acme.com`, and for `eu.acme.com` against `acme.com`; both in
    /// lower case, compared byte by byte.
    public static func isSameOrSubdomain(_ domain: String, of parent: String) -> Bool {
        let (child, parent) = (domain.utf8, parent.utf8)
        guard child.count >= parent.count, child.reversed().starts(with: parent.reversed()) else { return false }
        return child.count == parent.count || child[child.index(child.endIndex, offsetBy: -parent.count - 1)] == UInt8(ascii: ".")
    }

    /// Universities and schools: `.edu`, `.edu.au`, `.ac.uk`, `.k12.ca.us` and the like.
    public static func isEducation(_ domain: String) -> Bool {
        domain.utf8.split(separator: UInt8(ascii: ".")).dropFirst().contains { label in
            label.elementsEqual("edu".utf8) || label.elementsEqual("ac".utf8) || label.elementsEqual("k12".utf8)
        }
    }
}
