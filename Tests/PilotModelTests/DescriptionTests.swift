import PilotModel
import XCTest

final class DescriptionTests: XCTestCase {
    private func pilot(_ json: JSONValue) throws -> PilotDescription {
        try PilotDescription(json: json, currentDirectory: "/data/here", home: "/home/user")
    }

    private func message(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? PilotError)?.message
        }
    }

    func testPilotDefaultsAndAliases() throws {
        let description = try pilot(["resource_url": "fork://localhost", "number_of_processes": "4", "wall_time_limit": 30, "queue": "normal", "colour": "blue"])
        XCTAssertEqual(description.serviceURL.scheme, .fork)
        XCTAssertEqual(description.processes, 4)
        XCTAssertEqual(description.workingDirectory, "/home/user")
        XCTAssertEqual(description.wallTimeMinutes, 30)
        XCTAssertEqual(description.queue, "normal")
        XCTAssertEqual(description.extra, ["colour": "blue"])
        XCTAssertEqual(try pilot(["service_url": "fork://localhost", "number_of_processes": 1]).wallTimeMinutes, 60)
        XCTAssertEqual(try pilot(["service_url": "fork://localhost", "number_of_processes": 1, "working_directory": "runs/../out"]).workingDirectory,
                       "/data/here/out")
    }

    func testPilotValidationMessages() {
        let cases: [(JSONValue, String)] = [
            ([:], "pilot compute description needs 'service_url': where the pilot runs, e.g. \"fork://localhost\" (supported: fork://, ssh://, slurm://, pbs://, sge://, slurm+ssh://, pbs+ssh://, sge+ssh://)"),
            (["service_url": "fork://localhost"], "pilot compute description needs 'number_of_processes': the pilot's slot count, e.g. 4"),
            (["service_url": "fork://localhost", "number_of_processes": 0], "pilot compute description key 'number_of_processes' must be between 1 and 16777216, got 0"),
            (["service_url": "fork://localhost", "number_of_processes": 2.5], "pilot compute description key 'number_of_processes' must be a whole number, got '2.5'"),
            (["service_url": "fork://localhost", "number_of_processes": [1]], "pilot compute description key 'number_of_processes' must be a whole number, got a list"),
            (["service_url": 7, "number_of_processes": 1], "pilot compute description key 'service_url' must be a string, got a number"),
            (["service_url": "localhost", "number_of_processes": 1], "service_url 'localhost' is not a URL; use one of fork://, ssh://, slurm://, pbs://, sge://, slurm+ssh://, pbs+ssh://, sge+ssh://, e.g. fork://localhost"),
            (["service_url": "ssh://host:99999", "number_of_processes": 1], "service_url 'ssh://host:99999' has the invalid port '99999'; use a number from 1 to 65535"),
            (["service_url": "fork://localhost", "number_of_processes": 1, "walltime": -5], "pilot compute description key 'walltime' must be a positive number, got '-5'"),
            (["service_url": "fork://localhost", "number_of_processes": 1, "file_transfer": "a > b"], "pilot compute description key 'file_transfer' must be a list, got a string"),
            ([1, 2], "pilot compute description must be a JSON object of keys and values, got a list"),
        ]
        for (json, expected) in cases {
            XCTAssertEqual(message { try self.pilot(json) }, expected)
        }
    }

    func testServiceURLs() throws {
        let url = try ServiceURL("slurm+ssh://alice@login.example.org:2222/scratch")
        XCTAssertEqual(url.scheme, .slurmSSH)
        XCTAssertEqual(url.user, "alice")
        XCTAssertEqual(url.host, "login.example.org")
        XCTAssertEqual(url.port, 2222)
        XCTAssertEqual(try ServiceURL("FORK://").host, "localhost")
    }

    func testUnitDefaultsAndCommands() throws {
        let unit = try UnitDescription(json: [
            "executable": "/bin/echo", "arguments": ["I am task", 3, 1.5, true], "environment": ["TASK_NO": 3, "X": "y"],
            "number_of_processes": "2", "spmd_variation": "MPI", "note": "kept", "duration": "1.5",
            "wall_time_limit": 2.5, "restartable": true,
        ])
        XCTAssertEqual(unit.duration, 1.5)
        XCTAssertEqual(unit.timeLimit, 150)
        XCTAssertTrue(unit.restartable)
        XCTAssertFalse(try UnitDescription(json: ["executable": "x"]).restartable)
        XCTAssertEqual(unit.arguments, ["I am task", "3", "1.5", "True"])
        XCTAssertEqual(unit.environment, [EnvironmentVariable(name: "TASK_NO", value: "3"), EnvironmentVariable(name: "X", value: "y")])
        XCTAssertEqual(unit.output, "stdout")
        XCTAssertEqual(unit.error, "stderr")
        XCTAssertEqual(unit.processes, 2)
        XCTAssertEqual(unit.spmdVariation, .mpi)
        XCTAssertEqual(unit.extra, ["note": "kept"])
        XCTAssertEqual(unit.command, .argv(["/bin/echo", "I am task", "3", "1.5", "True"]))
        var shell = unit
        shell.shell = true
        XCTAssertEqual(shell.command, .shell("/bin/echo I am task 3 1.5 True"))
        let listed = try UnitDescription(json: ["executable": "env", "environment": ["A=1", "B=x=y"]])
        XCTAssertEqual(listed.environment, [EnvironmentVariable(name: "A", value: "1"), EnvironmentVariable(name: "B", value: "x=y")])
    }

    func testUnitValidationMessages() {
        let cases: [(JSONValue, String)] = [
            ([:], "compute unit description needs 'executable': the program to run, e.g. \"/bin/echo\""),
            (["executable": ""], "compute unit description needs 'executable': the program to run, e.g. \"/bin/echo\""),
            (["executable": "/bin/true", "arguments": "x"], "compute unit description key 'arguments' must be a list, got a string"),
            (["executable": "/bin/true", "environment": "A=1"], "compute unit description key 'environment' must be an object {\"NAME\": \"value\"} or a list of \"NAME=value\" strings, got a string"),
            (["executable": "/bin/true", "environment": ["=1"]], "compute unit description key 'environment' has an invalid variable name '' (names are non-empty and hold no '=' or NUL)"),
            (["executable": "/bin/true", "number_of_processes": -1], "compute unit description key 'number_of_processes' must be between 1 and 1048576, got -1"),
            (["executable": "/bin/true", "input": "a/../../b"], "compute unit description key 'input' 'a/../../b' leaves the unit's working directory: a relative path may not contain '..'; use a path inside it, or an absolute path if you mean a place outside it"),
            (["executable": "/bin/true", "working_directory": ""], "compute unit description key 'working_directory' must be a non-empty path"),
            (["executable": "/bin/true", "duration": -1], "compute unit description key 'duration' must be a positive number, got '-1'"),
            (["executable": "/bin/true", "duration": "soon"], "compute unit description key 'duration' must be a positive number, got 'soon'"),
            (["executable": "/bin/true", "wall_time_limit": 0], "compute unit description key 'wall_time_limit' must be a positive number, got '0'"),
            (["executable": "/bin/true", "restartable": "yes"], "compute unit description key 'restartable' must be true or false, got a string"),
        ]
        for (json, expected) in cases {
            XCTAssertEqual(message { try UnitDescription(json: json) }, expected)
        }
    }

    func testJSONTextRejectsGarbage() {
        XCTAssertThrowsError(try JSONText.parse("{", what: "unit_json")) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument)
            XCTAssertTrue((error as? PilotError)?.message.hasPrefix("unit_json is not valid JSON") == true)
        }
        XCTAssertEqual(try JSONText.parse("{\"a\": [1, 2.5, null, true]}", what: "x"), ["a": [1, 2.5, nil, true]])
    }
}

final class HostileJSONTests: XCTestCase {
    /// Deep nesting is refused by the parser, not a stack overflow.
    func testDeeplyNestedJSONIsAnError() {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertThrowsError(try JSONText.parse(text, what: "unit_json")) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument)
        }
        let object = "{\"executable\": \"/bin/true\", \"extra\": " + text + "}"
        XCTAssertThrowsError(try JSONText.parse(object, what: "unit_json"))
    }

    /// What the C ABI says of a unit whose environment nests 10,000 objects
    /// deep (the Python package refuses the same depth before sending it).
    func testDeepEnvironmentGetsTheNestingMessage() {
        let depth = 10_000
        let nested = String(repeating: "{\"x\": ", count: depth) + "{}" + String(repeating: "}", count: depth)
        let text = "{\"executable\": \"/bin/true\", \"environment\": " + nested + "}"
        XCTAssertThrowsError(try JSONText.parse(text, what: "unit_json")) { error in
            XCTAssertEqual((error as? PilotError)?.message,
                           "unit_json is nested too deeply: more than 100 levels of objects and lists (at byte 637); flatten it to at most 100 levels")
        }
    }
}
