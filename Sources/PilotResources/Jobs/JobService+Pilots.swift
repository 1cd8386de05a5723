import PilotModel
import PilotSystem

/// What a `JobLauncher` needs of a job service to run a pilot's agent:
/// hearing of the job's state and end, and a handle on the job. Batch
/// systems announce nothing, so by default a thread asks them.
extension JobService {
    /// Seconds between questions to a batch system about a running pilot.
    static var pollInterval: Double { 1 }

    /// Reports job `id`'s native state whenever it changes, then its end
    /// once, to `observer`, from a thread of its own.
    package func follow(_ id: String, observer: JobObserver) throws(PilotError) {
        guard startThread({ poll(id, observer: observer) }) else {
            throw PilotError(.internal, "\(resource): cannot start a thread to follow job \(id)")
        }
    }

    /// The coordinator's handle on job `id`, which this service started.
    package func launchedPilot(_ id: String) -> LaunchedPilot {
        JobServicePilot(service: self, id: id)
    }

    /// A job started by an earlier coordinator, by the id it recorded.
    package func adopt(nativeID: String, pilotID: String) -> LaunchedPilot? {
        JobServicePilot(service: self, id: nativeID)
    }

    /// Whether the service reports a job's end with its own reason (a batch
    /// system's state and comment) soon after the agent's link goes.
    package var reportsEndReason: Bool { true }

    private func poll(_ id: String, observer: JobObserver) {
        var failures = 0
        var native: String?
        var ran = false
        while true {
            Sleep.seconds(Self.pollInterval)
            let info: JobInfo
            do {
                info = try self.info(of: id)
                failures = 0
            } catch {
                failures += 1
                guard failures >= 30 else { continue }
                observer.ended(JobEnd(reason: "\(resource): lost track of batch job \(id): \(error.message)", succeeded: false))
                return
            }
            if info.status.native != native {
                native = info.status.native
                observer.nativeState(info.status.native)
            }
            ran = ran || info.status.state == .running || info.status.state == .suspended || !info.hosts.isEmpty
            if info.cannotRun {
                // It would wait in the queue for ever: the pilot fails now, with the manager's reason.
                try? control(.terminate, id)
                observer.ended(JobEnd(reason: "\(resource): batch job \(id) can never run (\(info.reason ?? "no reason given")); it was deleted",
                                      succeeded: false, started: false))
                return
            }
            guard info.status.state.isFinal || info.status.state == .undetermined else { continue }
            let why = info.reason.map { " (\($0))" } ?? ""
            let exit = info.exitStatus.map { ", exit status \($0)" } ?? ""
            let ending = info.status.state == .undetermined
                ? "is no longer known to the batch system (\(info.status.native): deleted, or ended moments ago)"
                : "ended \(info.status.native)\(why)\(exit)"
            observer.ended(JobEnd(reason: "\(resource): batch job \(id) \(ending)", succeeded: info.status.state == .done, started: ran))
            return
        }
    }
}

/// A pilot's job, known to its service by id.
struct JobServicePilot: LaunchedPilot {
    let service: any JobService
    let id: String

    var nativeID: String { id }

    var reportsEnd: Bool { service.reportsEndReason }

    func terminate() {
        try? service.control(.terminate, id)
    }

    /// The service ends what the job started when the job ends.
    func killOrphanedUnits(processGroups: [Int32]) {
        terminate()
    }
}
