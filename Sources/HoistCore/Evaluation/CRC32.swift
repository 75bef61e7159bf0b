/// CRC-32/IEEE (the zlib, PNG and Ethernet CRC; Go's `crc32.ChecksumIEEE`): reflected polynomial
/// 0xEDB88320, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF. Check value: `checksum("123456789") == 0xCBF43926`.
///
/// Flipt buckets entities with this hash, so it must match bit for bit.
public enum CRC32 {
    /// The 256-entry lookup table for the reflected polynomial.
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The running register before any byte is fed (already inverted).
    static let initialRegister: UInt32 = 0xFFFF_FFFF

    /// CRC-32 of a byte sequence.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var register = initialRegister
        table.withUnsafeBufferPointer { table in
            let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                register = update(register, buffer, table)
            }
            if contiguous == nil {
                for byte in bytes { register = step(register, byte, table) }
            }
        }
        return ~register
    }

    /// CRC-32 of the UTF-8 bytes of `text`.
    public static func checksum(_ text: String) -> UInt32 {
        checksum(text, "")
    }

    /// CRC-32 of the UTF-8 bytes of `first` immediately followed by those of `second`, without
    /// building the concatenated string.
    public static func checksum(_ first: String, _ second: String) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var register = feed(initialRegister, first, table)
            register = feed(register, second, table)
            return ~register
        }
    }

    @inline(__always)
    static func feed(_ register: UInt32, _ text: String, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        if let result = text.utf8.withContiguousStorageIfAvailable({ update(register, $0, table) }) {
            return result
        }
        var register = register
        for byte in text.utf8 { register = step(register, byte, table) }
        return register
    }

    @inline(__always)
    static func update(_ register: UInt32, _ bytes: UnsafeBufferPointer<UInt8>,
                       _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        var register = register
        for byte in bytes { register = step(register, byte, table) }
        return register
    }

    @inline(__always)
    static func step(_ register: UInt32, _ byte: UInt8, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        table[Int(UInt8(truncatingIfNeeded: register) ^ byte)] ^ (register >> 8)
    }
}
