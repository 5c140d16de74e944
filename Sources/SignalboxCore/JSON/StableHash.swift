/// FNV-1a: a small hash that is the same on every machine and every run, unlike `Hasher`, so it can
/// name things that are stored (event keys, derived message ids, state fingerprints).
public struct StableHash {
    public private(set) var value: UInt64

    /// FNV-1a's standard start; another `basis` gives an unrelated hash of the same input.
    public init(basis: UInt64 = 0xcbf2_9ce4_8422_2325) {
        value = basis
    }

    /// The value passed through a 64-bit finalizer (MurmurHash3's), so every input bit moves every output bit.
    public var mixed: UInt64 {
        var mixed = value
        mixed ^= mixed >> 33
        mixed &*= 0xff51_afd7_ed55_8ccd
        mixed ^= mixed >> 33
        mixed &*= 0xc4ce_b9fe_1a85_ec53
        mixed ^= mixed >> 33
        return mixed
    }

    /// Mixes in a string's UTF-8 bytes.
    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
    }

    /// Mixes `bytes` into two hashes at once: their multiply chains are independent, so reading the
    /// bytes once for both takes about the time of one.
    public static func combine(_ bytes: UnsafeRawBufferPointer, into first: inout StableHash, and second: inout StableHash) {
        var one = first.value
        var two = second.value
        for byte in bytes {
            one = (one ^ UInt64(byte)) &* 0x100_0000_01b3
            two = (two ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        first.value = one
        second.value = two
    }

    /// Mixes in one byte (used as a separator so "ab"+"c" differs from "a"+"bc").
    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    /// The hash of one string.
    public static func of(_ text: String) -> UInt64 {
        var hash = StableHash()
        hash.combine(text)
        return hash.value
    }
}
