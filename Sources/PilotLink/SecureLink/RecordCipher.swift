import Crypto

/// Seals and opens the records of an established link with
/// ChaCha20-Poly1305: one key per direction, the nonce a per-direction
/// counter, so a record replayed, dropped or reordered fails to open.
package struct RecordCipher: Sendable {
    private let sendingKey: SymmetricKey
    private let receivingKey: SymmetricKey
    private var sent: UInt64 = 0
    private var received: UInt64 = 0
    /// Bytes a sealed record adds to its plaintext (the tag).
    package static let overhead = 16

    init(sending: SymmetricKey, receiving: SymmetricKey) {
        sendingKey = sending
        receivingKey = receiving
    }

    private static func nonce(_ counter: UInt64) -> ChaChaPoly.Nonce? {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[4 + index] = UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64(index))) }
        return try? ChaChaPoly.Nonce(data: bytes)
    }

    /// The record for `plaintext`: ciphertext then tag.
    package mutating func seal(_ plaintext: [UInt8]) throws(SecureLinkError) -> [UInt8] {
        guard let nonce = Self.nonce(sent), let box = try? ChaChaPoly.seal(plaintext, using: sendingKey, nonce: nonce) else {
            throw .badRecord
        }
        sent += 1
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// The plaintext of the next record, or `badRecord` if it does not
    /// authenticate as the next one.
    package mutating func open(_ record: [UInt8]) throws(SecureLinkError) -> [UInt8] {
        guard record.count >= Self.overhead, let nonce = Self.nonce(received),
              let box = try? ChaChaPoly.SealedBox(nonce: nonce, ciphertext: record.dropLast(Self.overhead), tag: record.suffix(Self.overhead)),
              let plaintext = try? ChaChaPoly.open(box, using: receivingKey) else {
            throw .badRecord
        }
        received += 1
        return Array(plaintext)
    }
}
