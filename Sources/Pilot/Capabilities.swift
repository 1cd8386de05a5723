import PilotResources

/// What this build supports (in the spirit of DRMAA2's capability query):
/// the URL schemes pilots and the job API accept, and the features it has.
/// The schemes come from the code that accepts them, not from a list of
/// their own.
public struct Capabilities: Sendable, Equatable, Encodable {
    /// Schemes a pilot's `service_url` may use (`fork`, `ssh`, `slurm`, ...).
    public let pilotSchemes: [String]
    /// Schemes `JobSession(url:)` accepts (the pilot schemes and the `+ssh`
    /// ones that run batch commands on a login host).
    public let jobSchemes: [String]
    /// What the build can do beyond running pilots and units.
    public let features: [Feature]

    /// This build's capabilities.
    public static let current = Capabilities(
        pilotSchemes: Launchers.pilotSchemes.map(\.rawValue), jobSchemes: JobServices.schemes.map(\.rawValue),
        features: Feature.allCases)

    enum CodingKeys: String, CodingKey {
        case features
        case pilotSchemes = "pilot_schemes", jobSchemes = "job_schemes"
    }
}

/// A feature of this build, by the name `Capabilities` gives it.
public enum Feature: String, Sendable, CaseIterable, Encodable {
    /// Sessions shared between processes through `pilotctl serve`
    /// (`SessionOptions.coordinationURL`).
    case serve
    /// A served session journals everything and survives a restart of its coordinator.
    case journal
    /// Units with `"spmd_variation": "mpi"` run under `mpirun` across their slots.
    case mpi
    /// The job API submits array jobs (`JobSession.submit(_:array:)`).
    case jobArrays = "job-arrays"
    /// ComputeDataServices that place units on a pilot at submission (`Binding.early`).
    case earlyBinding = "early-binding"
    /// Affinity labels of pilots and units steer early-bound units.
    case affinity
    /// Pilots' wall times and units' `wall_time_limit` are enforced.
    case wallTime = "wall-time"
    /// Units marked `restartable` go back to their service when their pilot is lost.
    case restartable
    /// Units stage files in and out (`input_staging`, `output_staging`, `file_transfer`).
    case staging
    /// Pilot data, data units with replicas, and units' `input_data` / `output_data`.
    case pilotData = "pilot-data"
}
