import Glibc
import Pilot
import PilotModel
import PilotSystem
import XCTest

/// A session with one fork pilot in a fresh directory.
final class ForkPilotFixture {
    let session: Session
    let pilots: PilotComputeService
    let pilot: PilotCompute
    let directory: String

    init(slots: Int, options: SessionOptions = SessionOptions()) throws {
        directory = TemporaryDirectory.make()
        session = try Session(options: options)
        pilots = try session.createPilotComputeService()
        pilot = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": .int(Int64(slots)),
            "working_directory": .string(directory),
        ])
        try pilot.waitUntilStarted(timeout: 20)
    }

    /// A late-binding service fed by this fixture's pilots.
    func computeService() throws -> ComputeDataService {
        let service = try session.createComputeDataService()
        try service.add(pilots)
        return service
    }

    /// Closes the session (cancelling every pilot).
    func close() {
        session.close()
    }
}

extension XCTestCase {
    /// A fork pilot fixture that is closed when the test ends.
    func forkPilot(slots: Int, options: SessionOptions = SessionOptions()) throws -> ForkPilotFixture {
        let fixture = try ForkPilotFixture(slots: slots, options: options)
        addTeardownBlock { fixture.close() }
        return fixture
    }
}

enum TemporaryDirectory {
    /// A new empty directory under /tmp.
    static func make() -> String {
        var template = Array("/tmp/pilot-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
            return String(cString: made)
        }
    }
}

/// Facts about processes, read from /proc.
enum Processes {
    /// Whether process `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let status = FileSystem.read("/proc/\(pid)/stat") else { return false }
        let afterName = status.split(separator: ")").last ?? ""
        return !afterName.trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Pids of live processes whose working directory is inside `directory`.
    static func running(under directory: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { pid in
            guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { return false }
            return cwd.hasPrefix(directory) && isAlive(pid)
        }
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = WallClock.monotonic() + seconds
        while WallClock.monotonic() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
