import Foundation
import Yams

/// A YAML node that knows its path and line, so every read can fail with a precise ``ConfigError``.
struct YAMLNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, key: path, message: message)
    }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The entries of a mapping, in file order.
    func entries() throws(ConfigError) -> [(key: String, value: YAMLNode)] {
        guard case .mapping(let mapping) = node else { throw error("must be a mapping of keys to values") }
        var seen = Set<String>()
        var result: [(String, YAMLNode)] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            let child = YAMLNode(node: value, path: childPath(name), file: file)
            guard seen.insert(name).inserted else {
                throw ConfigError(file: file, line: key.mark?.line, key: childPath(name), message: "appears twice")
            }
            result.append((name, child))
        }
        return result
    }

    /// Rejects keys outside `allowed`, suggesting the closest one for typos.
    func requireKeys(in allowed: [String]) throws(ConfigError) {
        for (key, value) in try entries() where !allowed.contains(key) {
            let suggestion = allowed.min { YAMLNode.distance(key, $0) < YAMLNode.distance(key, $1) }
            let hint = suggestion.map { YAMLNode.distance(key, $0) <= 3 ? " (did you mean \"\($0)\"?)" : "" } ?? ""
            throw value.error("unknown key\(hint); expected one of \(allowed.joined(separator: ", "))")
        }
    }

    subscript(key: String) -> YAMLNode? {
        guard case .mapping = node, let value = node[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" { return nil }
        return YAMLNode(node: value, path: childPath(key), file: file)
    }

    func items() throws(ConfigError) -> [YAMLNode] {
        guard case .sequence(let sequence) = node else { throw error("must be a list") }
        return sequence.enumerated().map { YAMLNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error("must be a single value") }
        return scalar.string
    }

    func strings() throws(ConfigError) -> [String] {
        if case .scalar = node { return [try string()] }
        var result: [String] = []
        for item in try items() { result.append(try item.string()) }
        return result
    }

    func number() throws(ConfigError) -> Double {
        let text = try string()
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("must be a number, got \"\(text)\"")
        }
        return value
    }

    func bool() throws(ConfigError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error("must be true or false, got \"\(other)\"")
        }
    }

    /// `30m`, `12h`, `14d`, `2w`, or a bare number of days.
    func duration() throws(ConfigError) -> TimeInterval {
        let text = try string()
        guard let seconds = DurationText.seconds(text) else {
            throw error("must be a duration such as 12h, 14d or 2w, got \"\(text)\"")
        }
        return seconds
    }

    func choice<T: RawRepresentable>(_ type: T.Type) throws(ConfigError) -> T where T.RawValue == String, T: CaseIterable {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw error("must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return value
    }

    /// Levenshtein distance, for "did you mean" hints.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
