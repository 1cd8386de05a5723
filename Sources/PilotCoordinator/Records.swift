import PilotLink
import PilotModel
import PilotResources

/// Everything the coordinator knows about one unit. Lives in the registry
/// and is only touched under its lock. It points at its pilot and service
/// directly (the registry never drops those records, so `unowned` is safe
/// and makes no cycle): the per-unit paths then hash no ids.
final class UnitRecord {
    let id: String
    let description: UnitDescription
    let source: JSONValue
    /// The ComputeDataService it was submitted to (nil: straight to a pilot).
    unowned let service: ComputeServiceRecord?
    /// The pilot chosen at submission (direct submission or early binding).
    unowned var assignedPilot: PilotRecord?
    var cancelRequested = false
    var state: State = .new
    var reason: String?
    /// The pilot it is bound to (dispatched or about to be).
    unowned var pilot: PilotRecord?
    var exitCode: Int32?
    var signal: Int32?
    var pid: Int32?
    var host: String?
    var workingDirectory: String?
    var submitted: Double
    var bound: Double?
    var started: Double?
    var finished: Double?
    /// Seconds its input and output staging took, as its agent reported.
    var stagedIn: Double?
    var stagedOut: Double?
    /// Taken into the journal batch being made (see `ChangeLog`).
    var journalPending = false
    /// Written to the journal at least once (its description is there).
    var journaled = false
    /// Bound before a restart: the agent's inventory has yet to confirm it holds it.
    var unconfirmed = false

    init(id: String, description: UnitDescription, source: JSONValue, service: ComputeServiceRecord?, submitted: Double) {
        self.id = id
        self.description = description
        self.source = source
        self.service = service
        self.submitted = submitted
    }

    var serviceID: String? { service?.id }
    var pilotID: String? { pilot?.id }
    var assignedPilotID: String? { assignedPilot?.id }

    /// The pilot whose `wait()` this unit counts for.
    var ownerPilot: PilotRecord? { assignedPilot ?? pilot }

    /// Slots it holds.
    var slots: Int { description.processes }
}

/// Everything the coordinator knows about one pilot.
final class PilotRecord {
    let id: String
    let serviceID: String
    let description: PilotDescription
    let source: JSONValue
    let sandbox: String
    let token: String
    var state: State = .pending
    var reason: String?
    var created = WallClock.now()
    var started: Double?
    var finished: Double?
    var lastContact: Double?
    var host: String?
    var job: LaunchedPilot?
    /// The resource manager's own state of the job, where it has one (batch systems).
    var nativeState: String?
    /// The resource manager reported the job over (the agent process is gone).
    var jobEnded = false
    /// Whether `jobEnded` will ever be reported: not for a job taken over
    /// from a coordinator that ran before a restart.
    var jobEndObserved = true
    /// Restored from the journal, or its link lost in a served session, and
    /// not yet linked again: its agent should reconnect and report what it holds.
    var awaitingAgent = false
    /// Links its agent has made so far (a wait for the agent to link again
    /// ends only the link it was set for).
    var links = 0
    /// Taken into the journal batch being made (see `ChangeLog`).
    var journalPending = false
    /// The agent's link, once it proved itself.
    var link: LinkID?
    var cancelRequested = false
    /// Why the pilot is ending on its own (its wall time); nil while it is not.
    var endReason: String?
    /// When its wall time is up (monotonic seconds), once it runs.
    var deadline: Double?
    /// Units submitted to this pilot and not yet bound.
    var directQueue = FIFO<UnitRecord>()
    /// ComputeDataServices whose queues this pilot takes late-bound units from.
    var servedServices: [ComputeServiceRecord] = []
    var nextServedService = 0
    /// Slots held by bound units that are not final.
    var boundSlots = 0
    /// Bound units that are not final.
    var boundUnits: [ObjectIdentifier: UnitRecord] = [:]
    /// Queued for the next scheduling pass (see `Registry.requestScheduling`).
    var schedulingRequested = false
    /// Units counted by this pilot's `wait()` that are not final.
    var openUnits = 0
    /// Batches waiting for the next flush on the link.
    var outboxRun: [UnitTask] = []
    var outboxCancel: [String] = []
    var outboxShutdown: String?
    var flushScheduled = false

    init(id: String, serviceID: String, description: PilotDescription, source: JSONValue, token: String) {
        self.id = id
        self.serviceID = serviceID
        self.description = description
        self.source = source
        self.token = token
        sandbox = description.workingDirectory + "/" + id
    }

    var capacity: Int { description.processes }

    /// Slots' worth of units bound ahead: the agent holds a second round
    /// (and at least 16 more) queued, so a slot never idles for a
    /// coordinator round trip even when units last under a millisecond.
    var bindingWindow: Int { capacity * 2 }

    var isLive: Bool { !state.isFinal && !cancelRequested && endReason == nil }
}

/// A PilotComputeService: a named group of pilots.
final class PilotServiceRecord {
    let id: String
    var pilotIDs: [String] = []
    /// ComputeDataServices this PCS was added to; new pilots serve them too.
    var computeServiceIDs: [String] = []

    init(id: String) { self.id = id }
}

/// A ComputeDataService: a queue of units and the PCSs whose pilots run them.
final class ComputeServiceRecord {
    let id: String
    let binding: Binding
    var pilotServiceIDs: [String] = []
    /// Late-bound units not yet bound, and early-bound units waiting for a pilot.
    var queue = FIFO<UnitRecord>()
    /// Pilots that left the head of the queue to a pilot nearer its data;
    /// they look again once it is taken.
    var deferredPilots: [PilotRecord] = []
    var openUnits = 0
    var canceled = false

    init(id: String, binding: Binding) {
        self.id = id
        self.binding = binding
    }
}

/// Where a submission's units go: a service's queue or one pilot.
enum UnitDestination {
    case service(ComputeServiceRecord)
    case pilot(PilotRecord)
}

extension Result where Success == UnitDestination {
    /// The service units are submitted to, if admitted to one.
    var service: ComputeServiceRecord? {
        if case .success(.service(let service)) = self { return service }
        return nil
    }
}
