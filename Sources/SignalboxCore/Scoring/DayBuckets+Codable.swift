/// Buckets are stored as one flat array of numbers, four per day (`day, count, amount,
/// decayedAtDayStart`): an account keeps hundreds of them, and an object per bucket made stored
/// state twice the size and slow to load.
extension DayBuckets {
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var buckets: [Bucket] = []
        if let count = container.count { buckets.reserveCapacity(count / 4) }
        while !container.isAtEnd {
            let day = try container.decode(Int32.self)
            buckets.append(Bucket(
                day: day, count: try container.decode(Double.self), amount: try container.decode(Double.self),
                decayedAtDayStart: try container.decode(Double.self)
            ))
        }
        guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.day < $1.day }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "day buckets are not in ascending day order"))
        }
        self.init()
        replace(with: buckets)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for bucket in buckets {
            try container.encode(bucket.day)
            try container.encode(bucket.count)
            try container.encode(bucket.amount)
            try container.encode(bucket.decayedAtDayStart)
        }
    }
}
