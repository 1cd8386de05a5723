import CPilotHeader
import Pilot

/// The one map between job states and the header's `pilot_job_state`
/// numbers, which every job call uses (out-parameters, masks and JSON).
extension JobState {
    /// This state's `pilot_job_state`.
    var code: Int32 {
        let code = switch self {
        case .undetermined: PILOT_JOB_UNDETERMINED
        case .queued: PILOT_JOB_QUEUED
        case .queuedHeld: PILOT_JOB_QUEUED_HELD
        case .running: PILOT_JOB_RUNNING
        case .suspended: PILOT_JOB_SUSPENDED
        case .requeued: PILOT_JOB_REQUEUED
        case .requeuedHeld: PILOT_JOB_REQUEUED_HELD
        case .done: PILOT_JOB_DONE
        case .failed: PILOT_JOB_FAILED
        }
        return Int32(code.rawValue)
    }

    /// The states whose bits (`1 << pilot_job_state`) are set in `mask`;
    /// done and failed for 0. A bit of no state is an error.
    static func states(inMask mask: UInt32) throws(PilotError) -> Set<JobState> {
        guard mask != 0 else { return [.done, .failed] }
        let known = allCases.reduce(UInt32(0)) { $0 | 1 << UInt32($1.code) }
        guard mask & ~known == 0 else {
            throw PilotError(.invalidArgument, "states_mask 0x\(String(mask, radix: 16)) has bits of no pilot_job_state; combine 1 << PILOT_JOB_... bits, or pass 0 for done or failed")
        }
        return Set(allCases.filter { mask & 1 << UInt32($0.code) != 0 })
    }
}

/// The one map between job actions and the header's `pilot_job_action` numbers.
extension JobControl {
    /// This action's `pilot_job_action`.
    var code: Int32 {
        let code = switch self {
        case .terminate: PILOT_JOB_TERMINATE
        case .suspend: PILOT_JOB_SUSPEND
        case .resume: PILOT_JOB_RESUME
        case .hold: PILOT_JOB_HOLD
        case .release: PILOT_JOB_RELEASE
        }
        return Int32(code.rawValue)
    }

    /// The action whose `pilot_job_action` is `code`, or an error naming the valid ones.
    init(code: Int32) throws(PilotError) {
        guard let action = Self.allCases.first(where: { $0.code == code }) else {
            throw PilotError(.invalidArgument, "action \(code) is not a pilot_job_action; use PILOT_JOB_TERMINATE, _SUSPEND, _RESUME, _HOLD or _RELEASE")
        }
        self = action
    }
}
