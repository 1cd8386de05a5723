import Pilot
import PilotSystem
import XCTest

/// How units run: shell and argv modes, slots, failures (acceptance 3-5).
final class ExecutionTests: XCTestCase {
    /// Acceptance 3: shell mode expands `$TASK_NO`; argv mode passes it literally.
    func testShellModeExpandsVariablesAndArgvModeDoesNot() throws {
        let fixture = try forkPilot(slots: 2)
        let base: [String: JSONValue] = [
            "executable": "/bin/echo", "arguments": ["I am task number $TASK_NO"], "environment": ["TASK_NO": 7],
        ]
        var shell = base
        shell["shell"] = true
        let expanded = try fixture.pilot.submit(.object(shell))
        let literal = try fixture.pilot.submit(.object(base))
        XCTAssertEqual(try expanded.wait(timeout: 30), .done)
        XCTAssertEqual(try literal.wait(timeout: 30), .done)
        XCTAssertEqual(try output(of: expanded), "I am task number 7\n")
        XCTAssertEqual(try output(of: literal), "I am task number $TASK_NO\n")
    }

    /// Units see their own environment on top of the agent's, and stdin from `input`.
    func testEnvironmentListInputAndOutputNames() throws {
        let fixture = try forkPilot(slots: 1)
        let directory = TemporaryDirectory.make()
        XCTAssertNil(FileSystem.write("from a file\n", to: directory + "/in.txt", mode: 0o644))
        let unit = try fixture.pilot.submit([
            "executable": "/bin/sh", "arguments": ["-c", "cat; echo \"$GREETING\"; echo oops >&2"],
            "environment": ["GREETING=hello world"], "working_directory": .string(directory),
            "input": "in.txt", "output": "out.txt", "error": "err.txt",
        ])
        XCTAssertEqual(try unit.wait(timeout: 30), .done)
        XCTAssertEqual(try unit.details().workingDirectory, directory)
        XCTAssertEqual(FileSystem.read(directory + "/out.txt"), "from a file\nhello world\n")
        XCTAssertEqual(FileSystem.read(directory + "/err.txt"), "oops\n")
    }

