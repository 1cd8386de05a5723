import PilotModel
import XCTest

/// A bad variable name and a bad value are reported as what they are.
final class EnvironmentTests: XCTestCase {
    private func refusal(_ environment: JSONValue) -> String? {
        do {
            _ = try UnitDescription(json: ["executable": "/bin/true", "environment": environment])
            return nil
        } catch {
            return error.message
        }
    }

    func testNulInAValueNamesTheVariable() {
        let expected = "compute unit description key 'environment' is invalid: the value of variable 'X' contains a NUL byte, which an environment cannot hold; remove it"
        XCTAssertEqual(refusal(["X": "a\0b"]), expected)
        XCTAssertEqual(refusal(["X=a\0b"]), expected)
    }

    func testBadNamesAreStillNames() {
        let rule = "(names are non-empty and hold no '=' or NUL)"
        XCTAssertEqual(refusal(["A\0B": "1"]), "compute unit description key 'environment' has an invalid variable name 'A\\0B' \(rule)")
        XCTAssertEqual(refusal(["A=B": "1"]), "compute unit description key 'environment' has an invalid variable name 'A=B' \(rule)")
        XCTAssertEqual(refusal(["": "1"]), "compute unit description key 'environment' has an invalid variable name '' \(rule)")
        XCTAssertEqual(refusal(["=1"]), "compute unit description key 'environment' has an invalid variable name '' \(rule)")
        XCTAssertEqual(refusal(["A\0B=1"]), "compute unit description key 'environment' has an invalid variable name 'A\\0B' \(rule)")
    }

    /// A name with a NUL is a bad name even when its value has one too.
    func testTheNameIsCheckedFirst() {
        XCTAssertEqual(refusal(["A\0=x\0"]), "compute unit description key 'environment' has an invalid variable name 'A\\0' (names are non-empty and hold no '=' or NUL)")
    }
}
