import PilotModel
import XCTest

final class StateTests: XCTestCase {
    func testUnitLifecycle() {
        let legal: [(State, State)] = [
            (.new, .pending), (.pending, .staging), (.pending, .running), (.staging, .running), (.running, .done),
            (.pending, .new), (.staging, .new), (.running, .new),
            (.new, .failed), (.pending, .failed), (.staging, .failed), (.running, .failed),
            (.new, .canceled), (.pending, .canceled), (.staging, .canceled), (.running, .canceled),
        ]
        for from in State.allCases {
            for to in State.allCases {
                let expected = legal.contains { $0 == (from, to) }
                XCTAssertEqual(UnitLifecycle.allows(from, to), expected, "\(from.name) -> \(to.name)")
            }
        }
    }

    func testPilotLifecycle() {
        let legal: [(State, State)] = [
            (.pending, .running), (.pending, .failed), (.pending, .canceled),
            (.running, .done), (.running, .failed), (.running, .canceled),
        ]
        for from in State.allCases {
            for to in State.allCases {
                XCTAssertEqual(PilotLifecycle.allows(from, to), legal.contains { $0 == (from, to) }, "\(from.name) -> \(to.name)")
            }
        }
    }

    func testNamesAndFinality() {
        XCTAssertEqual(State.allCases.map(\.name), ["Unknown", "New", "Pending", "Staging", "Running", "Done", "Canceled", "Failed"])
        XCTAssertEqual(State.allCases.filter(\.isFinal), [.done, .canceled, .failed])
    }

    func testIdentifiers() {
        let unit = IdentifierKind.unit.make()
        XCTAssertTrue(unit.hasPrefix("cu-"))
        XCTAssertEqual(unit.count, 3 + 36)
        XCTAssertEqual(Identifier.sandboxName(ofUnit: unit), "sj-" + unit.dropFirst(3))
        XCTAssertTrue(IdentifierKind.pilot.make().hasPrefix("bj-"))
        XCTAssertNotEqual(IdentifierKind.pilot.make(), IdentifierKind.pilot.make())
    }
}
