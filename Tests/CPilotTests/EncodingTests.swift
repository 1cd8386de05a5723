@testable import CPilot
import Foundation
import Pilot
import XCTest

/// Every Swift enum the C ABI carries has exactly the numbers of
/// include/pilot.h: each case's number is the one of the header's
/// enumerator named after it, and the header has no enumerator more.
final class EncodingTests: XCTestCase {
    func testStatesAreTheHeadersPilotState() throws {
        let header = try HeaderEnums.read()["pilot_state"]
        XCTAssertEqual(header, Dictionary(uniqueKeysWithValues: State.allCases.map { ("PILOT_STATE_" + $0.name.uppercased(), $0.rawValue) }))
    }

    func testObjectKindsAreTheHeadersPilotObjectKind() throws {
        let header = try HeaderEnums.read()["pilot_object_kind"]
        XCTAssertEqual(header, Dictionary(uniqueKeysWithValues: ObjectKind.allCases.map { ("PILOT_OBJECT_" + "\($0)".uppercased(), $0.rawValue) }))
    }

    func testBindingsAreTheHeadersPilotBinding() throws {
        let header = try HeaderEnums.read()["pilot_binding"]
        XCTAssertEqual(header, Dictionary(uniqueKeysWithValues: Binding.allCases.map { ("PILOT_BINDING_" + "\($0)".uppercased(), $0.rawValue) }))
    }

    func testErrorCodesAreTheHeadersPilotStatus() throws {
        let header = try HeaderEnums.read()["pilot_status"]
        let codes = PilotError.Code.allCases.map { ("PILOT_ERR_" + HeaderEnums.snakeCase("\($0)"), $0.rawValue) }
        XCTAssertEqual(header, Dictionary(uniqueKeysWithValues: [("PILOT_OK", 0)] + codes))
    }

    func testJobStatesAreTheHeadersPilotJobState() throws {
        let header = try HeaderEnums.read()["pilot_job_state"]
        XCTAssertEqual(header, Dictionary(uniqueKeysWithValues: JobState.allCases.map { ("PILOT_JOB_" + $0.rawValue.uppercased(), $0.code) }))
    }

    func testJobActionsAreTheHeadersPilotJobAction() throws {
        let header = try HeaderEnums.read()["pilot_job_action"]
        XCTAssertEqual(header, Dictionary(uniqueKeysWithValues: JobControl.allCases.map { ("PILOT_JOB_" + $0.rawValue.uppercased(), $0.code) }))
        for action in JobControl.allCases {
            XCTAssertEqual(try JobControl(code: action.code), action)
        }
    }

    func testJobStateMasksAreBitsOfTheHeadersNumbers() throws {
        XCTAssertEqual(try JobState.states(inMask: 0), [.done, .failed])
        XCTAssertEqual(try JobState.states(inMask: 1 << 3 | 1 << 7), [.running, .done])
        XCTAssertEqual(try JobState.states(inMask: 0x1ff), Set(JobState.allCases))
        XCTAssertThrowsError(try JobState.states(inMask: 0x200)) { error in
            XCTAssertEqual(error as? PilotError, PilotError(.invalidArgument, "states_mask 0x200 has bits of no pilot_job_state; combine 1 << PILOT_JOB_... bits, or pass 0 for done or failed"))
        }
    }
}

/// The `typedef enum name { ... } name;` blocks of include/pilot.h.
enum HeaderEnums {
    /// Each enum's enumerators and their values, by the enum's name.
    static func read() throws -> [String: [String: Int32]] {
        let text = try String(contentsOfFile: CProgram.repository + "/include/pilot.h", encoding: .utf8)
        var enums: [String: [String: Int32]] = [:]
        for block in text.matches(of: /typedef enum (\w+) \{([^}]*)\}/) {
            let body = String(block.output.2).replacing(/\/\*.*?\*\//, with: "")
            var values: [String: Int32] = [:]
            for enumerator in body.matches(of: /(PILOT_\w+) = (-?\d+)/) {
                values[String(enumerator.output.1)] = Int32(enumerator.output.2)
            }
            enums[String(block.output.1)] = values
        }
        return enums
    }

    /// `invalidArgument` as `INVALID_ARGUMENT`.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" }
            result += character.uppercased()
        }
    }
}
