import Foundation
import Glibc
import Pilot
import XCTest

/// Sessions killed without closing leave a directory with a socket file;
/// a new session removes those, and only those.
final class SessionDirectoryTests: XCTestCase {
    private let parent = "/tmp/pilot-\(getuid())"

    /// A `ps-*` directory holding a socket file nobody listens on, `age` seconds old.
    private func abandonedSession(age: String?) throws -> String {
        let directory = parent + "/ps-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try run("/usr/bin/env", ["python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", directory + "/agents.sock"])
        if let age { try run("/usr/bin/touch", ["-d", age, directory + "/agents.sock"]) }
        return directory
    }

    private func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(program) \(arguments)")
    }

    /// Another user (made for the test with useradd; CI runs as root) can
    /// neither enter the session directory nor connect to the coordinator's
    /// socket, so it cannot submit anything to the session's pilots.
    func testAnotherUserCannotReachTheCoordinator() throws {
        let session = try Session()
        addTeardownBlock { session.close() }
        let directory = parent + "/" + session.id
        let outsider = "pilot-outsider"
        if getpwnam(outsider) == nil {
            try run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", outsider])
        }
        let probe = """
            import os, socket, sys
            for attempt in (lambda: os.listdir(sys.argv[1]), lambda: socket.socket(socket.AF_UNIX).connect(sys.argv[1] + "/agents.sock")):
                try:
                    attempt()
                    print("allowed")
                except OSError as error:
                    print(error.strerror)
            """
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", outsider, "--", "/usr/bin/python3", "-c", probe, directory]
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(said, "Permission denied\nPermission denied\n")
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testNewSessionsRemoveAbandonedOnesOnly() throws {
        let abandoned = try abandonedSession(age: "2 minutes ago")
        let recent = try abandonedSession(age: nil)
        let live = try Session()
        addTeardownBlock { live.close() }
        try run("/usr/bin/touch", ["-d", "2 minutes ago", parent + "/" + live.id + "/agents.sock"])

        let session = try Session()
        addTeardownBlock { session.close() }

        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned), "nobody listens and it is old: removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: recent + "/agents.sock"), "too recent to judge: kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: parent + "/" + live.id + "/agents.sock"), "someone listens: kept")
        let pilots = try live.createPilotComputeService()
        let pilot = try pilots.createPilot(["service_url": "fork://localhost", "number_of_processes": 1,
                                            "working_directory": .string(TemporaryDirectory.make())])
        XCTAssertEqual(try pilot.waitUntilStarted(timeout: 20), .running, "the live session still takes agents")
        try FileManager.default.removeItem(atPath: recent)
    }
}
