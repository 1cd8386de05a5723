import Crypto
import PilotModel

/// Mutual proof of a pilot's secret on an agent link, without sending it:
/// each side sends a fresh nonce, and each proves itself with an HMAC-SHA256
/// of both nonces under the secret, labelled by role so one side's proof
/// cannot be replayed as the other's. Whoever holds the coordinator's socket
/// without the secret can neither welcome an agent nor learn the secret
/// from it; a recorded exchange is useless on a new link (new nonces).
package enum LinkProof {
    /// Who proves.
    package enum Role: String, Sendable {
        /// The coordinator, answering the agent's hello.
        case coordinator
        /// The agent, answering the coordinator's challenge.
        case agent
    }

    /// The proof `role` sends for the nonces of this link.
    package static func make(_ role: Role, secret: String, agentNonce: String, coordinatorNonce: String) -> String {
        let message = Array("\(role.rawValue)\n\(agentNonce)\n\(coordinatorNonce)".utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return Hex.text(code)
    }

    /// Whether `offered` is the proof `role` owes for these nonces (compared
    /// in time independent of where it differs).
    package static func verify(_ offered: String, _ role: Role, secret: String, agentNonce: String, coordinatorNonce: String) -> Bool {
        Secret.matches(offered, make(role, secret: secret, agentNonce: agentNonce, coordinatorNonce: coordinatorNonce))
    }
}
