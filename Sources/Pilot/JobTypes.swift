import PilotResources

// The values of the job API (`JobSession`), defined by the job layer
// (PilotResources) and named here so that users of `Pilot` need no other module.

/// A job to submit: executable, arguments, environment, working
/// directory, output and error files, slots, nodes, wall time, queue,
/// project, name. `JobDescription(json:)` reads the C and Python faces' keys.
public typealias JobDescription = PilotResources.JobDescription

/// The tasks of an array job: indices `begin...end` by `step`, at most
/// `maxParallel` at once.
public typealias JobArray = PilotResources.JobArray

/// A job's state in DRMAA2's terms (undetermined, queued, running, done, failed, ...).
public typealias JobState = PilotResources.JobState

/// A job's state and the resource manager's own word for it.
public typealias JobStatus = PilotResources.JobStatus

/// What is known about a job (DRMAA2's JobInfo).
public typealias JobInfo = PilotResources.JobInfo

/// What can be done to a job: terminate, suspend, resume, hold, release.
public typealias JobControl = PilotResources.JobControl

/// A resource's load: cores in total and free, jobs running and queued.
public typealias ResourceStatus = PilotResources.ResourceStatus
