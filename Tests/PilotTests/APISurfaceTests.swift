import Glibc
import PilotSystem
import XCTest

/// `import Pilot` shows the documented API and nothing else of the core:
/// files are type-checked against the modules this test build produced.
final class APISurfaceTests: XCTestCase {
    func testTheDocumentedAPICompiles() throws {
        let result = try typecheck("""
            import Pilot
            func use() throws {
                let session = try Session(options: SessionOptions())
                let pilots = try session.createPilotComputeService()
                let pilot = try pilots.createPilot(["service_url": "fork://localhost"])
                let service = try session.createComputeDataService(binding: .early)
                try service.add(pilots)
                let unit: ComputeUnit = try service.submit(["executable": "/bin/true"])
                let state: State = try unit.wait(timeout: 1)
                let details: UnitDetails = try unit.details()
                let pilotDetails: PilotDetails = try pilot.details()
                _ = try session.subscribe { (event: StateEvent) in _ = event.kind == ObjectKind.unit }
                let url: CoordinationURL? = nil
                let error = PilotError(.invalidArgument, "x")
                let json: JSONValue = .null
                print(state, details, pilotDetails, url as Any, error, json, Binding.late)
            }
            """)
        XCTAssertEqual(result.status, .exited(0), result.error)
    }

    func testTheCoreStaysHidden() throws {
        let hidden = ["AgentHello", "CoordinatorMessage", "UnitTask", "FIFO", "Command", "Coordinator", "Registry",
                      "UnitRecord", "JobService", "ServiceURL", "ProcessSpawner", "Monitor", "WireProtocol"]
        let result = try typecheck("import Pilot\n" + hidden.map { "let _ = \($0).self\n" }.joined())
        XCTAssertEqual(result.status, .exited(1))
        for name in hidden {
            XCTAssertTrue(result.error.contains("cannot find '\(name)' in scope"), "\(name) is visible:\n\(result.error)")
        }
    }

    /// Type-checks `source` with `swiftc` against this build's modules.
    private func typecheck(_ source: String) throws -> SubprocessResult {
        let build = Self.buildDirectory
        let directory = TemporaryDirectory.make()
        defer { FileSystem.removeTree(directory) }
        let file = directory + "/probe.swift"
        XCTAssertNil(FileSystem.write(source, to: file, mode: 0o600))
        var arguments = ["swiftc", "-typecheck", "-I", build + "/Modules", file]
        for map in Self.cModuleMaps(build: build) { arguments += ["-Xcc", "-fmodule-map-file=" + map] }
        return try Subprocess.run(arguments, timeout: 120).get()
    }

    /// The directory of the test bundle: where SwiftPM put this build's modules.
    private static var buildDirectory: String {
        let bundle = CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0]
        let resolved = realpath(bundle, nil).map { pointer -> String in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? bundle
        return String(resolved[..<(resolved.lastIndex(of: "/") ?? resolved.endIndex)])
    }

    /// Module maps of the C targets the API's modules import: SwiftPM's
    /// generated ones in the build directory, and the packages' own.
    private static func cModuleMaps(build: String) -> [String] {
        let scratch = build + "/../.."
        let generated = (FileSystem.entries(of: build) ?? []).filter { $0.hasSuffix(".build") }.map { build + "/" + $0 + "/module.modulemap" }
        let packages = (FileSystem.entries(of: scratch + "/checkouts") ?? []).map { scratch + "/checkouts/" + $0 + "/Sources" }
            + [FileSystem.currentDirectory() + "/Sources"]
        let own = packages.flatMap { sources in
            (FileSystem.entries(of: sources) ?? []).map { sources + "/" + $0 + "/include/module.modulemap" }
        }
        return (generated + own).filter(FileSystem.exists)
    }
}
