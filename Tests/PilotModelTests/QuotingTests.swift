import PilotModel
import XCTest

/// Values a user supplied are quoted in messages with a bounded prefix.
final class QuotingTests: XCTestCase {
    func testShortValuesAreQuotedWhole() {
        XCTAssertEqual(quoted("fork://localhost"), "'fork://localhost'")
        XCTAssertEqual(quoted(""), "''")
        XCTAssertEqual(quoted(String(repeating: "é", count: 80)), "'" + String(repeating: "é", count: 80) + "'")
    }

    func testLongValuesShowEightyScalarsThenTheirSize() {
        let value = String(repeating: "a", count: 81)
        XCTAssertEqual(quoted(value), "'" + String(repeating: "a", count: 80) + "…' (81 bytes)")
        XCTAssertEqual(quoted(String(repeating: "é", count: 100)), "'" + String(repeating: "é", count: 80) + "…' (200 bytes)")
    }

    func testControlCharactersAreEscaped() {
        XCTAssertEqual(quoted("a\0b\nc\td\re\u{1B}f\u{7F}"), #"'a\0b\nc\td\re\u{1b}f\u{7f}'"#)
    }

    /// One grapheme of a million combining marks is still cut after 80 scalars.
    func testCombiningMarksDoNotDefeatTheBound() {
        let value = "e" + String(repeating: "\u{301}", count: 1_000_000)
        XCTAssertLessThan(quoted(value).utf8.count, 200)
    }

    func testATenMegabyteServiceURLGivesAShortMessage() {
        let huge = String(repeating: "x", count: 10 << 20)
        let cases: [(String, String)] = [
            (huge, "service_url '\(String(repeating: "x", count: 80))…' (10485760 bytes) is not a URL; use one of fork://"),
            (huge + "://host", "service_url '\(String(repeating: "x", count: 80))…' (10485767 bytes) has the unknown scheme '\(String(repeating: "x", count: 80))…' (10485760 bytes); supported: fork://"),
            ("ssh://host:" + huge, "service_url 'ssh://host:\(String(repeating: "x", count: 69))…' (10485771 bytes) has the invalid port '\(String(repeating: "x", count: 80))…' (10485760 bytes); use a number from 1 to 65535"),
        ]
        for (url, expected) in cases {
            XCTAssertThrowsError(try PilotDescription(json: ["service_url": .string(url), "number_of_processes": 1], currentDirectory: "/", home: "/home/user")) { error in
                let message = (error as? PilotError)?.message ?? ""
                XCTAssertLessThan(message.utf8.count, 400)
                XCTAssertTrue(message.hasPrefix(expected), message)
            }
        }
    }

    func testLongValuesInDescriptionMessagesAreBounded() {
        let huge = String(repeating: "y", count: 1 << 20)
        let values: [(String, JSONValue)] = [
            ("number_of_processes", .string(huge)),
            ("spmd_variation", .string(huge)),
            ("output", .string("../" + huge)),
            ("environment", .array([.string(huge)])),
            ("environment", .object([huge: .array([])])),
            ("environment", .object([huge + "=": "1"])),
        ]
        for (key, value) in values {
            XCTAssertThrowsError(try UnitDescription(json: .object(["executable": "/bin/true", key: value]))) { error in
                let message = (error as? PilotError)?.message ?? ""
                XCTAssertLessThan(message.utf8.count, 400, message)
                XCTAssertTrue(message.contains("key '\(key)'"), message)
                XCTAssertTrue(message.contains("…' (10"), message)
            }
        }
        XCTAssertThrowsError(try CoordinationURL("pilot+unix://" + huge)) { error in
            XCTAssertLessThan((error as? PilotError)?.message.utf8.count ?? .max, 400)
        }
    }
}
