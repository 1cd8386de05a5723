import FoundationEssentials
import Glibc
import NIOCore
import NIOPosix
import PilotLink
import PilotModel
import PilotResources
import PilotSystem
import XCTest

/// An agent whose coordinator socket was taken over by a process that does
/// not know the pilot's secret (after the coordinator died, say) takes no
/// work from it: a real `pilot-agent` against an impostor that speaks the
/// link protocol.
final class ImpostorTests: XCTestCase {
    func testAWelcomeWithoutAProofIsRefused() throws {
        try assertAgentRefuses(.welcomeAtOnce, saying: "broke the handshake; took nothing from it")
    }

    func testAWrongProofIsRefused() throws {
        try assertAgentRefuses(.wrongProof, saying: "did not prove it knows this pilot's secret; took nothing from it")
    }

    func testAProofReplayedFromAnotherLinkIsRefused() throws {
        try assertAgentRefuses(.replayedProof, saying: "did not prove it knows this pilot's secret; took nothing from it")
    }

    func testABootstrapFileOthersCouldReadIsNotUsed() throws {
        try assertAgentRefuses(.welcomeAtOnce, bootstrapMode: 0o644, status: 2,
                               saying: "not using bootstrap file ")
        try assertAgentRefuses(.welcomeAtOnce, bootstrapMode: 0o644, status: 2,
                               saying: "/bootstrap.json is open to other users (mode 644)")
    }

    private func assertAgentRefuses(_ script: ImpostorScript, bootstrapMode: mode_t = 0o600, status expected: Int32 = 3,
                                    saying message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = TemporaryDirectory.make()
        let marker = directory + "/impostor-ran"
        let secret = Secret.make()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let impostor = try LinkListener(
            .socket(directory + "/agents.sock", LinkService(reading: AgentMessage.self, writing: CoordinatorMessage.self) {
                Impostor(script: script, secret: secret, marker: marker)
            }), on: group, for: "agents")
        defer { impostor.shutdown() }
        let bootstrap = AgentBootstrap(
            pilotID: "bj-00000000-0000-4000-8000-000000000001", token: secret, socketPath: impostor.place.text,
            sandbox: directory + "/sandbox", slots: 1, heartbeatInterval: 1, heartbeatTimeout: 5, reconnectGrace: 0)
        let bootstrapPath = directory + "/bootstrap.json"
        let text = String(decoding: try JSONEncoder().encode(bootstrap), as: UTF8.self)
        XCTAssertNil(FileSystem.write(text, to: bootstrapPath, mode: 0o600), file: file, line: line)
        chmod(bootstrapPath, bootstrapMode)
        let spawned = ProcessSpawner.spawn(SpawnRequest(
            arguments: [try AgentExecutable.locate(), "--bootstrap", bootstrapPath], environment: Environment.current(),
            workingDirectory: directory, input: nil, output: directory + "/agent.out", error: directory + "/agent.err"))
        let pid = try spawned.get()
        var status: Int32 = 0
        let exited = Processes.eventually(within: 20) { waitpid(pid, &status, WNOHANG) == pid }
        if !exited { ProcessSpawner.signalGroup(pid, SIGKILL) }
        XCTAssertTrue(exited, "the agent stopped on its own", file: file, line: line)
        XCTAssertEqual(ExitStatus(waitStatus: status), .exited(expected), "nothing was linked", file: file, line: line)
        XCTAssertFalse(FileSystem.exists(marker), "the impostor's unit never ran", file: file, line: line)
        let log = FileSystem.read(directory + "/agent.err") ?? ""
        XCTAssertTrue(log.contains(message), log, file: file, line: line)
    }
}

/// What the impostor answers to the agent's hello, before welcoming it and
/// sending a unit.
enum ImpostorScript {
    /// No challenge at all, as an agent before this check would take.
    case welcomeAtOnce
    /// A challenge with a made-up proof.
    case wrongProof
    /// A genuine coordinator proof recorded from another link (another agent nonce).
    case replayedProof
}

/// Takes the place of the coordinator on the agents' socket.
private final class Impostor: ChannelInboundHandler {
    typealias InboundIn = AgentMessage
    typealias OutboundOut = CoordinatorMessage

    let script: ImpostorScript
    let secret: String
    let marker: String

    init(script: ImpostorScript, secret: String, marker: String) {
        self.script = script
        self.secret = secret
        self.marker = marker
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .hello = Self.unwrapInboundIn(data) else { return }
        switch script {
        case .welcomeAtOnce:
            break
        case .wrongProof:
            context.write(Self.wrapOutboundOut(.challenge(nonce: "n", proof: String(repeating: "0", count: 64))), promise: nil)
        case .replayedProof:
            let recorded = LinkProof.make(.coordinator, secret: secret, agentNonce: "an earlier link", coordinatorNonce: "n")
            context.write(Self.wrapOutboundOut(.challenge(nonce: "n", proof: recorded)), promise: nil)
        }
        let unit = UnitTask(
            id: "cu-00000000-0000-4000-8000-000000000002", command: .shell("touch \(marker)"), environment: [],
            workingDirectory: FileSystem.parentDirectory(marker), input: nil, output: "stdout", error: "stderr",
            slots: 1, spmdVariation: .single)
        context.write(Self.wrapOutboundOut(.welcome), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.run([unit])), promise: nil)
    }
}
