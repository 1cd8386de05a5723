import PilotModel

/// A unit being submitted: its new id and its checked description.
struct Submission {
    let id: String
    let source: JSONValue
    let description: UnitDescription
}

/// Submitting units: admission, then each unit queued where it belongs.
extension Registry {
    /// Registers `submissions` (in order) for `target` and queues them;
    /// returns their ids. If `target` takes no units any more (canceled,
    /// ended, closed), they are registered Canceled, so rows journaled for
    /// them end too, and the call fails with the reason.
    func submit(_ submissions: [Submission], to target: UnitTarget, at submitted: Double) -> Result<[String], PilotError> {
        units.reserveCapacity(units.count + submissions.count)
        let admission = admission(of: submissions, to: target)
        for submission in submissions {
            let unit = UnitRecord(id: submission.id, description: submission.description, source: submission.source,
                                  service: admission.service, submitted: submitted)
            unit.journaled = changes.journaling
            switch admission {
            case .success(.service(let service)):
                add(unit)
                enqueue(unit, on: service)
            case .success(.pilot(let pilot)):
                add(unit)
                assign(unit, to: pilot)
            case .failure(let error):
                addRefused(unit, to: target, reason: error.message)
            }
        }
        return admission.map { _ in submissions.map(\.id) }
    }

    /// Where `submissions` to `target` go, or why they cannot.
    func admission(of submissions: [Submission], to target: UnitTarget) -> Result<UnitDestination, PilotError> {
        guard !closed else { return .failure(.sessionClosed) }
        switch target {
        case .service(let serviceID):
            guard let service = computeServices[serviceID] else { return .failure(.noObject(serviceID)) }
            guard !service.canceled else {
                return .failure(PilotError(.invalidState, "service \(serviceID) was canceled; create a new ComputeDataService"))
            }
            if let problem = Self.oversize(submissions, largest: largestLiveCapacity(of: service)) { return .failure(problem) }
            return .success(.service(service))
        case .pilot(let pilotID):
            guard let pilot = pilots[pilotID] else { return .failure(.noObject(pilotID)) }
            guard pilot.isLive else {
                return .failure(PilotError(.invalidState, "pilot \(pilotID) is \(pilot.cancelRequested && !pilot.state.isFinal ? "being canceled" : pilot.state.name) and takes no units; submit to a live pilot"))
            }
            if let problem = Self.oversize(submissions, largest: pilot.capacity) { return .failure(problem) }
            return .success(.pilot(pilot))
        }
    }

    /// An error for the first unit that can never fit in `largest` slots
    /// (0: no pilot to judge by yet), naming its index in a batch.
    private static func oversize(_ submissions: [Submission], largest: Int) -> PilotError? {
        guard largest > 0, let index = submissions.firstIndex(where: { $0.description.processes > largest }) else { return nil }
        let prefix = submissions.count > 1 ? "unit \(index): " : ""
        return PilotError(.invalidArgument, "\(prefix)compute unit description key 'number_of_processes' asks for \(submissions[index].description.processes) slots but the largest pilot available has \(largest); ask for fewer processes or start a bigger pilot")
    }
}
