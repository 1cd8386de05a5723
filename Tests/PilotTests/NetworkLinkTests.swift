import Glibc
import PilotCoordinator
import PilotLink
import PilotModel
import PilotSystem
import XCTest

/// The coordinator's network listener for agents, attacked with raw
/// sockets: every peer without the session's agent key is refused with a
/// clear text and learns nothing; the coordinator carries on, and a SLURM
/// pilot (whose agent links over TCP) then runs units through it.
final class NetworkLinkTests: XCTestCase {
    private static let notALink = SecureHandshake.refusal(
        "this port serves pilot links only; connect with the pilot library, pilot-agent or pilotctl")
    private static let wrongKey = SecureHandshake.refusal(
        "not admitted: the key you proved is not this session's; use the session's credentials file")

    func testPeersWithoutTheKeyAreRefusedAndTheCoordinatorCarriesOn() throws {
        var options = SessionOptions()
        options.listen = "127.0.0.1:0"
        let coordinator = try Coordinator(options: options)
        defer { coordinator.close() }
        let addresses = try coordinator.agentNetworkAddresses()
        XCTAssertEqual(addresses.count, 1)
        let address = try NetworkAddress(addresses[0], what: "the listener")
        XCTAssertEqual(address.host, "127.0.0.1")
        XCTAssertNotEqual(address.port, 0, "the port the system chose is the one told")

        // Plain text (an HTTP client, a port scanner) and random bytes.
        XCTAssertEqual(try RawPeer.exchange(address, [Array("GET / HTTP/1.0\r\n\r\n".utf8)]), Self.notALink)
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertEqual(try RawPeer.exchange(address, [noise]), Self.notALink)
        // A TLS ClientHello's first bytes.
        XCTAssertEqual(try RawPeer.exchange(address, [[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]]), Self.notALink)

        // A well-formed hello with another session's key: the reply is the
        // responder's key exchange (it holds nothing of the session), and
        // the initiator sees that the coordinator's proof does not check.
        let stranger = SecureHandshake.Initiator(key: LinkKey(sessionSecret: Secret.make(), role: .agent))
        let peer = try RawPeer(address)
        try peer.send(stranger.hello)
        let reply = try peer.read(count: 1 + SecureHandshake.replySize)
        XCTAssertEqual(reply.first, 0)
        XCTAssertThrowsError(try stranger.answer(Array(reply.dropFirst())))
        // A forged finish is refused; nothing but the refusal follows.
        try peer.send([UInt8](repeating: 0, count: SecureHandshake.finishSize))
        XCTAssertEqual(try peer.readToEnd(), Self.wrongKey)

        // A client key where the listener admits agents only.
        let client = SecureHandshake.Initiator(key: LinkKey(sessionSecret: Secret.make(), role: .client))
        XCTAssertEqual(try RawPeer.exchange(address, [client.hello]),
                       SecureHandshake.refusal("broken handshake: this listener admits agent links only"))

        // A handshake cut short, then a replay of a whole recorded one.
        XCTAssertEqual(try RawPeer.exchange(address, [Array(stranger.hello.prefix(20))]), [])
        XCTAssertEqual(try RawPeer.exchange(address, [stranger.hello, [UInt8](repeating: 1, count: 32)]).suffix(Self.wrongKey.count),
                       Self.wrongKey[...])

        // The coordinator carries on: a SLURM pilot's agent links over TCP and runs units.
        let directory = TemporaryDirectory.make()
        let pilots = try coordinator.createPilotComputeService()
        let pilot = try coordinator.createPilot(in: pilots, description: [
            "service_url": "slurm://localhost", "number_of_processes": 1, "working_directory": .string(directory), "walltime": 5,
        ])
        let units = try (0..<10).map { try coordinator.submit(["executable": "/bin/echo", "arguments": [.string("unit \($0)")]], to: .pilot(pilot)) }
        for unit in units { XCTAssertEqual(try coordinator.wait(unitID: unit, timeout: 120), .done) }
        let log = FileSystem.read(directory + "/stderr-\(pilot)-agent.txt") ?? ""
        XCTAssertTrue(log.contains("linked to the coordinator at 127.0.0.1:\(address.port) over TCP as \(pilot)"), log)
        try coordinator.cancel(pilotID: pilot)
    }
}

