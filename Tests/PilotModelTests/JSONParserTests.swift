import XCTest

@testable import PilotModel

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONText.parse(text, what: "x")
    }

    private func assertRefused(_ text: String, _ reason: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: line) { error in
            let message = (error as? PilotError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("x is not valid JSON (\(reason)"), message, file: file, line: line)
        }
    }

    func testValuesOfEveryKind() throws {
        XCTAssertEqual(try parse(#" {"a": [1, -2.5, null, true, false], "b": {}, "c": [], "d": "e"} "#),
                       ["a": [1, -2.5, nil, true, false], "b": [:], "c": [], "d": "e"])
    }

    func testEscapesAndUnicode() throws {
        XCTAssertEqual(try parse(#""q\"b\\s\/n\n t\t r\r b\b f\f é\u00e9 \ud83d\ude00""#),
                       .string("q\"b\\s/n\n t\t r\r b\u{08} f\u{0C} éé \u{1F600}"))
        XCTAssertEqual(try parse(#""plain ünïcode ✓""#), .string("plain ünïcode ✓"))
    }

    func testNumbers() throws {
        XCTAssertEqual(try parse("0"), .int(0))
        XCTAssertEqual(try parse("-0"), .int(0))
        XCTAssertEqual(try parse("9223372036854775807"), .int(Int64.max))
        XCTAssertEqual(try parse("9223372036854775808"), .double(9223372036854775808))
        XCTAssertEqual(try parse("1.5e3"), .double(1500))
        XCTAssertEqual(try parse("2E-1"), .double(0.2))
    }

    func testMalformedTextIsRefusedWithTheReasonAndPlace() {
        assertRefused("", "the text ends where a value should be at byte 0")
        assertRefused("{\"a\": 1} x", "unexpected text after the value at byte 9")
        assertRefused("01", "unexpected text after the value at byte 1")
        assertRefused("[1,]", "unexpected character ']'")
        assertRefused("{\"a\" 1}", "expected ':' after a key")
        assertRefused("{a: 1}", "expected a quoted key")
        assertRefused("[1 2]", "expected ',' or ']' in a list")
        assertRefused("{\"a\": 1 \"b\": 2}", "expected ',' or '}' in an object")
        assertRefused("\"open", "unterminated string")
        assertRefused("\"tab\there\"", "control character in a string")
        assertRefused(#""\x""#, "unknown escape '\\x'")
        assertRefused(#""\u12""#, "short \\u escape")
        assertRefused(#""\u12g4""#, "bad hex digit in a \\u escape")
        assertRefused(#""\ud83d""#, "lone surrogate in a \\u escape")
        assertRefused(#""\ude00""#, "lone surrogate in a \\u escape")
        assertRefused("tru", "unknown literal (expected true)")
        assertRefused("nul", "unknown literal (expected null)")
        assertRefused("-", "a number needs digits")
        assertRefused("1.", "a fraction needs digits")
        assertRefused("1e+", "an exponent needs digits")
        assertRefused("1e400", "number out of range")
    }

    func testNestingIsBoundedAtOneHundredLevels() throws {
        XCTAssertEqual(JSONParser.maximumDepth, 100)
        let allowed = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertNoThrow(try parse(allowed))
        XCTAssertThrowsError(try parse("[" + allowed + "]")) { error in
            XCTAssertEqual((error as? PilotError)?.message,
                           "x is nested too deeply: more than 100 levels of objects and lists (at byte 100); flatten it to at most 100 levels")
        }
    }

    func testQuotedCharactersInReasonsAreEscaped() {
        assertRefused("\u{1}", "unexpected character '\\u{1}'")
    }
}

final class JSONRoundTripTests: XCTestCase {
    func testRenderAfterParse() throws {
        let value = try JSONText.parse(#"{"service_url": "fork://localhost", "number_of_processes": 1}"#, what: "x")
        XCTAssertEqual(JSONText.render(value), #"{"number_of_processes":1,"service_url":"fork://localhost"}"#)
    }
}
