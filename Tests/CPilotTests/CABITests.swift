import Foundation
import XCTest

/// The C ABI from C: programs compiled with `cc` against include/pilot.h
/// and linked to the libpilot.so that `swift build` made.
final class CABITests: XCTestCase {
    /// Acceptance 2: 200 units, one callback per state change, in order.
    func testEnsembleFromC() throws {
        let program = try CProgram.build("ensemble")
        let result = try program.run([TemporaryDirectory.make()])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("pilot Running\n"), result.output)
        XCTAssertTrue(result.output.contains("done 200 of 200, right output 200\n"), result.output)
        XCTAssertTrue(result.output.contains(
            "unit events 800, units with New>Pending>Running>Done 200, out of order 0, pilot running events 1\n"), result.output)
    }

    /// Acceptance 8: every malformed call returns its error and message; the process survives.
    func testBadInputGetsErrorsNotCrashes() throws {
        let program = try CProgram.build("bad_input")
        let result = try program.run([TemporaryDirectory.make()])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("FAIL"), result.output)
        XCTAssertTrue(result.output.contains("82 checks, 0 failures\n"), result.output)
    }

    /// The library-wide calls: the version matches the header's, every code
    /// of the header has its text, the capabilities are this build's.
    func testVersionAndCodeTexts() throws {
        let result = try CProgram.build("library").run([])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("FAIL"), result.output)
        XCTAssertTrue(result.output.hasSuffix("\n21 checks, 0 failures\n"), result.output)
    }

    /// Pilot data, data units, replicas, export and input_data through the C ABI.
    func testPilotDataThroughTheCABI() throws {
        let result = try CProgram.build("pilot_data").run([TemporaryDirectory.make()])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("FAIL"), result.output)
        XCTAssertTrue(result.output.hasSuffix("\n29 checks, 0 failures\n"), result.output)
    }

    /// The job calls speak pilot_job_state numbers in out-parameters, masks and JSON.
    func testJobCallsUseTheHeadersNumbers() throws {
        let result = try CProgram.build("job_codes").run([])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("FAIL"), result.output)
        XCTAssertTrue(result.output.hasSuffix("\n14 checks, 0 failures\n"), result.output)
    }

    /// pilot_cds_details: binding, the PCSs added and cancellation, as the coordinator records them.
    func testComputeDataServiceDetails() throws {
        let result = try CProgram.build("services").run([TemporaryDirectory.make()])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("FAIL"), result.output)
        XCTAssertTrue(result.output.hasSuffix("\n20 checks, 0 failures\n"), result.output)
    }

    /// pilot_cds_wait_progress: the caller's function sees the counts and can stop the wait.
    func testProgressFunctionSeesTheWaitAndCanStopIt() throws {
        let result = try CProgram.build("progress").run([TemporaryDirectory.make()])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("FAIL"), result.output)
        XCTAssertTrue(result.output.hasSuffix("\n15 checks, 0 failures\n"), result.output)
    }

    /// An agent whose manager dies (SIGKILL) exits by itself and kills its units.
    func testAgentExitsWhenItsManagerDies() throws {
        let program = try CProgram.build("dying_manager")
        let result = try program.run([TemporaryDirectory.make()])
        XCTAssertEqual(result.status, 9, "the manager killed itself: \(result.output)")
        let pids = result.output.split(separator: "\n").compactMap { line -> Int32? in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? Int32(parts[1]) : nil
        }
        XCTAssertEqual(pids.count, 2, result.output)
        for pid in pids where pid > 0 {
            XCTAssertTrue(waitUntilGone(pid, seconds: 5), "process \(pid) outlived its manager")
        }
    }

    private func waitUntilGone(_ pid: Int32, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if kill(pid, 0) != 0 { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") == true { return true }
            usleep(50_000)
        }
        return false
    }

    /// Every input of the fuzz corpus (its seeds and each crash fuzzing
    /// found) runs through the fuzz target in the ordinary build: no crash.
    func testFuzzCorpusReplaysWithoutACrash() throws {
        let fuzz = CProgram.repository + "/Tests/Fuzz"
        let program = try CProgram.build(sources: [fuzz + "/abi_fuzz.c", fuzz + "/replay.c"], name: "fuzz-replay")
        let corpus = fuzz + "/corpus"
        let inputs = try FileManager.default.contentsOfDirectory(atPath: corpus).sorted().map { corpus + "/" + $0 }
        // Short: the session's socket path must fit in 108 bytes.
        let home = "/tmp/pilot-fuzz-\(getpid())"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: home) }
        let result = try program.run(inputs, environment: ["HOME": home, "TMPDIR": home, "PILOT_AGENT": home + "/no-such-agent"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.hasSuffix("replayed \(inputs.count) inputs\n"), result.output)
    }

    /// The README's C example builds and runs.
    func testTheExampleInExamples() throws {
        let program = try CProgram.build(source: CProgram.repository + "/examples/date.c", name: "date")
        let home = TemporaryDirectory.make()
        let result = try program.run([], environment: ["HOME": home])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output, "unit Done\n")
    }

    /// The header compiles as C99 and as C++, and every function it declares is exported.
    func testHeaderCompilesAsCAndCxxAndMatchesTheLibrary() throws {
        let header = CProgram.repository + "/include/pilot.h"
        for (compiler, flags) in [("cc", ["-std=c99", "-x", "c"]), ("c++", ["-std=c++11", "-x", "c++"])] {
            let result = try CProgram.execute(compiler, flags + ["-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only", header])
            XCTAssertEqual(result.status, 0, "\(compiler): \(result.output)")
        }
        let declared = Set(try String(contentsOfFile: header, encoding: .utf8)
            .split(separator: "\n")
            .compactMap { line -> String? in
                guard let match = line.firstMatch(of: /^(?:int|const char|void) \*?(pilot_[a-z_]+)\(/) else { return nil }
                return String(match.1)
            })
        let symbols = try CProgram.execute("nm", ["-D", "--defined-only", CProgram.buildDirectory + "/libpilot.so"])
        let exported = Set(symbols.output.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            return parts.count == 3 && parts[1] == "T" && parts[2].hasPrefix("pilot_") ? String(parts[2]) : nil
        })
        XCTAssertEqual(declared.count, 93)
        XCTAssertEqual(declared, exported)
    }
}

