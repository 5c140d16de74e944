import Foundation

/// Account state as stored: a compact binary record instead of JSON. A large import saves
/// thousands of states at once, and a state is mostly numbers (day buckets), which JSON spells out
/// digit by digit.
///
/// Layout: the format byte, then event count, first and last activity, pruned day, activity
/// buckets, the last active day and event count of each recent user, and each signal's state.
/// Counts, lengths and days are LEB128 varints (a day as the gap from the bucket before it). A
/// number is a varint of its zigzagged value shifted left by one when it is a whole number, else
/// the byte 1 and its IEEE-754 bits; most counts and amounts are whole. A time is a presence byte,
/// then the seconds since 1970 as IEEE-754 bits (little-endian).
extension AccountState {
    /// The first byte of a binary record; JSON records start with `{`.
    static let binaryFormat: UInt8 = 0xB1

    /// Reads the JSON records of earlier versions (dates as seconds since 1970).
    private static let jsonDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// The state as one binary record.
    public func binaryRecord() -> [UInt8] {
        var writer = BinaryWriter()
        writer.bytes.reserveCapacity(64 + activity.buckets.count * 28 + signals.count * 96 + users.count * 24)
        writer.byte(AccountState.binaryFormat)
        writer.int(Int64(eventCount))
        writer.time(firstActiveAt)
        writer.time(lastActiveAt)
        writer.byte(prunedOnDay == nil ? 0 : 1)
        writer.int(Int64(prunedOnDay ?? 0))
        writer.buckets(activity)
        // Days, then events: the two sections of the record's first layout.
        writer.count(users.count)
        for (user, activity) in users {
            writer.string(user)
            writer.int(Int64(activity.lastActiveDay))
        }
        writer.count(users.count)
        for (user, activity) in users {
            writer.string(user)
            writer.int(Int64(activity.events))
        }
        writer.count(signals.count)
        for (id, signal) in signals {
            writer.string(id)
            writer.number(signal.count)
            writer.number(signal.amount)
            writer.number(signal.decayed.amount)
            writer.time(signal.decayed.asOf)
            writer.time(signal.firstAt)
            writer.time(signal.lastAt)
            writer.buckets(signal.days)
        }
        return writer.bytes
    }

    /// A state from a record ``binaryRecord()`` wrote, or from the JSON records of earlier versions.
    public init(record: Data) throws {
        guard record.first == AccountState.binaryFormat else {
            self = try AccountState.jsonDecoder.decode(AccountState.self, from: record)
            return
        }
        var reader = BinaryReader(record)
        self.init()
        _ = try reader.byte()
        eventCount = Int(try reader.int())
        firstActiveAt = try reader.time()
        lastActiveAt = try reader.time()
        let pruned = try reader.byte() != 0
        let prunedDay = try reader.int32()
        prunedOnDay = pruned ? prunedDay : nil
        activity = try reader.buckets()
        for _ in 0..<(try reader.count()) {
            users[try reader.string()] = UserActivity(lastActiveDay: try reader.int32(), events: 0)
        }
        for _ in 0..<(try reader.count()) {
            users[try reader.string(), default: UserActivity(lastActiveDay: .min, events: 0)].events = Int(try reader.int())
        }
        for _ in 0..<(try reader.count()) {
            let id = try reader.string()
            var signal = SignalState()
            signal.count = try reader.number()
            signal.amount = try reader.number()
            let decayed = try reader.number()
            signal.decayed = DecayedSum(amount: decayed, asOf: try reader.time())
            signal.firstAt = try reader.time()
            signal.lastAt = try reader.time()
            signal.days = try reader.buckets()
            signals[id] = signal
        }
        guard reader.isAtEnd else { throw StateRecordError("\(reader.remaining) bytes follow the end of an account state") }
    }
}

