import Foundation

/// Per-day totals for rolling windows, bounded to the longest window that reads them.
///
/// Days are UTC calendar days. "In the last 14 days" at an as-of time means the as-of day and the
/// 13 days before it, so a window's edge never splits a day.
public struct DayBuckets: Sendable, Equatable, Codable {
    /// One UTC day's totals for a signal.
    public struct Bucket: Sendable, Equatable {
        public var day: Int32
        /// Occurrences that day.
        public var count: Double
        /// Sum of the measured property that day (equals `count` for plain occurrences).
        public var amount: Double
        /// `Σ amount · 2^((t − dayStart) / halfLife)`: lets a window be read with exact decay.
        public var decayedAtDayStart: Double
    }

    /// Buckets in ascending day order.
    public private(set) var buckets: [Bucket] = []

    public init() {}

    /// The UTC day number of a time (days since 1970-01-01).
    public static func day(of time: Date) -> Int32 {
        Int32((time.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Adds an occurrence with `amount`, then drops days older than `horizonDays` before the newest day.
    public mutating func add(amount: Double, at time: Date, halfLife: TimeInterval?, horizonDays: Int) {
        let day = DayBuckets.day(of: time)
        let dayStart = Double(day) * 86_400
        let decayed = halfLife.map { amount * exp2((time.timeIntervalSince1970 - dayStart) / $0) } ?? amount
        // Most events land on the newest day: update it in place, with nothing to search or prune.
        if let newest = buckets.indices.last, buckets[newest].day == day {
            buckets[newest].count += 1
            buckets[newest].amount += amount
            buckets[newest].decayedAtDayStart += decayed
            return
        }
        let index = buckets.partitionPoint { $0.day < day }
        if index < buckets.count, buckets[index].day == day {
            buckets[index].count += 1
            buckets[index].amount += amount
            buckets[index].decayedAtDayStart += decayed
        } else {
            buckets.insert(Bucket(day: day, count: 1, amount: amount, decayedAtDayStart: decayed), at: index)
        }
        if let newest = buckets.last?.day {
            let oldestKept = newest - Int32(horizonDays) + 1
            if let first = buckets.first, first.day < oldestKept {
                buckets.removeFirst(buckets.partitionPoint { $0.day < oldestKept })
            }
        }
    }

    mutating func replace(with sorted: [Bucket]) {
        buckets = sorted
    }

    /// The buckets inside the `windowDays` days ending on the as-of day.
    public func inWindow(asOf: Date, windowDays: Int) -> ArraySlice<Bucket> {
        let last = DayBuckets.day(of: asOf)
        let first = last - Int32(windowDays) + 1
        let lower = buckets.partitionPoint { $0.day < first }
        let upper = buckets.partitionPoint { $0.day <= last }
        return buckets[lower..<upper]
    }

    /// Days with at least one occurrence inside the window.
    public func activeDays(asOf: Date, windowDays: Int) -> Int {
        inWindow(asOf: asOf, windowDays: windowDays).count
    }

    /// Occurrences inside the window.
    public func count(asOf: Date, windowDays: Int) -> Double {
        inWindow(asOf: asOf, windowDays: windowDays).reduce(0) { $0 + $1.count }
    }

    /// Summed amount inside the window.
    public func amount(asOf: Date, windowDays: Int) -> Double {
        inWindow(asOf: asOf, windowDays: windowDays).reduce(0) { $0 + $1.amount }
    }

    /// Decayed amount inside the window, read at `asOf`.
    public func decayedAmount(asOf: Date, windowDays: Int, halfLife: TimeInterval) -> Double {
        inWindow(asOf: asOf, windowDays: windowDays).reduce(0) { total, bucket in
            let dayStart = Double(bucket.day) * 86_400
            return total + bucket.decayedAtDayStart * exp2(-(asOf.timeIntervalSince1970 - dayStart) / halfLife)
        }
    }
}

extension Array {
    /// The first index whose element fails `belongsBefore` (the array must be partitioned by it).
    func partitionPoint(_ belongsBefore: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongsBefore(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
