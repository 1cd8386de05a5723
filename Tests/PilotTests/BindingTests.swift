import Pilot
import PilotModel
import XCTest

/// Late binding across pilots, early binding with affinity, pilot startup.
final class BindingTests: XCTestCase {
    /// Two pilots under one late-binding service share the units.
    func testLateBindingSharesUnitsBetweenPilots() throws {
        let fixture = try forkPilot(slots: 2)
        let second = try fixture.pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 2, "working_directory": .string(fixture.directory),
        ])
        try second.waitUntilStarted(timeout: 20)
        let service = try fixture.computeService()
        let units = try service.submit(many: (0..<200).map { _ in ["executable": "/bin/sleep", "arguments": ["0.01"]] })
        try service.wait(timeout: 60)
        var perPilot: [String: Int] = [:]
        for unit in units {
            let details = try unit.details()
            XCTAssertEqual(details.state, .done)
            perPilot[details.pilotID ?? "none", default: 0] += 1
        }
        XCTAssertEqual(Set(perPilot.keys), [fixture.pilot.id, second.id])
        XCTAssertGreaterThan(perPilot[second.id] ?? 0, 20)
        XCTAssertGreaterThan(perPilot[fixture.pilot.id] ?? 0, 20)
    }

    /// Early binding places units only on pilots whose labels match theirs.
    func testEarlyBindingHonoursAffinityLabels() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        addTeardownBlock { session.close() }
        let pilots = try session.createPilotComputeService()
        let service = try session.createComputeDataService(binding: .early)
        try service.add(pilots)
        let queued = try service.submit(["executable": "/bin/true", "affinity_datacenter_label": "eu"])
        XCTAssertEqual(try queued.state(), .new, "waits for a pilot")
        let europe = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 2, "working_directory": .string(directory),
            "affinity_datacenter_label": "eu", "affinity_machine_label": "m1",
        ])
        let america = try pilots.createPilot([
            "service_url": "fork://localhost", "number_of_processes": 2, "working_directory": .string(directory),
            "affinity_datacenter_label": "us",
        ])
        let units = try service.submit(many: (0..<20).map { index in
            ["executable": "/bin/true", "affinity_datacenter_label": index % 2 == 0 ? "eu" : "us"]
        })
        try service.wait(timeout: 60)
        XCTAssertEqual(try queued.details().pilotID, europe.id)
        for (index, unit) in units.enumerated() {
            let details = try unit.details()
            XCTAssertEqual(details.state, .done)
            XCTAssertEqual(details.pilotID, index % 2 == 0 ? europe.id : america.id)
        }
        let nowhere = try service.submit(["executable": "/bin/true", "affinity_datacenter_label": "asia"])
        XCTAssertEqual(try nowhere.state(), .failed)
        XCTAssertEqual(try nowhere.details().reason?.hasPrefix("no pilot of service \(service.id) matches the unit's affinity (datacenter=asia, machine=any)"), true)
    }

    /// How long a fork pilot takes from create to Running (printed for the notes).
    func testPilotStartupLatency() throws {
        let directory = TemporaryDirectory.make()
        let session = try Session()
        addTeardownBlock { session.close() }
        let pilots = try session.createPilotComputeService()
        var samples: [Double] = []
        for _ in 0..<5 {
            let began = WallClock.monotonic()
            let pilot = try pilots.createPilot([
                "service_url": "fork://localhost", "number_of_processes": 1, "working_directory": .string(directory),
            ])
            XCTAssertEqual(try pilot.waitUntilStarted(timeout: 20), .running)
            samples.append(WallClock.monotonic() - began)
            try pilot.cancel()
            XCTAssertEqual(try pilot.state(), .canceled)
        }
        let sorted = samples.sorted()
        print("pilot create -> Running: median \(Int(sorted[2] * 1000)) ms, min \(Int(sorted[0] * 1000)) ms, max \(Int(sorted[4] * 1000)) ms")
    }
}
