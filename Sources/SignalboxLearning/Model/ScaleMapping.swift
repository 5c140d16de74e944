import Foundation

/// Carries thresholds from one score scale to another by share: a threshold on the old scale
/// becomes the value on the new scale that as many accounts reach. A learned model's fit is a
/// probability-like 0…100, not the sum of points fit tiers were drawn on; mapped this way, tier A
/// still holds the same share of accounts.
public enum ScaleMapping {
    /// `thresholds` (old scale) mapped onto the new one, from paired old and new values of the same
    /// accounts; nil when there are no values to compare.
    public static func byShare(_ thresholds: [Double], old: [Double], new: [Double]) -> [Double]? {
        guard !old.isEmpty, !new.isEmpty else { return nil }
        let sortedNew = new.sorted(by: >)
        return thresholds.map { threshold in
            let reaching = old.filter { $0 >= threshold }.count
            let share = Double(reaching) / Double(old.count)
            let rank = Int((share * Double(sortedNew.count)).rounded())
            if rank <= 0 { return ((sortedNew[0] + 0.05) * 10).rounded(.up) / 10 }
            if rank >= sortedNew.count { return 0 }
            // Between the last value in and the first value out, rounded to a tenth.
            return ((sortedNew[rank - 1] + sortedNew[rank]) / 2 * 10).rounded() / 10
        }
    }
}
