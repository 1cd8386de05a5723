import PilotModel

/// The job services by URL scheme.
package enum JobServices {
    /// The schemes the job API accepts: every scheme a `ServiceURL` parses,
    /// since `service(for:)` has an adaptor for each (its switch is exhaustive).
    package static var schemes: [ServiceURL.Scheme] { ServiceURL.Scheme.allCases }

    /// The adaptor for `url`: `fork://localhost`, `ssh://[user@]host[:port]`,
    /// `slurm://localhost`, `sge://localhost`, `pbs://localhost`, and
    /// `slurm+ssh://`, `sge+ssh://`, `pbs+ssh://[user@]host[:port]` (the same
    /// commands, run on a login host over ssh).
    package static func service(for url: ServiceURL) throws(PilotError) -> any JobService {
        switch url.scheme {
        case .fork:
            try Launchers.requireLocal(url, remote: "ssh")
            return ForkJobService()
        case .slurm:
            try Launchers.requireLocal(url, remote: "slurm+ssh")
            return SlurmJobService(url: url)
        case .sge:
            try Launchers.requireLocal(url, remote: "sge+ssh")
            return SgeJobService(url: url)
        case .ssh:
            return SshJobService(url: url)
        case .pbs:
            try Launchers.requireLocal(url, remote: "pbs+ssh")
            return PbsJobService(url: url)
        case .slurmSSH:
            return SlurmJobService(url: url)
        case .sgeSSH:
            return SgeJobService(url: url)
        case .pbsSSH:
            return PbsJobService(url: url)
        }
    }
}
