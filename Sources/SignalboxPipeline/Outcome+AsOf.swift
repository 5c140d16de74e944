import Foundation
import SignalboxCore

extension Outcome {
    /// The outcome as it was known at `asOf`: a conversion or loss after it has not happened yet.
    func known(asOf: Date) -> Outcome {
        var outcome = self
        if let converted = convertedAt, converted > asOf { outcome.convertedAt = nil }
        if let lost = lostAt, lost > asOf { outcome.lostAt = nil }
        return outcome
    }
}
