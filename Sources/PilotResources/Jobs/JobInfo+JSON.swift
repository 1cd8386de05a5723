import PilotModel

/// The JSON form of `JobInfo` (C and Python faces): DRMAA2's fields in snake_case.
extension JobInfo: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, state, native, reason, hosts, slots, queue
        case exitStatus = "exit_status", terminatingSignal = "terminating_signal"
        case submissionTime = "submission_time", dispatchTime = "dispatch_time", finishTime = "finish_time"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status.state.rawValue, forKey: .state)
        try container.encode(status.native, forKey: .native)
        try container.encode(reason, forKey: .reason)
        try container.encode(hosts, forKey: .hosts)
        try container.encode(slots, forKey: .slots)
        try container.encode(queue, forKey: .queue)
        try container.encode(exitStatus, forKey: .exitStatus)
        try container.encode(terminatingSignal, forKey: .terminatingSignal)
        try container.encode(submissionTime, forKey: .submissionTime)
        try container.encode(dispatchTime, forKey: .dispatchTime)
        try container.encode(finishTime, forKey: .finishTime)
    }
}
