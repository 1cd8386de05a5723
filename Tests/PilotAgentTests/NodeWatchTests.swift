import NIOCore
import NIOPosix
import XCTest

@testable import PilotAgent

/// What counts as a node's answer.
final class NodeWatchTests: XCTestCase {
    /// A refused connect by host name (how NodeWatch probes) is an answer:
    /// the node is up, it only has nothing on the port.
    func testARefusalByHostNameIsAnAnswer() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        // A port that was just free: bound, then closed.
        let server = try ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).wait()
        let port = try XCTUnwrap(server.localAddress?.port)
        try server.close().wait()
        XCTAssertThrowsError(try ClientBootstrap(group: group).connect(host: "localhost", port: port).wait()) { error in
            XCTAssertTrue(NodeWatch.isRefusal(error), "\(error)")
        }
        XCTAssertFalse(NodeWatch.isRefusal(ChannelError.connectTimeout(.seconds(2))))
    }
}
