import Foundation

/// How a feature splits converters from non-converters: its support in each group, its lift and
/// the conversion rate with and without it.
///
/// Lift is the rate among converters over the rate among non-converters, each with add-one
/// (Laplace) smoothing, `((c + 1) / (C + 2)) / ((n + 1) / (N + 2))`, so a feature seen in 2 of 20
/// converters and 0 of 500 others scores about 18, not infinity.
public struct LiftStats: Sendable, Equatable, Codable {
    /// Converters that show the feature, and converters in all.
    public var convertersWith: Int
    public var converters: Int
    /// Non-converters that show the feature, and non-converters in all.
    public var nonConvertersWith: Int
    public var nonConverters: Int

    public init(convertersWith: Int, converters: Int, nonConvertersWith: Int, nonConverters: Int) {
        self.convertersWith = convertersWith
        self.converters = converters
        self.nonConvertersWith = nonConvertersWith
        self.nonConverters = nonConverters
    }

    /// Counts the samples for which `has` holds.
    public init(_ samples: [DiscoverySample], where has: (DiscoverySample) -> Bool) {
        var counts = (convertersWith: 0, converters: 0, nonConvertersWith: 0, nonConverters: 0)
        for sample in samples {
            let present = has(sample)
            if sample.converted {
                counts.converters += 1
                if present { counts.convertersWith += 1 }
            } else {
                counts.nonConverters += 1
                if present { counts.nonConvertersWith += 1 }
            }
        }
        self.init(convertersWith: counts.convertersWith, converters: counts.converters, nonConvertersWith: counts.nonConvertersWith, nonConverters: counts.nonConverters)
    }

    /// Smoothed rate among converters over smoothed rate among non-converters.
    public var lift: Double {
        let converting = (Double(convertersWith) + 1) / (Double(converters) + 2)
        let other = (Double(nonConvertersWith) + 1) / (Double(nonConverters) + 2)
        return converting / other
    }

    /// Share of the accounts with the feature that converted; nil when none has it.
    public var conversionRateWith: Double? {
        Self.rate(convertersWith, of: convertersWith + nonConvertersWith)
    }

    /// Share of the accounts without the feature that converted; nil when every account has it.
    public var conversionRateWithout: Double? {
        Self.rate(converters - convertersWith, of: converters - convertersWith + nonConverters - nonConvertersWith)
    }

    private static func rate(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }
}
