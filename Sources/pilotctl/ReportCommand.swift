import ArgumentParser
import Glibc
import PilotReport
import PilotSystem

/// `pilotctl report`: a timeline report of a session, read from its
/// journal without changing anything in the session.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a timeline report (HTML, SVG or CSV) of a journaled session.",
        discussion: """
            Reads <session directory>/journal.sqlite read-only, also while pilotctl serve still writes it. \
            Bad input (no such session, no journal, unknown format, unwritable output) exits with 2. \
            See docs/report.md.
            """)

    @Argument(help: "A session directory, or a session id (ps-...) under $TMPDIR/pilot-<uid>.")
    var session: String

    @Option(name: .shortAndLong, help: "The file to write (default, or -: standard output).")
    var output: String?

    @Option(help: "html, svg or csv (default: from the output's extension, else html).")
    var format: String?

    func run() throws {
        do {
            let location = try SessionLocation(session)
            let chosen = try format.map { name throws(ReportError) in try ReportFormat(named: name) }
                ?? output.flatMap(ReportFormat.init(path:)) ?? .html
            let file = output == "-" ? nil : output
            if let file { try refuseInside(location.directory, file) }
            let text = Report.render(try JournalReader.read(location.journal), as: chosen)
            if let file {
                if let problem = FileSystem.redirect(text, to: file) {
                    throw ReportError("\(problem); choose a writable path for -o")
                }
            } else if !FileSystem.writeAll(text, to: 1) {
                throw ReportError("cannot write the report to standard output: \(FileSystem.errorText(errno))")
            }
        } catch let error as ReportError {
            StandardStreams.error("pilotctl report: \(error.message)\n")
            throw ExitCode(2)
        }
    }

    /// A report never changes the session: refuses an output file in its directory.
    private func refuseInside(_ directory: String, _ output: String) throws(ReportError) {
        var session = stat()
        var parent = stat()
        guard stat(directory, &session) == 0, stat(FileSystem.parentDirectory(output), &parent) == 0 else { return }
        if session.st_dev == parent.st_dev, session.st_ino == parent.st_ino {
            throw ReportError("refusing to write \(output) into the session directory \(directory): a report changes nothing in the session; write it elsewhere")
        }
    }
}
