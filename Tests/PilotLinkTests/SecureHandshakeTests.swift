import NIOCore
import NIOEmbedded
import PilotLink
import PilotModel
import XCTest

/// The network link's handshake and records, without a socket.
final class SecureHandshakeTests: XCTestCase {
    private let secret = String(repeating: "ab", count: 32)
    private var agentKey: LinkKey { LinkKey(sessionSecret: secret, role: .agent) }
    private var clientKey: LinkKey { LinkKey(sessionSecret: secret, role: .client) }

    /// Runs a whole handshake; returns both ciphers (initiator's, responder's).
    private func handshake(initiator key: LinkKey, responder keys: [LinkKey]) throws -> (RecordCipher, RecordCipher) {
        let initiator = SecureHandshake.Initiator(key: key)
        let responder = try SecureHandshake.Responder(hello: initiator.hello, keys: keys)
        XCTAssertEqual(responder.reply.first, 0)
        let (finish, ours) = try initiator.answer(Array(responder.reply.dropFirst()))
        return (ours, try responder.verify(finish: finish))
    }

    func testBothSidesAgreeAndRecordsRoundTripInBothDirections() throws {
        var (initiator, responder) = try handshake(initiator: agentKey, responder: [agentKey, clientKey])
        let first = try initiator.seal(Array("run cu-1".utf8))
        XCTAssertNil(String(bytes: first, encoding: .utf8)?.range(of: "run cu-1"), "the record is not the plaintext")
        XCTAssertEqual(first.count, 8 + RecordCipher.overhead)
        XCTAssertEqual(String(decoding: try responder.open(first), as: UTF8.self), "run cu-1")
        XCTAssertEqual(String(decoding: try initiator.open(try responder.seal(Array("welcome".utf8))), as: UTF8.self), "welcome")
    }

    func testTheHelloCarriesNoIdentityButTheRole() throws {
        let hello = SecureHandshake.Initiator(key: agentKey).hello
        XCTAssertEqual(hello.count, SecureHandshake.helloSize)
        XCTAssertEqual(Array(hello.prefix(8)), Array("PILOTLK1".utf8))
        XCTAssertEqual(hello[8], LinkRole.agent.rawValue)
        XCTAssertNotEqual(SecureHandshake.Initiator(key: agentKey).hello, hello, "a fresh key and nonce each time")
    }

    func testAResponderWithAnotherKeyCannotProveItself() throws {
        let initiator = SecureHandshake.Initiator(key: agentKey)
        let impostor = try SecureHandshake.Responder(hello: initiator.hello, keys: [LinkKey(sessionSecret: "other", role: .agent)])
        XCTAssertThrowsError(try initiator.answer(Array(impostor.reply.dropFirst()))) { error in
            XCTAssertEqual(error as? SecureLinkError, .unproven("the peer did not prove it holds this session's agent key"))
        }
    }

    func testAnInitiatorWithAnotherKeyIsNotAdmitted() throws {
        let initiator = SecureHandshake.Initiator(key: LinkKey(sessionSecret: "guess", role: .client))
        let responder = try SecureHandshake.Responder(hello: initiator.hello, keys: [agentKey, clientKey])
        // The initiator sees the responder's proof fail first; a forged finish fails at the responder.
        XCTAssertThrowsError(try initiator.answer(Array(responder.reply.dropFirst())))
        XCTAssertThrowsError(try responder.verify(finish: [UInt8](repeating: 7, count: 32))) { error in
            XCTAssertEqual(error as? SecureLinkError, .unproven("the peer did not prove it holds this session's client key"))
        }
    }

    func testAnAgentKeyDoesNotOpenAClientLink() throws {
        // An agent claiming the client role with its own key.
        let agent = LinkKey(hex: agentKey.hex, role: .client)
        let initiator = SecureHandshake.Initiator(key: try XCTUnwrap(agent))
        let responder = try SecureHandshake.Responder(hello: initiator.hello, keys: [clientKey])
        XCTAssertThrowsError(try initiator.answer(Array(responder.reply.dropFirst())))
    }

    func testAReplayedHandshakeProvesNothingOnANewLink() throws {
        let initiator = SecureHandshake.Initiator(key: agentKey)
        let first = try SecureHandshake.Responder(hello: initiator.hello, keys: [agentKey])
        let (finish, _) = try initiator.answer(Array(first.reply.dropFirst()))
        XCTAssertNoThrow(try first.verify(finish: finish))
        // The same hello and finish sent again: the new responder's key and nonce differ.
        let second = try SecureHandshake.Responder(hello: initiator.hello, keys: [agentKey])
        XCTAssertNotEqual(second.reply, first.reply)
        XCTAssertThrowsError(try second.verify(finish: finish))
    }

