import PilotLink
import PilotModel
import XCTest

@testable import PilotAgent

/// The order in which an agent tries to reach its coordinator.
final class CoordinatorTargetsTests: XCTestCase {
    private func bootstrap() -> AgentBootstrap {
        var bootstrap = AgentBootstrap(pilotID: "bj-1", token: "t", socketPath: "/s/agents.sock", sandbox: "/w/bj-1", slots: 2,
                                       heartbeatInterval: 5, heartbeatTimeout: 30, reconnectGrace: 0)
        bootstrap.networkAddresses = ["10.0.0.1:7100", "192.0.2.2:7100"]
        bootstrap.linkKey = LinkKey(sessionSecret: String(repeating: "ab", count: 32), role: .agent).hex
        return bootstrap
    }

    func testAnSshClientAddressComesFirstThenTheAddressesThenTheLoginHostThenTheSocket() throws {
        var relayed = bootstrap()
        relayed.relay = AgentRelay(login: "me@login", sshPort: 2222, port: 40123)
        let targets = try CoordinatorTargets.of(relayed, sshConnection: "192.0.2.2 5555 10.0.0.9 22")
        XCTAssertEqual(targets.map(\.text), [
            "192.0.2.2:7100", "10.0.0.1:7100",
            "ssh -o BatchMode=yes -o ConnectTimeout=10 -p 2222 me@login -W 127.0.0.1:40123",
            "/s/agents.sock",
        ])
        XCTAssertEqual(try CoordinatorTargets.of(bootstrap(), sshConnection: nil).map(\.text),
                       ["10.0.0.1:7100", "192.0.2.2:7100", "/s/agents.sock"])
    }

    func testNetworkAddressesWithoutAValidKeyAreAnError() {
        var broken = bootstrap()
        broken.linkKey = "not hex"
        XCTAssertThrowsError(try CoordinatorTargets.of(broken, sshConnection: nil)) { error in
            XCTAssertEqual((error as? PilotError)?.message, "the bootstrap names network addresses but no valid link key")
        }
    }
}
