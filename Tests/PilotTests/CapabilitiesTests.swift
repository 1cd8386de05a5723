import Pilot
import PilotModel
import PilotResources
import XCTest

/// `Capabilities` lists what the code that accepts URLs accepts.
final class CapabilitiesTests: XCTestCase {
    func testThisBuildsCapabilities() {
        XCTAssertEqual(Capabilities.current.pilotSchemes, ["fork", "ssh", "slurm", "pbs", "sge", "slurm+ssh", "pbs+ssh", "sge+ssh"])
        XCTAssertEqual(Capabilities.current.jobSchemes, ["fork", "ssh", "slurm", "pbs", "sge", "slurm+ssh", "pbs+ssh", "sge+ssh"])
        XCTAssertEqual(Capabilities.current.features.map(\.rawValue),
                       ["serve", "journal", "mpi", "job-arrays", "early-binding", "affinity", "wall-time", "restartable", "staging", "pilot-data"])
    }

    /// Every listed pilot scheme gets a launcher.
    func testPilotSchemesAreThoseThatGetALauncher() throws {
        for scheme in Capabilities.current.pilotSchemes {
            XCTAssertNoThrow(try Launchers.launcher(for: ServiceURL("\(scheme)://localhost")), scheme)
        }
    }

    /// Every listed job scheme opens a job session.
    func testJobSchemesOpenAJobSession() {
        for scheme in Capabilities.current.jobSchemes {
            XCTAssertNoThrow(try JobSession(url: "\(scheme)://localhost"), scheme)
        }
    }
}
