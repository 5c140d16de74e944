/// Reads whole-number query parameters (`limit`, `offset`, `after`) with a clear 400 when out of range.
enum QueryNumber {
    static func read(_ text: Substring?, name: String, default value: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .badRequest("invalid_parameter", "\(name) must be a whole number from \(range.lowerBound)\(range.upperBound == .max ? " up" : " to \(range.upperBound)")")
        }
        return number
    }
}
