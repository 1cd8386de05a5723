import PilotModel
import XCTest

/// Staging keys of a unit description: BigJob's and TROY's
/// `file_transfer`, RADICAL-Pilot's directives, and their errors.
final class StagingDescriptionTests: XCTestCase {
    private func staging(_ fields: [String: JSONValue]) throws(PilotError) -> UnitStaging {
        var object = fields
        object["executable"] = "/bin/true"
        return try UnitDescription(json: .object(object)).staging
    }

    private func refusal(_ fields: [String: JSONValue]) -> String? {
        do {
            _ = try staging(fields)
            return nil
        } catch {
            return error.message
        }
    }

    func testBigJobFileTransfersStageInAndOut() throws {
        let parsed = try staging(["file_transfer": [
            "ssh://localhost:2222/data/test.txt > SUBJOB_WORK_DIR",
            "/data/b.txt > SUBJOB_WORK_DIR/inputs/b.txt",
            "/results/ < SUBJOB_WORK_DIR/out.dat",
        ]])
        XCTAssertEqual(parsed.input, [
            StagingDirective(source: "ssh://localhost:2222/data/test.txt", target: "./", action: .transfer),
            StagingDirective(source: "/data/b.txt", target: "inputs/b.txt", action: .transfer),
        ])
        XCTAssertEqual(parsed.output, [StagingDirective(source: "out.dat", target: "/results/", action: .transfer)])
        XCTAssertFalse(parsed.outputAfterFailure)
    }

    func testRadicalPilotDirectivesTakeStringsAndObjects() throws {
        let parsed = try staging([
            "input_staging": ["/data/in.txt", "/data/x > y", ["source": "/data/db", "target": "db", "action": "Link"]],
            "output_staging": [["source": "std*", "target": "ssh://host/results/", "action": "Move"]],
            "stage_out_on_failure": true,
        ])
        XCTAssertEqual(parsed.input, [
            StagingDirective(source: "/data/in.txt", target: ".", action: .transfer),
            StagingDirective(source: "/data/x", target: "y", action: .transfer),
            StagingDirective(source: "/data/db", target: "db", action: .link),
        ])
        XCTAssertEqual(parsed.output, [StagingDirective(source: "std*", target: "ssh://host/results/", action: .move)])
        XCTAssertTrue(parsed.outputAfterFailure)
    }

    func testBadDirectivesSayWhatIsWrong() {
        XCTAssertEqual(refusal(["file_transfer": ["data.txt > SUBJOB_WORK_DIR"]]),
                       "compute unit description key 'file_transfer' item 0 source 'data.txt' is relative; this end must be absolute (the coordinator may run in another directory or on another host): write /absolute/path, file:///absolute/path or ssh://[user@]host[:port]/absolute/path")
        XCTAssertEqual(refusal(["file_transfer": ["/data.txt > /tmp"]]),
                       "compute unit description key 'file_transfer' item 0 '/data.txt > /tmp' must name SUBJOB_WORK_DIR on the right of '>' (\"SRC > SUBJOB_WORK_DIR\", \"DEST < SUBJOB_WORK_DIR/file\")")
        XCTAssertEqual(refusal(["file_transfer": ["/a >> SUBJOB_WORK_DIR"]]),
                       "compute unit description key 'file_transfer' item 0 '/a >> SUBJOB_WORK_DIR' appends ('>>' or '<<'), which is not supported; use '>' to stage in or '<' to stage out")
        XCTAssertEqual(refusal(["file_transfer": ["/a"]]),
                       "compute unit description key 'file_transfer' item 0 '/a' must read \"SRC > SUBJOB_WORK_DIR\" (stage in) or \"DEST < SUBJOB_WORK_DIR/file\" (stage out)")
        XCTAssertEqual(refusal(["input_staging": ["gsiftp://host/x"]]),
                       "compute unit description key 'input_staging' item 0 source 'gsiftp://host/x' has the unsupported scheme 'gsiftp'; write file:///absolute/path or ssh://[user@]host[:port]/absolute/path")
        XCTAssertEqual(refusal(["input_staging": ["/x > ../up"]]),
                       "compute unit description key 'input_staging' item 0 target '../up' leaves the unit's working directory: a relative path may not contain '..'")
        XCTAssertEqual(refusal(["input_staging": [["source": "/x", "action": "Teleport"]]]),
                       "compute unit description key 'input_staging' item 0 'action' must be one of Transfer, Copy, Link, Move, got 'Teleport'")
        XCTAssertEqual(refusal(["output_staging": ["out.dat"]]),
                       "compute unit description key 'output_staging' item 0 'out.dat' needs a target for the staged-out files: \"out.dat > /absolute/dir/\" or an ssh:// URL")
        XCTAssertEqual(refusal(["output_staging": ["out.dat > results/"]]),
                       "compute unit description key 'output_staging' item 0 target 'results/' is relative; this end must be absolute (the coordinator may run in another directory or on another host): write /absolute/path, file:///absolute/path or ssh://[user@]host[:port]/absolute/path")
        XCTAssertEqual(refusal(["input_staging": ["ssh://-oProxyCommand=x/etc/passwd"]]),
                       "compute unit description key 'input_staging' item 0 source 'ssh://-oProxyCommand=x/etc/passwd' names no usable host; write file:///absolute/path or ssh://[user@]host[:port]/absolute/path")
        XCTAssertEqual(refusal(["input_staging": ["file://otherhost/x"]]),
                       "compute unit description key 'input_staging' item 0 source 'file://otherhost/x' names the host 'otherhost' in a file:// URL; use ssh://otherhost/x for another host")
    }
}
