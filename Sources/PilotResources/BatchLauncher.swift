import Glibc
import PilotModel
import PilotSystem

/// Starts a pilot as one batch job through a `JobService` (SLURM, Grid
/// Engine): the job runs `pilot-agent` with the pilot's cores, nodes, wall
/// time, queue and project. The batch system's own error stops a pilot it
/// will not take; a thread follows the job and reports its end with the
/// batch system's state and reason. The agent's bootstrap file lives in the
/// pilot sandbox, which must be visible where the job runs.
package struct BatchLauncher: PilotLauncher {
    /// The resource manager.
    package let service: any JobService
    /// Seconds between questions to the batch system about a running pilot.
    static let pollInterval = 1.0

    /// A launcher submitting to `service`.
    package init(service: any JobService) {
        self.service = service
    }

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        if let problem = FileSystem.makeDirectories(description.workingDirectory) {
            throw PilotError(.invalidArgument, "pilot compute description key 'working_directory': \(problem); choose a directory you can write")
        }
    }

    package func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot {
        let description = request.description
        let sandbox = request.bootstrap.sandbox
        let bootstrapPath = try request.writeBootstrap(resource: service.resource)
        var job = JobDescription(executable: request.agentExecutable, arguments: ["--bootstrap", bootstrapPath])
        job.name = request.pilotID
        job.workingDirectory = sandbox
        job.output = description.workingDirectory + "/stdout-\(request.pilotID)-agent.txt"
        job.error = description.workingDirectory + "/stderr-\(request.pilotID)-agent.txt"
        job.slots = description.processes
        job.nodes = description.processesPerNode.map { (description.processes + $0 - 1) / $0 }
        job.wallTimeMinutes = description.wallTimeMinutes
        job.queue = description.queue
        job.project = description.project
        let id: String
        do {
            id = try service.submit(job)
        } catch {
            unlink(bootstrapPath)
            throw error
        }
        let service = service
        guard startThread({ Self.follow(id, on: service, observer: observer) }) else {
            try? service.control(.terminate, id)
            throw PilotError(.internal, "\(service.resource): cannot start a thread to follow batch job \(id)")
        }
        return BatchPilot(service: service, id: id)
    }

    package func reattach(nativeID: String, pilotID: String) -> LaunchedPilot? {
        BatchPilot(service: service, id: nativeID)
    }

    /// Asks the batch system about job `id` until it has ended, passing on
    /// each change of its native state, then reports how it ended.
    private static func follow(_ id: String, on service: any JobService, observer: JobObserver) {
        var failures = 0
        var native: String?
        while true {
            Sleep.seconds(pollInterval)
            let info: JobInfo
            do {
                info = try service.info(of: id)
                failures = 0
            } catch {
                failures += 1
                guard failures >= 30 else { continue }
                observer.ended(JobEnd(reason: "\(service.resource): lost track of batch job \(id): \(error.message)", succeeded: false))
                return
            }
            if info.status.native != native {
                native = info.status.native
                observer.nativeState(info.status.native)
            }
            guard info.status.state.isFinal || info.status.state == .undetermined else { continue }
            let why = info.reason.map { " (\($0))" } ?? ""
            let exit = info.exitStatus.map { ", exit status \($0)" } ?? ""
            observer.ended(JobEnd(reason: "\(service.resource): batch job \(id) ended \(info.status.native)\(why)\(exit)",
                         succeeded: info.status.state == .done))
            return
        }
    }
}

/// A pilot's batch job.
struct BatchPilot: LaunchedPilot {
    let service: any JobService
    let id: String

    var nativeID: String { id }

    /// The batch system reports the job's end (with its reason) shortly after
    /// the agent's link goes: worth waiting for.
    var reportsEnd: Bool { true }

    func terminate() {
        try? service.control(.terminate, id)
    }

    /// The batch system ends what the job started when the job ends.
    func killOrphanedUnits(processGroups: [Int32]) {
        terminate()
    }
}