    func testHellosThatAreNotOneAreRefused() {
        for bytes in [Array("GET / HTTP/1.1\r\n".utf8) + [UInt8](repeating: 0, count: 57), [UInt8](repeating: 0x16, count: SecureHandshake.helloSize),
                      Array(SecureHandshake.Initiator(key: agentKey).hello.prefix(40))] {
            XCTAssertThrowsError(try SecureHandshake.Responder(hello: bytes, keys: [agentKey])) { error in
                XCTAssertEqual(error as? SecureLinkError, .notAPilotLink)
            }
        }
        var wrongRole = SecureHandshake.Initiator(key: agentKey).hello
        wrongRole[8] = 9
        XCTAssertThrowsError(try SecureHandshake.Responder(hello: wrongRole, keys: [agentKey])) { error in
            XCTAssertEqual(error as? SecureLinkError, .malformed("this listener admits agent links only"))
        }
    }

    func testALowOrderKeyIsRefused() {
        var hello = SecureHandshake.Initiator(key: agentKey).hello
        for index in 9..<41 { hello[index] = 0 }
        XCTAssertThrowsError(try SecureHandshake.Responder(hello: hello, keys: [agentKey])) { error in
            XCTAssertEqual(error as? SecureLinkError, .malformed("the peer's key exchange value is a low-order point"))
        }
    }

    /// A refusal from a peer that proved nothing reaches the user as plain
    /// text: control characters dropped, and no longer than a coordinator sends.
    func testARefusalIsShownAsPlainTextOnly() throws {
        let channel = EmbeddedChannel()
        let caught = ErrorCatcher()
        try channel.pipeline.syncOperations.addHandler(SecureLinkHandler(.initiator(agentKey)))
        try channel.pipeline.syncOperations.addHandler(caught)
        channel.pipeline.fireChannelActive()
        try channel.writeInbound(ByteBuffer(bytes: SecureHandshake.refusal("\u{1b}[31mgo away\u{0}\n")))
        XCTAssertEqual(caught.errors, [.refused("[31mgo away")])

        let long = EmbeddedChannel()
        let caughtLong = ErrorCatcher()
        try long.pipeline.syncOperations.addHandler(SecureLinkHandler(.initiator(agentKey)))
        try long.pipeline.syncOperations.addHandler(caughtLong)
        long.pipeline.fireChannelActive()
        try long.writeInbound(ByteBuffer(bytes: [1, 0xff, 0xff]))
        XCTAssertEqual(caughtLong.errors, [.malformed("a refusal of 65535 bytes is longer than any coordinator sends")])
    }

    func testRecordsReplayedReorderedOrTamperedFailToOpen() throws {
        var (initiator, responder) = try handshake(initiator: clientKey, responder: [clientKey])
        let one = try initiator.seal([1]), two = try initiator.seal([2])
        var reordered = responder
        XCTAssertThrowsError(try reordered.open(two), "out of order")
        XCTAssertEqual(try responder.open(one), [1])
        XCTAssertThrowsError(try responder.open(one), "replayed")
        var tampered = two
        tampered[0] ^= 1
        XCTAssertThrowsError(try responder.open(tampered))
        XCTAssertThrowsError(try responder.open([1, 2, 3]), "shorter than a tag")
        XCTAssertEqual(try responder.open(two), [2], "a failed open does not advance the counter")
    }

    func testKeysAreHexRoundTripsAndRejectBadText() throws {
        XCTAssertEqual(LinkKey(hex: agentKey.hex, role: .agent)?.hex, agentKey.hex)
        XCTAssertEqual(agentKey.hex.count, 64)
        XCTAssertNotEqual(agentKey.hex, clientKey.hex)
        XCTAssertNil(LinkKey(hex: "zz" + String(agentKey.hex.dropFirst(2)), role: .agent))
        XCTAssertNil(LinkKey(hex: "abc", role: .agent))
        XCTAssertNil(LinkKey(hex: "", role: .agent))
    }

    func testNetworkAddressesParseAndSayWhatIsWrong() throws {
        XCTAssertEqual(try NetworkAddress("10.47.0.1:7100", what: "x").text, "10.47.0.1:7100")
        XCTAssertEqual(try NetworkAddress("[::1]:0", what: "x"), NetworkAddress(host: "::1", port: 0))
        XCTAssertEqual(try NetworkAddress("login.cluster:22", what: "x").host, "login.cluster")
        for bad in ["7100", "host:", "host:70000", ":80", "::1:80", "a b:1", "host:-1"] {
            XCTAssertThrowsError(try NetworkAddress(bad, what: "--listen")) { error in
                XCTAssertEqual((error as? PilotError)?.message,
                               "--listen '\(bad)' is not HOST:PORT (a host name or address, a colon, a port from 0 to 65535; an IPv6 address in brackets)")
            }
        }
    }
}

/// Collects the link errors that reach the handler above.
private final class ErrorCatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var errors: [SecureLinkError] = []

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? SecureLinkError { errors.append(error) }
    }
}