/// Builds and runs the C test programs in Tests/CPilotTests/c.
struct CProgram {
    /// The repository root (two levels above this file's directory).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// Where `swift build` put libpilot.so: beside this test bundle.
    static let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path

    let path: String

    /// Compiles Tests/CPilotTests/c/`name`.c (see `build(source:name:)`).
    static func build(_ name: String) throws -> CProgram {
        try build(source: repository + "/Tests/CPilotTests/c/\(name).c", name: name)
    }

    /// Compiles `source` as C99 with warnings as errors, linked to libpilot.so.
    static func build(source: String, name: String) throws -> CProgram {
        try build(sources: [source], name: name)
    }

    /// Compiles `sources` into one C99 program (warnings are errors), linked to libpilot.so.
    static func build(sources: [String], name: String) throws -> CProgram {
        let output = NSTemporaryDirectory() + "pilot-c-\(name)-\(getpid())"
        let result = try execute("cc", [
            "-std=c99", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-pedantic", "-Werror",
            "-I", repository + "/include"] + sources + [
            "-L", buildDirectory, "-lpilot", "-lpthread", "-lm", "-Wl,-rpath," + buildDirectory, "-o", output,
        ])
        guard result.status == 0 else {
            throw CompileError(message: result.output)
        }
        return CProgram(path: output)
    }

    struct CompileError: Error, CustomStringConvertible {
        let message: String
        var description: String { "cc failed: \(message)" }
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try Self.execute(path, arguments, environment: environment)
    }

    /// Runs `command` (looked up in PATH) with `environment` added to ours;
    /// returns its exit status and combined output.
    static func execute(_ command: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

enum TemporaryDirectory {
    /// A new empty directory under /tmp.
    static func make() -> String {
        let path = NSTemporaryDirectory() + "pilot-c-test-" + UUID().uuidString.lowercased()
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
