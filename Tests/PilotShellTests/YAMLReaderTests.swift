import Foundation
import PilotModel
import XCTest

@testable import PilotShell

/// YAML unit files read into the same values JSON gives.
final class YAMLReaderTests: XCTestCase {
    func testAUnitListReadsAsJSONWould() throws {
        let text = """
            # two units
            units:
              - executable: /bin/echo
                arguments: [hello, "42", 42, 2.5, true, null, ~, '']
                environment: {TASK_NO: 7, NAME: "x: y"}
              - &base
                executable: /bin/date
                number_of_processes: 2
              - *base
            """
        let expected: JSONValue = ["units": [
            ["executable": "/bin/echo", "arguments": ["hello", "42", 42, 2.5, true, .null, .null, ""],
             "environment": ["TASK_NO": 7, "NAME": "x: y"]],
            ["executable": "/bin/date", "number_of_processes": 2],
            ["executable": "/bin/date", "number_of_processes": 2],
        ]]
        XCTAssertEqual(try YAMLReader.parse(text, name: "units.yaml"), expected)
    }

    func testJSONIsYAMLToo() throws {
        XCTAssertEqual(try YAMLReader.parse(#"[{"executable": "/bin/true", "arguments": ["-n", 1]}]"#, name: "f"),
                       [["executable": "/bin/true", "arguments": ["-n", 1]]])
    }

    func testPlainScalarsFollowTheCoreSchemaOnly() {
        XCTAssertEqual(PlainScalar.value("yes"), .string("yes"))
        XCTAssertEqual(PlainScalar.value("0x10"), .string("0x10"))
        XCTAssertEqual(PlainScalar.value("-3"), .int(-3))
        XCTAssertEqual(PlainScalar.value("1e3"), .double(1000))
        XCTAssertEqual(PlainScalar.value(".inf"), .string(".inf"))
        XCTAssertEqual(PlainScalar.value("FALSE"), .bool(false))
    }

    func testBadDocumentsSayWhereAndWhat() {
        assertFails("a: [1, 2\n", "units.yaml line 2, column 1: did not find expected ',' or ']'")
        assertFails("a: 1\na: 2\n", "units.yaml repeats the key \"a\"")
        assertFails("- *nowhere\n", "units.yaml uses the alias *nowhere, which names no anchor before it")
        assertFails("? [1]\n: 2\n", "units.yaml has a key that is not a plain name ([1])")
        assertFails("a: 1\n---\nb: 2\n", "units.yaml holds 2 YAML documents; put the units in one list")
        assertFails("", "units.yaml holds no YAML document")
        assertFails(String(repeating: "- ", count: 20_000) + "x\n", "units.yaml nests more than 100 levels deep; flatten it")
        let deep = String(repeating: "[", count: 60) + "x" + String(repeating: "]", count: 60)
        let around = String(repeating: "[", count: 50) + "*deep" + String(repeating: "]", count: 50)
        assertFails("a: &deep \(deep)\nb: \(around)\n", "units.yaml nests more than 100 levels deep; flatten it")
    }

    func testAnAliasBombIsRefusedQuickly() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let began = Date.timeIntervalSinceReferenceDate
        assertFails(text, "units.yaml stands for more than 1000000 values (each alias repeats what its anchor holds); use fewer aliases")
        XCTAssertLessThan(Date.timeIntervalSinceReferenceDate - began, 1)
    }

    private func assertFails(_ text: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try YAMLReader.parse(text, name: "units.yaml"), line: line) { error in
            XCTAssertEqual((error as? PilotError)?.code, .invalidArgument, line: line)
            XCTAssertTrue((error as? PilotError)?.message.hasPrefix(message) == true, "\(error)", line: line)
        }
    }
}
