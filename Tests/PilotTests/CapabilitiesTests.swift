import Pilot
import PilotModel
import PilotResources
import XCTest

/// `Capabilities` lists what the code that accepts URLs accepts.
final class CapabilitiesTests: XCTestCase {
    func testThisBuildsCapabilities() {
        XCTAssertEqual(Capabilities.current.pilotSchemes, ["fork", "ssh", "slurm", "pbs", "sge"])
        XCTAssertEqual(Capabilities.current.jobSchemes, ["fork", "ssh", "slurm", "pbs", "sge", "slurm+ssh", "pbs+ssh", "sge+ssh"])
        XCTAssertEqual(Capabilities.current.features.map(\.rawValue),
                       ["serve", "journal", "mpi", "job-arrays", "early-binding", "affinity", "wall-time", "restartable"])
    }

    /// A listed pilot scheme gets a launcher; any other is refused as unsupported.
    func testPilotSchemesAreThoseThatGetALauncher() throws {
        for scheme in ServiceURL.Scheme.allCases {
            let url = try ServiceURL("\(scheme.rawValue)://localhost")
            if Capabilities.current.pilotSchemes.contains(scheme.rawValue) {
                XCTAssertNoThrow(try Launchers.launcher(for: url), scheme.rawValue)
            } else {
                XCTAssertThrowsError(try Launchers.launcher(for: url), scheme.rawValue) { error in
                    XCTAssertEqual((error as? PilotError)?.code, .unsupported)
                }
            }
        }
    }

    /// Every listed job scheme opens a job session.
    func testJobSchemesOpenAJobSession() {
        for scheme in Capabilities.current.jobSchemes {
            XCTAssertNoThrow(try JobSession(url: "\(scheme)://localhost"), scheme)
        }
    }
}
