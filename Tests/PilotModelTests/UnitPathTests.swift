import PilotModel
import XCTest

/// One rule for every path of a unit (working_directory, input, output,
/// error): absolute paths are taken as written; relative ones stay inside
/// the place they resolve against, so they may not hold `..`.
final class UnitPathTests: XCTestCase {
    private func unit(_ key: String, _ path: String) throws(PilotError) -> UnitDescription {
        try UnitDescription(json: .object(["executable": "/bin/true", key: .string(path)]))
    }

    private func refusal(_ key: String, _ path: String) -> String? {
        do {
            _ = try unit(key, path)
            return nil
        } catch {
            return error.message
        }
    }

    func testClimbingOutOfTheSandboxIsRefused() {
        XCTAssertEqual(refusal("working_directory", "../.."),
                       "compute unit description key 'working_directory' '../..' leaves the pilot's sandbox: a relative path may not contain '..'; use a path inside it, or an absolute path if you mean a place outside it")
        XCTAssertEqual(refusal("working_directory", "sub/../../x"),
                       "compute unit description key 'working_directory' 'sub/../../x' leaves the pilot's sandbox: a relative path may not contain '..'; use a path inside it, or an absolute path if you mean a place outside it")
        for key in ["input", "output", "error"] {
            XCTAssertEqual(refusal(key, "../x"),
                           "compute unit description key '\(key)' '../x' leaves the unit's working directory: a relative path may not contain '..'; use a path inside it, or an absolute path if you mean a place outside it")
        }
    }

    func testPathsInsideOrAbsoluteAreAccepted() throws {
        XCTAssertEqual(try unit("working_directory", "sub/dir").workingDirectory, "sub/dir")
        XCTAssertEqual(try unit("working_directory", "/abs/path").workingDirectory, "/abs/path")
        XCTAssertEqual(try unit("working_directory", "/abs/../other").workingDirectory, "/abs/../other")
        XCTAssertEqual(try unit("working_directory", "~/runs").workingDirectory, "~/runs")
        XCTAssertEqual(try unit("working_directory", "a..b/.x").workingDirectory, "a..b/.x")
        XCTAssertEqual(try unit("output", "logs/out.txt").output, "logs/out.txt")
        XCTAssertEqual(try unit("output", "/tmp/../tmp/out").output, "/tmp/../tmp/out")
        XCTAssertEqual(try unit("input", "/etc/hostname").input, "/etc/hostname")
        XCTAssertEqual(try unit("error", "./err").error, "./err")
    }

    /// `~` means the agent's home only for the working directory; in a file name it is a plain name.
    func testTildeIsAPlainNameForFiles() {
        XCTAssertEqual(refusal("output", "~/../x"),
                       "compute unit description key 'output' '~/../x' leaves the unit's working directory: a relative path may not contain '..'; use a path inside it, or an absolute path if you mean a place outside it")
    }

    func testEmptyPathsAndNulBytesAreRefused() {
        for key in ["working_directory", "input", "output", "error"] {
            XCTAssertEqual(refusal(key, ""), "compute unit description key '\(key)' must be a non-empty path")
            XCTAssertEqual(refusal(key, "a\0b"), "compute unit description key '\(key)' 'a\\0b' contains a NUL byte, which a path cannot hold")
        }
    }
}