    /// Acceptance 4: a 2-slot unit holds 2 of 4 slots; a 5-slot unit fails at once.
    func testMultiSlotUnitsHoldTheirSlotsAndOversizeUnitsFail() throws {
        let fixture = try forkPilot(slots: 4)
        let units = try fixture.pilot.submit(many: (0..<6).map { _ in
            ["executable": "/bin/sleep", "arguments": ["0.3"], "number_of_processes": 2]
        })
        XCTAssertThrowsError(try fixture.pilot.submit(["executable": "/bin/true", "number_of_processes": 5])) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument, "an oversize unit fails at submission")
            XCTAssertEqual((error as? PilotError)?.message,
                           "compute unit description key 'number_of_processes' asks for 5 slots but the largest pilot available has 4; ask for fewer processes or start a bigger pilot")
        }
        let service = try fixture.computeService()
        XCTAssertThrowsError(try service.submit(many: [["executable": "/bin/true"], ["executable": "/bin/true", "number_of_processes": 9]])) { error in
            XCTAssertEqual((error as? PilotError)?.message.hasPrefix("unit 1: compute unit description key 'number_of_processes' asks for 9 slots"), true)
        }
        XCTAssertEqual(try service.units().count, 0, "a rejected batch submits nothing")
        for unit in units { XCTAssertEqual(try unit.wait(timeout: 30), .done) }
        let spans = try units.map { unit -> (Double, Double) in
            let details = try unit.details()
            return (try XCTUnwrap(details.started), try XCTUnwrap(details.finished))
        }
        var mostAtOnce = 0
        for (start, _) in spans {
            let overlapping = spans.filter { $0.0 <= start && start < $0.1 }.count
            mostAtOnce = max(mostAtOnce, overlapping)
        }
        XCTAssertEqual(mostAtOnce, 2, "two 2-slot units fill a 4-slot pilot")
    }

    /// Acceptance 5: a missing executable fails with a reason; exit 3 fails with code 3.
    func testMissingExecutableAndNonZeroExitFail() throws {
        let fixture = try forkPilot(slots: 2)
        let missing = try fixture.pilot.submit(["executable": "/no/such/program"])
        let exiting = try fixture.pilot.submit(["executable": "/bin/sh", "arguments": ["-c", "exit 3"]])
        XCTAssertEqual(try missing.wait(timeout: 30), .failed)
        XCTAssertEqual(try missing.details().reason, "executable not found: /no/such/program (No such file or directory)")
        XCTAssertNil(try missing.details().exitCode)
        XCTAssertEqual(try exiting.wait(timeout: 30), .failed)
        XCTAssertEqual(try exiting.details().exitCode, 3)
        XCTAssertEqual(try exiting.details().reason, "exited with code 3")
    }

    /// BigJob's shell semantics give the same outputs, exit codes and states
    /// whether the agent runs a line directly or through bash.
    func testDirectAndShellPathsGiveIdenticalResults() throws {
        let fixture = try forkPilot(slots: 2)
        let script = fixture.directory + "/no-shebang.sh"
        XCTAssertNil(FileSystem.write("echo from a script without shebang\nexit 4\n", to: script, mode: 0o755))
        let lines = [
            "/bin/echo hello   world", "/bin/true", "/bin/false", "/bin/sh -c exit", "/usr/bin/seq 3",
            "/bin/cat /no/such/file", "/no/such/program arg", script, "/bin/date --date=@0 --utc",
        ]
        for line in lines {
            let words = line.split(separator: " ").map { JSONValue.string(String($0)) }
            var direct: [String: JSONValue] = ["executable": words[0], "arguments": .array(Array(words.dropFirst())), "shell": true]
            direct["working_directory"] = .string(fixture.directory + "/direct-\(lines.firstIndex(of: line) ?? 0)")
            let viaBash: JSONValue = [
                "executable": "/bin/bash", "arguments": ["-c", .string(line)],
                "working_directory": .string(fixture.directory + "/bash-\(lines.firstIndex(of: line) ?? 0)"),
            ]
            let fast = try fixture.pilot.submit(.object(direct))
            let slow = try fixture.pilot.submit(viaBash)
            XCTAssertEqual(try fast.wait(timeout: 30), try slow.wait(timeout: 30), line)
            XCTAssertEqual(try fast.details().exitCode, try slow.details().exitCode, line)
            for file in ["stdout", "stderr"] {
                let fastOutput = FileSystem.read(try XCTUnwrap(fast.details().workingDirectory) + "/" + file)
                let slowOutput = FileSystem.read(try XCTUnwrap(slow.details().workingDirectory) + "/" + file)
                XCTAssertEqual(fastOutput, slowOutput, "\(line): \(file)")
            }
        }
    }

    /// Units start with no standard signal (1-31) ignored or blocked, whatever
    /// the host process set (the agent itself ignores SIGPIPE, as NIO does).
    func testUnitsStartWithDefaultSignals() throws {
        let fixture = try forkPilot(slots: 1)
        let unit = try fixture.pilot.submit(["executable": "/bin/grep", "arguments": ["-E", "^Sig(Ign|Blk)", "/proc/self/status"]])
        XCTAssertEqual(try unit.wait(timeout: 30), .done)
        let masks = try XCTUnwrap(output(of: unit)).split(separator: "\n").compactMap { line -> UInt64? in
            line.split(separator: "\t").last.flatMap { UInt64($0, radix: 16) }
        }
        XCTAssertEqual(masks.count, 2)
        XCTAssertEqual(masks.map { $0 & 0x7fff_ffff }, [0, 0], "SigBlk and SigIgn, standard signals")
    }

    /// Executables without a slash are found in PATH.
    func testProgramNamesAreLookedUpInPath() throws {
        let fixture = try forkPilot(slots: 1)
        let unit = try fixture.pilot.submit(["executable": "echo", "arguments": ["found"]])
        XCTAssertEqual(try unit.wait(timeout: 30), .done)
        XCTAssertEqual(try output(of: unit), "found\n")
    }

    private func output(of unit: ComputeUnit) throws -> String? {
        FileSystem.read(try XCTUnwrap(unit.details().workingDirectory) + "/stdout")
    }
}
