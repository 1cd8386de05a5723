import PilotCoordinator
import PilotModel

// The value types of the Swift API. They are defined in the core's model
// and named here, so `import Pilot` shows them and nothing else of the core
// (wire messages, records, launchers stay inside the package).

/// How a session is set up: embedded or served (`coordinationURL`), heartbeat timings.
public typealias SessionOptions = PilotCoordinator.SessionOptions
/// Where a served session listens: `pilot+unix://` and `pilot+tcp://` URLs, read from text.
public typealias CoordinationURL = PilotModel.CoordinationURL
/// Every error the API throws: a code and a sentence saying what to do.
public typealias PilotError = PilotModel.PilotError
/// The states of pilots and units (BigJob's names).
public typealias State = PilotModel.State
/// One state change of a pilot or unit, as subscribers receive it.
public typealias StateEvent = PilotModel.StateEvent
/// Whether an event is about a pilot or a unit.
public typealias ObjectKind = PilotModel.ObjectKind
/// How a ComputeDataService binds units to pilots: late or early.
public typealias Binding = PilotModel.Binding
/// A JSON value: descriptions are written as JSON literals.
public typealias JSONValue = PilotModel.JSONValue
/// A snapshot of a pilot.
public typealias PilotDetails = PilotModel.PilotDetails
/// A snapshot of a unit.
public typealias UnitDetails = PilotModel.UnitDetails
/// A snapshot of a pilot data service, pilot data or data unit.
public typealias DataDetails = PilotModel.DataDetails
/// A snapshot of a ComputeDataService: binding, PCSs added, cancelled.
public typealias ComputeServiceDetails = PilotModel.ComputeServiceDetails
/// A snapshot of a session's services, pilots and units (`Session.overview`).
public typealias SessionOverview = PilotModel.SessionOverview
/// Which units a session overview lists one by one.
public typealias UnitListing = PilotModel.UnitListing
/// How far the units of a wait have come (progress lines and callbacks).
public typealias WaitProgress = PilotModel.WaitProgress
/// Bytes read from a unit's output or an agent log.
public typealias OutputChunk = PilotModel.OutputChunk
