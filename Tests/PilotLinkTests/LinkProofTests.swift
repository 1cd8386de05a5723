import PilotLink
import XCTest

final class LinkProofTests: XCTestCase {
    private let secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    func testAProofIsAnHMACOfBothNoncesUnderTheSecret() {
        let proof = LinkProof.make(.agent, secret: secret, agentNonce: "a", coordinatorNonce: "c")
        XCTAssertEqual(proof.count, 64)
        XCTAssertTrue(LinkProof.verify(proof, .agent, secret: secret, agentNonce: "a", coordinatorNonce: "c"))
    }

    func testAProofIsBoundToRoleNoncesAndSecret() {
        let proof = LinkProof.make(.coordinator, secret: secret, agentNonce: "a", coordinatorNonce: "c")
        XCTAssertFalse(LinkProof.verify(proof, .agent, secret: secret, agentNonce: "a", coordinatorNonce: "c"),
                       "the coordinator's proof cannot be replayed as the agent's")
        XCTAssertFalse(LinkProof.verify(proof, .coordinator, secret: secret, agentNonce: "b", coordinatorNonce: "c"),
                       "a proof from another link (other nonce) is refused")
        XCTAssertFalse(LinkProof.verify(proof, .coordinator, secret: "x" + secret.dropFirst(), agentNonce: "a", coordinatorNonce: "c"))
        XCTAssertFalse(LinkProof.verify("", .coordinator, secret: secret, agentNonce: "a", coordinatorNonce: "c"))
    }
}
