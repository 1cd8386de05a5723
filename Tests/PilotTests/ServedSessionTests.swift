import Glibc
import Pilot
import PilotCoordinator
import PilotModel
import PilotRemote
import PilotSystem
import XCTest

/// A coordinator served to other clients (what `pilotctl serve` runs),
/// reached here through `RemoteCoordinator` sessions as another process
/// would reach it.
final class ServedSessionTests: XCTestCase {
    private func serve() throws -> (Coordinator, CoordinationServer, SessionOptions) {
        var options = SessionOptions()
        options.sessionDirectory = TemporaryDirectory.make() + "/session"
        let coordinator = try Coordinator(options: options)
        let server = try CoordinationServer(coordinator: coordinator)
        addTeardownBlock {
            server.shutdown()
            coordinator.close()
        }
        var client = SessionOptions()
        client.coordinationURL = server.url
        return (coordinator, server, client)
    }

    /// One client submits 8 units to a pilot and disconnects without
    /// waiting; a second reconnects to the pilot by id, submits a ninth and
    /// waits: all 9 Done, each having written its own line.
    func testSecondClientReconnectsToThePilotOfTheFirst() throws {
        let (coordinator, _, client) = try serve()
        let directory = TemporaryDirectory.make()
        let first = try Session(options: client)
        XCTAssertEqual(first.id, coordinator.sessionID)
        let pilots = try first.createPilotComputeService()
        let pilot = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 2, "working_directory": .string(directory),
        ])
        for index in 0..<8 {
            _ = try pilot.submit(["executable": "/bin/sh", "arguments": ["-c", .string("echo unit \(index) >> \(directory)/ran")]])
        }
        first.close()

        let second = try Session(options: client)
        let again = try second.pilot(id: pilot.id)
        let ninth = try again.submit(["executable": "/bin/sh", "arguments": ["-c", .string("echo unit 8 >> \(directory)/ran")]])
        XCTAssertEqual(try ninth.wait(timeout: 30), .done)
        XCTAssertEqual(try again.wait(timeout: 30), .running)
        let units = try again.units()
        XCTAssertEqual(units.count, 9)
        XCTAssertEqual(try units.map { try $0.state() }, Array(repeating: .done, count: 9))
        let lines = (FileSystem.read(directory + "/ran") ?? "").split(separator: "\n").sorted()
        XCTAssertEqual(lines, (0..<9).map { "unit \($0)" })
        XCTAssertEqual(try second.pilotComputeService(id: pilots.id).pilots().map(\.id), [pilot.id])
        second.close()
        XCTAssertEqual(try coordinator.details(ofPilot: pilot.id).state, .running, "clients leaving end nothing")
    }

    /// A ComputeDataService's PCSs and cancellation are the coordinator's:
    /// a second client sees what the first did to it.
    func testASecondClientSeesTheServicesOfAComputeDataService() throws {
        let (coordinator, _, client) = try serve()
        let first = try Session(options: client)
        let service = try first.createComputeDataService(binding: .early)
        let (kept, removed) = (try first.createPilotComputeService(), try first.createPilotComputeService())
        try service.add(removed)
        try service.add(kept)
        try service.add(kept)
        try service.remove(removed)
        first.close()

        let second = try Session(options: client)
        let again = try second.computeDataService(id: service.id)
        XCTAssertEqual(try again.details(), ComputeServiceDetails(id: service.id, binding: .early, pilotServiceIDs: [kept.id], canceled: false))
        try again.cancel()
        XCTAssertEqual(try coordinator.details(ofComputeService: service.id).canceled, true)
        XCTAssertEqual(try again.details().canceled, true)
        XCTAssertThrowsError(try second.computeDataService(id: "cds-nope")) { error in
            XCTAssertEqual(error as? PilotError, PilotError(.notFound, "no object 'cds-nope' in this session"))
        }
        second.close()
    }

    /// Events reach a remote subscriber in order per unit.
    func testEventsReachARemoteSubscriber() throws {
        let (_, _, client) = try serve()
        let session = try Session(options: client)
        defer { session.close() }
        let seen = Monitor<[String: [State]]>([:])
        _ = try session.subscribe { event in
            if event.kind == .unit { seen.withLock { $0[event.id, default: []].append(event.state) } }
        }
        let pilots = try session.createPilotComputeService()
        let pilot = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 2, "working_directory": .string(TemporaryDirectory.make()),
        ])
        let units = try (0..<5).map { _ in try pilot.submit(["executable": "/bin/true"]) }
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 30), .done) }
        XCTAssertTrue(Processes.eventually(within: 5) { seen.withLock { $0.values.allSatisfy { $0.last == .done } && $0.count == 5 } })
        for unit in units {
            XCTAssertEqual(seen.withLock { $0[unit.id] }, [.new, .pending, .running, .done])
        }
    }

    /// Without the session secret the coordinator admits nobody.
    func testAWrongSecretIsRefused() throws {
        let (coordinator, server, _) = try serve()
        XCTAssertNil(FileSystem.write(String(repeating: "0", count: 64) + "\n", to: coordinator.sessionDirectory + "/" + CoordinationURL.secretName, mode: 0o600))
        XCTAssertThrowsError(try RemoteCoordinator(url: server.url)) { error in
            XCTAssertEqual((error as? PilotError)?.code, .denied)
            XCTAssertEqual((error as? PilotError)?.message, "wrong session secret; only the user who started the coordinator may use it")
        }
    }

    /// When the coordinator goes away, a waiting call returns an error
    /// naming it at once, and so does every later call.
    func testALostCoordinatorEndsWaitsWithAClearError() throws {
        let (coordinator, server, client) = try serve()
        let session = try Session(options: client)
        defer { session.close() }
        let pilots = try session.createPilotComputeService()
        let pilot = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 1, "working_directory": .string(TemporaryDirectory.make()),
        ])
        let unit = try pilot.submit(["executable": "/bin/sleep", "arguments": ["600"]])
        let began = WallClock.monotonic()
        _ = startThread {
            usleep(300_000)
            server.shutdown()
            coordinator.close()
        }
        XCTAssertThrowsError(try unit.wait(timeout: 60)) { error in
            XCTAssertEqual((error as? PilotError)?.code, .backend)
            XCTAssertTrue((error as? PilotError)?.message.hasPrefix("lost the coordinator at \(server.url.text)") == true, "\(error)")
        }
        XCTAssertLessThan(WallClock.monotonic() - began, 10)
        XCTAssertThrowsError(try unit.state()) { error in XCTAssertEqual((error as? PilotError)?.code, .backend) }
    }

    /// Coordination URLs that cannot name a served session are refused with the reason.
    func testBadCoordinationURLsAreRefused() throws {
        XCTAssertThrowsError(try SessionOptions(json: ["coordination_url": "pilot+unix://relative/coordinator.sock"])) { error in
            XCTAssertEqual((error as? PilotError)?.message, "coordination_url: coordination URL 'pilot+unix://relative/coordinator.sock' must name an absolute path ending in /coordinator.sock, as `pilotctl serve` prints it")
        }
        let options = try SessionOptions(json: ["coordination_url": "pilot+unix:///nonexistent/coordinator.sock"])
        XCTAssertThrowsError(try Session(options: options)) { error in
            XCTAssertEqual((error as? PilotError)?.message, "cannot read the session secret /nonexistent/secret: is the coordinator running, and started by this user?")
        }
    }
}