/// A stored account state that cannot be read back.
public struct StateRecordError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Appends varints, numbers and length-prefixed strings.
private struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func int(_ value: Int64) { varint(zigzag(value)) }
    mutating func count(_ value: Int) { varint(UInt64(value)) }

    mutating func bits(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func number(_ value: Double) {
        if value == value.rounded(), abs(value) < 0x1p52, !(value == 0 && value.sign == .minus) {
            varint(zigzag(Int64(value)) << 1)
        } else {
            byte(1)
            bits(value)
        }
    }

    mutating func time(_ value: Date?) {
        guard let value else { return byte(0) }
        byte(1)
        bits(value.timeIntervalSince1970)
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func buckets(_ value: DayBuckets) {
        count(value.buckets.count)
        var previous: Int32 = 0
        for bucket in value.buckets {
            int(Int64(bucket.day) - Int64(previous))
            previous = bucket.day
            number(bucket.count)
            number(bucket.amount)
            number(bucket.decayedAtDayStart)
        }
    }
}

/// Reads what ``BinaryWriter`` wrote, failing on a record cut short.
private struct BinaryReader {
    private let data: Data
    private var offset: Int

    init(_ data: Data) {
        self.data = data
        offset = data.startIndex
    }

    var isAtEnd: Bool { offset == data.endIndex }
    var remaining: Int { data.endIndex - offset }

    private mutating func take(_ count: Int) throws -> Range<Int> {
        guard count >= 0, count <= remaining else {
            throw StateRecordError("an account state is cut short at byte \(offset - data.startIndex)")
        }
        defer { offset += count }
        return offset..<(offset + count)
    }

    mutating func byte() throws -> UInt8 {
        let range = try take(1)
        return data[range.lowerBound]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw StateRecordError("an account state has an overlong number at byte \(offset - data.startIndex)") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func int() throws -> Int64 { unzigzag(try varint()) }

    mutating func int32() throws -> Int32 {
        guard let value = Int32(exactly: try int()) else { throw StateRecordError("an account state has a day out of range") }
        return value
    }

    /// An element count or length, which must fit what is left of the record.
    mutating func count() throws -> Int {
        let count = try varint()
        guard count <= UInt64(remaining) else { throw StateRecordError("an account state is cut short at byte \(offset - data.startIndex)") }
        return Int(count)
    }

    mutating func bits() throws -> Double {
        let range = try take(8)
        var raw: UInt64 = 0
        for (shift, byte) in zip(stride(from: 0, to: 64, by: 8), data[range]) { raw |= UInt64(byte) << UInt64(shift) }
        return Double(bitPattern: raw)
    }

    mutating func number() throws -> Double {
        let raw = try varint()
        if raw == 1 { return try bits() }
        guard raw & 1 == 0 else { throw StateRecordError("an account state has an unknown number form at byte \(offset - data.startIndex)") }
        return Double(unzigzag(raw >> 1))
    }

    mutating func time() throws -> Date? {
        guard try byte() != 0 else { return nil }
        return Date(timeIntervalSince1970: try bits())
    }

    mutating func string() throws -> String {
        let range = try take(try count())
        return String(decoding: data[range], as: UTF8.self)
    }

    mutating func buckets() throws -> DayBuckets {
        var buckets: [DayBuckets.Bucket] = []
        let count = try count()
        buckets.reserveCapacity(count)
        var day: Int64 = 0
        for _ in 0..<count {
            day += try int()
            guard let stored = Int32(exactly: day) else { throw StateRecordError("an account state has a day out of range") }
            buckets.append(DayBuckets.Bucket(day: stored, count: try number(), amount: try number(), decayedAtDayStart: try number()))
        }
        guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.day < $1.day }) else {
            throw StateRecordError("an account state's day buckets are not in ascending day order")
        }
        var result = DayBuckets()
        result.replace(with: buckets)
        return result
    }
}

/// Small magnitudes of either sign as small unsigned numbers: 0, -1, 1, -2, … become 0, 1, 2, 3, …
private func zigzag(_ value: Int64) -> UInt64 {
    UInt64(bitPattern: (value << 1) ^ (value >> 63))
}

private func unzigzag(_ value: UInt64) -> Int64 {
    Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
}
