import Synchronization

/// UUID texts for ids, made without a system call each: a counter spread
/// over the first 60 free bits by a bijection (so no two ids of a process
/// collide, and ids differ from their first digit), then 62 random bits
/// drawn once per process. Ids name objects; they are not secrets (tokens are).
enum UniqueUUIDs {
    private static let counter = Atomic<UInt64>(0)
    private static let processBits = UInt64.random(in: .min ... .max)
    private static let mask = UInt64.random(in: .min ... .max)
    /// An odd multiplier: multiplication by it is a bijection modulo 2^60.
    private static let spread: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The next UUID text, lowercase, `xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx`.
    static func next() -> String {
        let count = counter.add(1, ordering: .relaxed).newValue
        let spreadCount = ((count &* spread) ^ mask) & ((1 << 60) - 1)
        // Version 4 in bits 12...15 of the high half; variant 0b10 on top of the low half.
        let high = ((spreadCount >> 12) << 16) | (0x4 << 12) | (spreadCount & 0xFFF)
        let low = (processBits >> 2) | (0b10 << 62)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func put(_ value: UInt64, digits: Int) {
                for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                    let nibble = UInt8((value >> UInt64(shift)) & 0xF)
                    buffer[position] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                    position += 1
                }
            }
            func dash() {
                buffer[position] = 0x2D
                position += 1
            }
            put(high >> 32, digits: 8)
            dash()
            put((high >> 16) & 0xFFFF, digits: 4)
            dash()
            put(high & 0xFFFF, digits: 4)
            dash()
            put(low >> 48, digits: 4)
            dash()
            put(low & 0xFFFF_FFFF_FFFF, digits: 12)
            return position
        }
    }
}
