import FoundationEssentials
import Glibc
import PilotModel
import PilotSystem

/// What a stager process is asked to do: directives for one unit's
/// working directory. The agent writes it as JSON on the stager's stdin.
package struct StagingPlan: Sendable, Equatable, Codable {
    /// The unit's working directory (absolute).
    package var directory: String
    /// The directives, in order.
    package var directives: [StagingDirective]

    /// Creates a plan.
    package init(directory: String, directives: [StagingDirective]) {
        self.directory = directory
        self.directives = directives
    }
}

/// What a stager process answers on stdout, one JSON object.
package struct StagingReport: Sendable, Equatable, Codable {
    /// What was staged, when every directive succeeded.
    package var tally: StagingTally?
    /// Why staging failed, otherwise.
    package var reason: String?

    /// Reads the report a stager printed; a missing or garbled one says
    /// how the stager ended instead.
    package init(output: String, ended status: String) {
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        if let report = try? JSONDecoder().decode(StagingReport.self, from: Data(line.utf8)), report.tally != nil || report.reason != nil {
            self = report
        } else {
            self.init(reason: "the stager \(status) without a report" + (output.isEmpty ? "" : ": \(quoted(output))"))
        }
    }

    private init(tally: StagingTally? = nil, reason: String? = nil) {
        self.tally = tally
        self.reason = reason
    }

    /// The body of `pilot-agent --stage`: reads a plan from stdin, runs it
    /// and prints the report. Returns the exit status (0 when staged).
    package static func serveStandardInput() -> Int32 {
        guard let input = FileSystem.read("/dev/stdin") else { return answer(StagingReport(reason: "the stager cannot read its plan from stdin")) }
        let plan: StagingPlan
        do {
            plan = try JSONDecoder().decode(StagingPlan.self, from: Data(input.utf8))
        } catch {
            return answer(StagingReport(reason: "the stager's plan is not valid: \(error)"))
        }
        guard plan.directory.hasPrefix("/") else { return answer(StagingReport(reason: "the stager's directory \(quoted(plan.directory)) is not absolute")) }
        let stager = Stager(sandbox: plan.directory)
        defer { stager.close() }
        switch stager.run(plan.directives) {
        case .success(let tally): return answer(StagingReport(tally: tally))
        case .failure(let failure): return answer(StagingReport(reason: failure.reason))
        }
    }

    private static func answer(_ report: StagingReport) -> Int32 {
        print(JSONText.render(report))
        return report.tally == nil ? 1 : 0
    }
}
