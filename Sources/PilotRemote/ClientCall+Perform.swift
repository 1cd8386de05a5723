import PilotCoordinator
import PilotLink
import PilotModel

extension ClientCall {
    /// Whether the call can block for long (waits, cancels, starting an
    /// agent): the server runs those on a thread of their own, never on its
    /// event loop.
    var mayBlock: Bool {
        switch self {
        case .createPilot, .cancelPilot, .cancelPilotService, .waitPilotStarted, .waitPilot,
             .waitUnit, .waitComputeService, .cancelUnits, .cancelComputeService, .data, .output:
            true
        case .submit(_, let descriptions, _):
            // A unit with input data waits for its data units to be filled.
            descriptions.contains { if case .object(let fields) = $0 { fields["input_data"] != nil } else { false } }
        default:
            false
        }
    }

    /// Carries the call out on `coordination`; errors become `.failure`.
    func perform(on coordination: some Coordination) -> ClientReply {
        do throws(PilotError) {
            switch self {
            case .hello, .events:
                return .failure(PilotError(.invalidState, "this call is handled by the link itself"))
            case .createPilotComputeService:
                return .identifier(try coordination.createPilotComputeService())
            case .createComputeDataService(let binding):
                return .identifier(try coordination.createComputeDataService(binding: binding))
            case .computeServiceDetails(let id):
                return .computeServiceDetails(try coordination.details(ofComputeService: id))
            case .add(let pilotService, let computeService):
                try coordination.add(pilotService: pilotService, to: computeService)
            case .remove(let pilotService, let computeService):
                try coordination.remove(pilotService: pilotService, from: computeService)
            case .createPilot(let pilotService, let description):
                return .identifier(try coordination.createPilot(in: pilotService, description: description))
            case .pilots(let id):
                return .identifiers(try coordination.pilots(of: id))
            case .pilotDetails(let id):
                return .pilotDetails(try coordination.details(ofPilot: id))
            case .cancelPilot(let id):
                try coordination.cancel(pilotID: id)
            case .cancelPilotService(let id):
                try coordination.cancel(pilotServiceID: id)
            case .waitPilotStarted(let id, let timeout):
                return .state(try coordination.wait(pilotStarted: id, timeout: timeout))
            case .waitPilot(let id, let timeout):
                return .state(try coordination.wait(pilotID: id, timeout: timeout))
            case .submit(let target, let descriptions, let many):
                if many { return .identifiers(try coordination.submit(many: descriptions, to: target)) }
                guard descriptions.count == 1 else {
                    return .failure(PilotError(.invalidArgument, "a single submission carries one description, got \(descriptions.count)"))
                }
                return .identifier(try coordination.submit(descriptions[0], to: target))
            case .unitDetails(let id):
                return .unitDetails(try coordination.details(ofUnit: id))
            case .unitState(let id):
                return .state(try coordination.state(ofUnit: id))
            case .waitUnit(let id, let timeout):
                return .state(try coordination.wait(unitID: id, timeout: timeout))
            case .waitComputeService(let id, let timeout):
                try coordination.wait(computeServiceID: id, timeout: timeout)
            case .cancelUnits(let ids):
                try coordination.cancel(unitIDs: ids)
            case .cancelComputeService(let id):
                try coordination.cancel(computeServiceID: id)
            case .unitsOfComputeService(let id):
                return .identifiers(try coordination.units(ofComputeService: id))
            case .unitsOfPilot(let id):
                return .identifiers(try coordination.units(ofPilot: id))
            case .data(let request):
                return .data(try coordination.data(request))
            case .overview(let scope, let listing):
                return .overview(try coordination.overview(scope: scope, listing: listing))
            case .output(let source, let offset, let limit):
                return .output(try coordination.output(of: source, offset: offset, limit: limit))
            }
            return .done
        } catch {
            return .failure(error)
        }
    }
}
