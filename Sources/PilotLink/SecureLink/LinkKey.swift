import Crypto
import PilotModel

/// Who opens a network link, and so which key it must hold: agents and
/// clients hold different keys, so an agent's key cannot act as a client.
package enum LinkRole: UInt8, Sendable, CaseIterable {
    /// A pilot's agent (it proves its pilot inside the link, `LinkProof`).
    case agent = 1
    /// A client of a served session (a script, `pilotctl`).
    case client = 2

    /// For messages.
    package var name: String {
        switch self {
        case .agent: "agent"
        case .client: "client"
        }
    }
}

/// The pre-shared key a role proves on a session's network link, derived
/// from the session secret (256 random bits) with HKDF-SHA256 under the
/// role's label. Clients derive it from the credentials file; agents get
/// only the agent key, in their 0600 bootstrap.
package struct LinkKey: Sendable {
    /// The key's bytes.
    let key: SymmetricKey
    /// The role the key admits.
    package let role: LinkRole

    /// The key of `role` for the session whose secret is `sessionSecret`.
    package init(sessionSecret: String, role: LinkRole) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(sessionSecret.utf8)),
            info: Array("pilot link key v1 \(role.name)".utf8), outputByteCount: 32)
        self.role = role
    }

    /// A key given as hex (as an agent's bootstrap carries it), or nil if
    /// the text is not 64 hex digits.
    package init?(hex: String, role: LinkRole) {
        guard let bytes = Hex.bytes(hex), bytes.count == 32 else { return nil }
        key = SymmetricKey(data: bytes)
        self.role = role
    }

    /// The key as hex, for an agent's bootstrap.
    package var hex: String {
        key.withUnsafeBytes { Hex.text(Array($0)) }
    }
}
