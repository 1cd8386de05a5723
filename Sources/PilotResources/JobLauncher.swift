import PilotModel
import PilotSystem

/// Starts every pilot the same way: its agent, placed by an
/// `AgentPlacement` (bootstrap written, binary staged), runs as one job of
/// a `JobService` (fork, ssh's local connection, SLURM, Grid Engine, PBS),
/// which then reports the job's native state and its end.
package struct JobLauncher: PilotLauncher {
    /// Runs the agent's job.
    package let service: any JobService
    /// Gets the agent's files where it runs and says how to start it.
    package let placement: any AgentPlacement

    package func prepare(_ description: PilotDescription) throws(PilotError) {
        try placement.prepare(description)
    }

    package func launch(_ request: AgentLaunch, observer: JobObserver) throws(PilotError) -> LaunchedPilot {
        let job = try placement.job(for: request)
        let id: String
        do {
            id = try service.submit(job)
        } catch {
            placement.discard(request)
            throw error
        }
        let pilot = placement.placed(service.launchedPilot(id))
        // A job deleted before it started (it could never run) leaves no more than a refused one.
        let following = JobObserver(nativeState: observer.nativeState) { [placement] end in
            if !end.started { placement.discard(request) }
            observer.ended(end)
        }
        do {
            try service.follow(id, observer: following)
        } catch {
            pilot.terminate()
            throw error
        }
        return pilot
    }

    package var linksOverNetwork: Bool { placement.linksOverNetwork }

    package func reattach(nativeID: String, pilotID: String) -> LaunchedPilot? {
        guard placement.reattaches else { return nil }
        return service.adopt(nativeID: nativeID, pilotID: pilotID).map(placement.placed)
    }
}