extension NetworkLinkTests {
    func testAListenAddressInUseIsRefusedWhenTheSessionOpens() throws {
        var options = SessionOptions()
        options.listen = "127.0.0.1:0"
        let first = try Coordinator(options: options)
        defer { first.close() }
        let taken = try first.agentNetworkAddresses()[0]
        options.listen = taken
        XCTAssertThrowsError(try Coordinator(options: options)) { error in
            let message = (error as? PilotError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("cannot listen for agents and clients on \(taken): "), message)
        }
    }

    /// A journaled (served) session restarted on its directory listens on
    /// the port it had at once: agents on other hosts were told that one.
    func testARestartedSessionListensOnItsPortAgain() throws {
        var options = SessionOptions()
        options.sessionDirectory = TemporaryDirectory.make() + "/session"
        options.journal = true
        let first = try Coordinator(options: options)
        let port = try NetworkAddress(first.agentNetworkAddresses()[0], what: "the address").port
        first.close()
        let again = try Coordinator(options: options)
        defer { again.close() }
        XCTAssertEqual(try RawPeer.exchange(NetworkAddress(host: "127.0.0.1", port: port), [Array("hello?".utf8)]), Self.notALink,
                       "listening before any pilot asks")
        XCTAssertEqual(try NetworkAddress(again.agentNetworkAddresses()[0], what: "the address").port, port)
    }

    /// `agent_link: network` puts a fork pilot's agent on the TCP link too.
    func testAForkPilotCanLinkOverTheNetwork() throws {
        let options = try SessionOptions(json: ["agent_link": "network"])
        XCTAssertThrowsError(try SessionOptions(json: ["agent_link": "tcp"])) { error in
            XCTAssertEqual((error as? PilotError)?.message,
                           "session option 'agent_link' must be \"auto\" (the network for agents on other hosts) or \"network\" (for every agent)")
        }
        let coordinator = try Coordinator(options: options)
        defer { coordinator.close() }
        let directory = TemporaryDirectory.make()
        let pilot = try coordinator.createPilot(in: try coordinator.createPilotComputeService(), description: [
            "service_url": "fork://localhost", "number_of_processes": 2, "working_directory": .string(directory),
        ])
        let units = try (0..<5).map { _ in try coordinator.submit(["executable": "/bin/true"], to: .pilot(pilot)) }
        for unit in units { XCTAssertEqual(try coordinator.wait(unitID: unit, timeout: 60), .done) }
        let log = FileSystem.read(directory + "/stderr-\(pilot)-agent.txt") ?? ""
        XCTAssertTrue(log.contains(" over TCP as \(pilot)"), log)
    }
}

/// A TCP peer that speaks raw bytes, for attacking a listener.
private final class RawPeer {
    private let descriptor: Int32

    init(_ address: NetworkAddress) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(address.port).bigEndian)
        inet_pton(AF_INET, address.host, &target.sin_addr)
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connected == 0 else {
            close(descriptor)
            throw PilotError(.backend, "cannot connect to \(address.text)")
        }
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8]) throws {
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw PilotError(.backend, "send failed")
        }
    }

    /// Exactly `count` bytes (fewer if the peer closes first).
    func read(count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < count {
            let got = recv(descriptor, &chunk, min(chunk.count, count - bytes.count), 0)
            guard got > 0 else { break }
            bytes += chunk[0..<got]
        }
        return bytes
    }

    /// Everything until the peer closes (a timeout fails).
    func readToEnd() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = recv(descriptor, &chunk, chunk.count, 0)
            if got == 0 { return bytes }
            guard got > 0 else { throw PilotError(.timeout, "the listener neither answered nor closed") }
            bytes += chunk[0..<got]
        }
    }

    /// Sends each of `messages`, then half-closes; returns all the listener said.
    static func exchange(_ address: NetworkAddress, _ messages: [[UInt8]]) throws -> [UInt8] {
        let peer = try RawPeer(address)
        for message in messages { try peer.send(message) }
        shutdown(peer.descriptor, Int32(SHUT_WR))
        return try peer.readToEnd()
    }
}
