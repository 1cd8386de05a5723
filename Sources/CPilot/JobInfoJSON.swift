import Pilot

/// What `pilot_job_info` returns: a `JobInfo` as JSON, DRMAA2's fields in
/// snake_case, the state as its `pilot_job_state` number.
struct JobInfoJSON: Encodable {
    let info: JobInfo

    enum CodingKeys: String, CodingKey {
        case id, state, native, reason, hosts, slots, queue
        case cannotRun = "cannot_run"
        case exitStatus = "exit_status", terminatingSignal = "terminating_signal"
        case submissionTime = "submission_time", dispatchTime = "dispatch_time", finishTime = "finish_time"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(info.id, forKey: .id)
        try container.encode(info.status.state.code, forKey: .state)
        try container.encode(info.status.native, forKey: .native)
        try container.encode(info.reason, forKey: .reason)
        try container.encode(info.cannotRun, forKey: .cannotRun)
        try container.encode(info.hosts, forKey: .hosts)
        try container.encode(info.slots, forKey: .slots)
        try container.encode(info.queue, forKey: .queue)
        try container.encode(info.exitStatus, forKey: .exitStatus)
        try container.encode(info.terminatingSignal, forKey: .terminatingSignal)
        try container.encode(info.submissionTime, forKey: .submissionTime)
        try container.encode(info.dispatchTime, forKey: .dispatchTime)
        try container.encode(info.finishTime, forKey: .finishTime)
    }
}
