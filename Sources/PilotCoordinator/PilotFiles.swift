import PilotData
import PilotModel

/// A pilot's `file_transfer` (BigJob's `"SRC > BIGJOB_WORK_DIR"`): files
/// copied into its sandbox before its agent starts, wherever the sandbox
/// is (this host for fork and batch pilots, whose working directories the
/// nodes share; the ssh or login host for `ssh://` and `+ssh` pilots).
enum PilotFiles {
    /// Stages `description`'s files into `sandbox`; the error says which file failed and why.
    static func stage(_ description: PilotDescription, into sandbox: String) throws(PilotError) {
        guard !description.staging.isEmpty else { return }
        let url = description.serviceURL
        let place: String
        switch url.scheme {
        case .fork, .slurm, .pbs, .sge:
            place = sandbox
        case .ssh, .slurmSSH, .pbsSSH, .sgeSSH:
            place = "ssh://" + (url.user.map { $0 + "@" } ?? "") + url.host + (url.port.map { ":\($0)" } ?? "") + sandbox
        }
        // Sandbox-relative targets become places in the pilot's sandbox.
        let directives = description.staging.map { directive in
            let target = directive.target == "./" || directive.target == "." ? "" : directive.target
            return StagingDirective(source: directive.source, target: place + "/" + target, action: directive.action)
        }
        let stager = Stager(sandbox: "/")
        defer { stager.close() }
        if case .failure(let failure) = stager.run(directives) {
            throw PilotError(.backend, "pilot description key 'file_transfer': \(failure.reason)")
        }
    }
}
