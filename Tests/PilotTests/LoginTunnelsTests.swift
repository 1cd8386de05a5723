import XCTest

@testable import PilotResources

/// Reading the port ssh was given for a reverse forward.
final class LoginTunnelsTests: XCTestCase {
    func testTheAllocatedPortIsReadFromSshsMessage() {
        let text = "Warning: Permanently added 'node1' (ED25519) to the list of known hosts.\r\n"
            + "Allocated port 40123 for remote forward to 10.47.0.1:7100\n"
        XCTAssertEqual(LoginTunnels.allocatedPort(in: text), 40123)
        XCTAssertNil(LoginTunnels.allocatedPort(in: "Warning: remote port forwarding failed for listen port 0\n"))
        XCTAssertNil(LoginTunnels.allocatedPort(in: "Allocated port none\n"))
    }
}
