import XCTest

@testable import PilotModel

final class IdentifierTests: XCTestCase {
    /// Ids are UUID-shaped (version 4 layout), distinct, and differ early.
    func testIdsAreDistinctUUIDs() {
        let ids = (0..<100_000).map { _ in IdentifierKind.unit.make() }
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(Set(ids.map { $0.prefix(11) }).count > 99_000, true)
        let hex = Set("0123456789abcdef")
        for id in ids.prefix(1000) {
            let parts = id.dropFirst(3).split(separator: "-", omittingEmptySubsequences: false)
            XCTAssertTrue(id.hasPrefix("cu-"))
            XCTAssertEqual(parts.map(\.count), [8, 4, 4, 4, 12], id)
            XCTAssertTrue(parts.allSatisfy { $0.allSatisfy(hex.contains) }, id)
            XCTAssertEqual(parts[2].first, "4", id)
            XCTAssertTrue("89ab".contains(parts[3].first ?? "x"), id)
        }
        XCTAssertEqual(Identifier.sandboxName(ofUnit: "cu-" + ids[0].dropFirst(3)), "sj-" + ids[0].dropFirst(3))
    }
}
