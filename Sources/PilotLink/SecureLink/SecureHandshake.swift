import Crypto

/// The handshake that opens a network link (`SecureLinkHandler` drives it
/// over the socket; this type holds only the cryptography, so it is tested
/// without one).
///
/// Both ends hold a pre-shared key for the initiator's role (`LinkKey`);
/// each sends a fresh X25519 public key and nonce:
///
///     initiator -> responder   hello:   magic, role, ephemeral key, nonce   (73 bytes)
///     responder -> initiator   reply:   0, ephemeral key, nonce, proof      (97 bytes)
///                                       or 1, length, refusal text
///     initiator -> responder   finish:  proof                               (32 bytes)
///     responder -> initiator   verdict: 0, or 1, length, refusal text
///
/// A proof is HMAC-SHA256 under the role's key of a role label and the
/// transcript (hello and the responder's key and nonce), so each side
/// proves it holds the key, and a recorded handshake proves nothing on a
/// new link (the other side's nonce and key are new). The record keys come
/// from HKDF over the X25519 secret, salted with the pre-shared key: a
/// peer without the key cannot compute them even as a man in the middle,
/// and a key that leaks later does not open recorded links (the ephemeral
/// keys are gone). This is the shape of Noise's NNpsk0 pattern and of
/// HyperQueue's secret-key link, built from swift-crypto's primitives.
package enum SecureHandshake {
    /// The first bytes of every hello: names the protocol and its version.
    package static let magic = Array("PILOTLK1".utf8)
    /// Bytes in a hello.
    package static let helloSize = magic.count + 1 + 32 + 32
    /// Bytes in a reply that accepts (after its status byte).
    package static let replySize = 32 + 32 + 32
    /// Bytes in a finish.
    package static let finishSize = 32
    /// The longest refusal text sent.
    package static let maximumRefusal = 1024

    /// A refusal message: status 1, a two-byte length, the text (cut to `maximumRefusal` bytes).
    package static func refusal(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8.prefix(maximumRefusal))
        return [1, UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes
    }

    fileprivate static func proof(_ label: String, key: LinkKey, transcript: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(label.utf8) + transcript, using: key.key))
    }

    fileprivate static func verify(_ offered: some Collection<UInt8>, _ label: String, key: LinkKey, transcript: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(Array(offered), authenticating: Array(label.utf8) + transcript, using: key.key)
    }

    fileprivate static func recordKeys(
        ours: Curve25519.KeyAgreement.PrivateKey, theirs: [UInt8], key: LinkKey, transcript: [UInt8]
    ) throws(SecureLinkError) -> (initiatorToResponder: SymmetricKey, responderToInitiator: SymmetricKey) {
        do {
            let shared = try ours.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: theirs))
            // A low-order key gives the all-zero secret (RFC 7748, section 6.1): no secrecy from the exchange.
            guard shared.withUnsafeBytes({ $0.contains { $0 != 0 } }) else { throw SecureLinkError.malformed("the peer's key exchange value is a low-order point") }
            let salt = key.key.withUnsafeBytes { Array($0) }
            let material = shared.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: salt, sharedInfo: Array(SHA256.hash(data: transcript)) + Array("pilot link records".utf8),
                outputByteCount: 64)
            let bytes = material.withUnsafeBytes { Array($0) }
            return (SymmetricKey(data: bytes[0..<32]), SymmetricKey(data: bytes[32..<64]))
        } catch let error as SecureLinkError {
            throw error
        } catch {
            throw .malformed("the peer's key exchange value is not a valid X25519 key")
        }
    }

    fileprivate static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The initiator's side: sends `hello`, checks the reply and answers it.
    package struct Initiator: Sendable {
        private let key: LinkKey
        private let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        /// The first message, to send at once.
        package let hello: [UInt8]

        /// Starts a handshake proving `key`.
        package init(key: LinkKey) {
            self.key = key
            hello = SecureHandshake.magic + [key.role.rawValue] + Array(ephemeral.publicKey.rawRepresentation) + SecureHandshake.randomNonce()
        }

        /// Checks an accepting reply (the `replySize` bytes after its status
        /// byte); returns the finish to send and the record cipher, or throws
        /// if the responder did not prove it holds the key.
        package func answer(_ reply: [UInt8]) throws(SecureLinkError) -> (finish: [UInt8], cipher: RecordCipher) {
            guard reply.count == SecureHandshake.replySize else { throw .malformed("the handshake reply has \(reply.count) bytes, not \(SecureHandshake.replySize)") }
            let transcript = hello + reply[0..<64]
            guard SecureHandshake.verify(reply[64...], "responder", key: key, transcript: transcript) else {
                throw .unproven("the peer did not prove it holds this session's \(key.role.name) key")
            }
            let keys = try SecureHandshake.recordKeys(ours: ephemeral, theirs: Array(reply[0..<32]), key: key, transcript: transcript)
            return (SecureHandshake.proof("initiator", key: key, transcript: transcript),
                    RecordCipher(sending: keys.initiatorToResponder, receiving: keys.responderToInitiator))
        }
    }

    /// The responder's side: answers a hello for one of the roles it
    /// admits, then checks the initiator's finish.
    package struct Responder: Sendable {
        private let key: LinkKey
        private let transcript: [UInt8]
        private let cipher: RecordCipher
        /// The accepting reply to send (status byte included).
        package let reply: [UInt8]
        /// The role the initiator claims (proved only by `verify`).
        package var role: LinkRole { key.role }

        /// Answers `hello` (exactly `helloSize` bytes) with the key of its
        /// role from `keys`; throws for a hello that is not one or a role
        /// not admitted here.
        package init(hello: [UInt8], keys: [LinkKey]) throws(SecureLinkError) {
            guard hello.count == SecureHandshake.helloSize, hello.starts(with: SecureHandshake.magic) else {
                throw .notAPilotLink
            }
            let roleByte = hello[SecureHandshake.magic.count]
            guard let key = keys.first(where: { $0.role.rawValue == roleByte }) else {
                let names = keys.map(\.role.name).joined(separator: " or ")
                throw .malformed("this listener admits \(names) links only")
            }
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let ours = Array(ephemeral.publicKey.rawRepresentation) + SecureHandshake.randomNonce()
            let transcript = hello + ours
            let theirs = Array(hello[(SecureHandshake.magic.count + 1)..<(SecureHandshake.magic.count + 33)])
            let keys = try SecureHandshake.recordKeys(ours: ephemeral, theirs: theirs, key: key, transcript: transcript)
            self.key = key
            self.transcript = transcript
            cipher = RecordCipher(sending: keys.responderToInitiator, receiving: keys.initiatorToResponder)
            reply = [0] + ours + SecureHandshake.proof("responder", key: key, transcript: transcript)
        }

        /// Checks the initiator's finish; returns the record cipher, or
        /// throws if the initiator does not hold the key.
        package func verify(finish: [UInt8]) throws(SecureLinkError) -> RecordCipher {
            guard SecureHandshake.verify(finish, "initiator", key: key, transcript: transcript) else {
                throw .unproven("the peer did not prove it holds this session's \(key.role.name) key")
            }
            return cipher
        }
    }
}

/// Why a network link was not opened or was closed.
package enum SecureLinkError: Error, Sendable, Equatable {
    /// The peer's first bytes are not a pilot link hello (plain TCP, HTTP, TLS, noise).
    case notAPilotLink
    /// The peer broke the protocol; the text says how.
    case malformed(String)
    /// The peer did not prove it holds the key; the text says which.
    case unproven(String)
    /// The other end refused this link; its text.
    case refused(String)
    /// A record failed authentication (tampered, replayed or reordered).
    case badRecord
    /// The peer went silent during the handshake.
    case timedOut
    /// An open link's peer announced a record larger than any this link sends.
    case oversizedRecord(Int)

    /// One line for logs and refusals.
    package var message: String {
        switch self {
        case .notAPilotLink: "not a pilot link (the first bytes are not the pilot link handshake)"
        case .malformed(let text): "broken handshake: \(text)"
        case .unproven(let text): text
        case .refused(let text): "refused: \(text)"
        case .badRecord: "a record failed authentication (tampered, replayed or out of order)"
        case .timedOut: "the handshake did not finish in time"
        case .oversizedRecord(let length): "a record of \(length) bytes is larger than any this link sends"
        }
    }
}
