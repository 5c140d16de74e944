/// A problem in `signalbox.yaml`, naming the file, the line and the key.
///
/// Prints as `signalbox.yaml:14: signals.invite_sent.points: must be a number, got "ten"`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when the problem is tied to one.
    public var line: Int?
    /// Dotted path of the key (`signals.invite_sent.points`).
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
    }
}
