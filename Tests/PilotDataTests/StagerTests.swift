import Foundation
import PilotData
import PilotModel
import XCTest

/// The stager against this host's file system and the tests' sshd on
/// 127.0.0.1:2222 (`.ci/rm-up.sh` starts it): files arrive whole and
/// verified, failures name the file, the host and what was said.
final class StagerTests: XCTestCase {
    private var root = ""
    private let ssh = "ssh://localhost:2222"

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "stager-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/data/set", withIntermediateDirectories: true)
        try "hello\n".write(toFile: root + "/data/test.txt", atomically: true, encoding: .utf8)
        try "a\n".write(toFile: root + "/data/a.dat", atomically: true, encoding: .utf8)
        try "b\n".write(toFile: root + "/data/b.dat", atomically: true, encoding: .utf8)
        try Data(repeating: 7, count: 3 << 20).write(to: URL(fileURLWithPath: root + "/data/set/big.bin"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func stage(_ directives: [StagingDirective], in sandbox: String) -> Result<StagingTally, StagingError> {
        let stager = Stager(sandbox: sandbox)
        defer { stager.close() }
        return stager.run(directives)
    }

    private func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// Hidden partial directories left anywhere under `path`.
    private func partials(under path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter { $0.contains(".pilot-partial-") }
    }

    func testLocalFilesGlobsAndDirectoriesArriveInTheSandbox() throws {
        let sandbox = root + "/sandbox"
        let tally = try stage([
            StagingDirective(source: root + "/data/test.txt", target: ".", action: .copy),
            StagingDirective(source: "file://" + root + "/data/*.dat", target: "inputs/", action: .transfer),
            StagingDirective(source: root + "/data/set", target: "renamed", action: .copy),
        ], in: sandbox).get()
        XCTAssertEqual(contents(sandbox + "/test.txt"), "hello\n")
        XCTAssertEqual(contents(sandbox + "/inputs/a.dat"), "a\n")
        XCTAssertEqual(contents(sandbox + "/inputs/b.dat"), "b\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: sandbox + "/renamed/big.bin")).count, 3 << 20)
        XCTAssertEqual(tally.files, 4)
        XCTAssertEqual(tally.bytes, 6 + 2 + 2 + (3 << 20))
        XCTAssertEqual(partials(under: sandbox), [])
    }

    func testLinkMakesSymbolicLinksToTheSource() throws {
        let sandbox = root + "/sandbox"
        _ = try stage([StagingDirective(source: root + "/data/test.txt", target: "./", action: .link)], in: sandbox).get()
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: sandbox + "/test.txt"), root + "/data/test.txt")
    }

    func testFilesComeFromAndGoToAnSshHostAndMoveRemovesTheSource() throws {
        let sandbox = root + "/sandbox"
        let tally = try stage([
            StagingDirective(source: "\(ssh)\(root)/data/test.txt", target: ".", action: .transfer),
            StagingDirective(source: "\(ssh)\(root)/data/set", target: "./", action: .copy),
        ], in: sandbox).get()
        XCTAssertEqual(contents(sandbox + "/test.txt"), "hello\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: sandbox + "/set/big.bin")), Data(repeating: 7, count: 3 << 20))
        XCTAssertEqual(tally.files, 2)
        _ = try stage([StagingDirective(source: "*.txt", target: "\(ssh)\(root)/out/", action: .move)], in: sandbox).get()
        XCTAssertEqual(contents(root + "/out/test.txt"), "hello\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox + "/test.txt"), "a move removes its source")
        XCTAssertEqual(partials(under: root), [])
    }

    func testAMissingFileNamesTheFileAndTheHost() {
        let missing = "\(ssh)\(root)/data/nothere.txt"
        XCTAssertEqual(stage([StagingDirective(source: missing, target: ".", action: .transfer)], in: root + "/sandbox"),
                       .failure(StagingError(reason: "staging \(missing) to .: cannot read \(root)/data/nothere.txt on localhost:2222: no file matches nothere.txt in \(root)/data")))
        XCTAssertEqual(stage([StagingDirective(source: root + "/data/*.none", target: "./", action: .copy)], in: root + "/sandbox"),
                       .failure(StagingError(reason: "staging \(root)/data/*.none to ./: cannot read \(root)/data/*.none: no file matches *.none in \(root)/data")))
    }

    func testAHostThatRefusesIsTriedThreeTimesAndNamed() {
        let began = Date()
        guard case .failure(let failure) = stage([StagingDirective(source: "ssh://localhost:1\(root)/data/test.txt", target: ".", action: .copy)],
                                                 in: root + "/sandbox") else { return XCTFail("staged from a closed port") }
        XCTAssertTrue(failure.reason.hasPrefix("staging ssh://localhost:1\(root)/data/test.txt to . (after 3 attempts): cannot read \(root)/data/test.txt on localhost:1: ssh failed: "), failure.reason)
        XCTAssertTrue(failure.reason.contains("Connection refused"), failure.reason)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(began), 3, "waits 1 s, then 2 s, between attempts")
    }
}
