"""TROY's classes over the `pilot` package."""

import weakref

import pilot
from pilot import PilotError
from pilot.api import Callback
from pilot import callbacks
from pilot.callbacks import Callbacks
from pilot.description import SagaDescription, given


class State:
    """TROY's integer states."""

    Unknown = 0
    New = 1
    Running = 2
    Done = 3
    Canceled = 4
    Failed = 5


class PILOTJOB_TYPE:
    """The pilot-job systems TROY named. All map to this core; DIANE and
    Condor are not supported."""

    UNKNOWN = 0
    BIGJOB = 1
    DIANE = 2
    CONDOR = 3


# Core state names to TROY's integers: queued states are New, staging is Running.
_STATES = {"Unknown": State.Unknown, "New": State.New, "Pending": State.New, "Staging": State.Running,
           "Running": State.Running, "Done": State.Done, "Canceled": State.Canceled, "Failed": State.Failed}


def _troy_state(name):
    return _STATES.get(name, State.Unknown)


class _Description(SagaDescription):
    """TROY's attribute bag (scripts also set extra ones, e.g. `substitutes`)."""

    _KNOWN = ("executable", "arguments", "cleanup", "environment", "interactive", "contact", "project",
              "start_time", "working_directory", "input", "error", "output", "file_transfer",
              "number_of_processes", "processes_per_host", "threads_per_process", "total_cpu_count",
              "total_core_count", "spmd_variation", "candidate_hosts", "cpu_architecture",
              "total_physical_memory", "operating_system_type", "total_cpu_time", "wall_time_limit", "queue")


class PilotJobDescription(_Description):
    """Describes a pilot job (number_of_processes or total_cpu_count, wall_time_limit, queue, ...)."""

    def _pilot_description(self, rm):
        attributes = given(self)
        count = attributes.pop("number_of_processes", None)
        for alias in ("total_cpu_count", "total_core_count"):
            value = attributes.pop(alias, None)
            count = count if count is not None else value
        if "processes_per_host" in attributes:
            attributes["processes_per_node"] = attributes.pop("processes_per_host")
        attributes["service_url"] = rm
        attributes["number_of_processes"] = 1 if count is None else count
        return attributes


class WorkUnitDescription(_Description):
    """Describes a work unit (executable, arguments, environment, ...)."""


class _Service:
    """A TROY service. `id` reconnects to a service of this process (the
    two objects then share their state), or of the served session
    (PILOT_COORDINATION_URL) that another process created."""

    def __init__(self, id=None):
        if id is not None:
            existing = self._instances.get(id)
            if existing is not None:
                self.__dict__ = existing.__dict__
                return
        callbacks.start()  # so every object's history is complete for callbacks set later
        self._open(id)
        self._instances[self.id] = self


class PilotJobService(_Service):
    """Creates pilot jobs. `id` reconnects to a service (see _Service)."""

    _instances = weakref.WeakValueDictionary()

    def _open(self, id):
        self._service = pilot.PilotComputeService(pcs_url=id) if id is not None else pilot.PilotComputeService()
        self.id = self._service.id
        self.pilot_jobs = []
        self._canceled = False  # the core keeps no such record of a PilotComputeService

    @property
    def state(self):
        return State.Canceled if self._canceled else State.Running

    def create(self, rm, pilotjob_desc, pj_type=None, context=None):
        """Starts a pilot job on resource manager URL `rm`."""
        _check_type(pj_type)
        if not isinstance(pilotjob_desc, dict):
            raise PilotError(f"create takes a PilotJobDescription, got {type(pilotjob_desc).__name__}")
        description = pilotjob_desc if isinstance(pilotjob_desc, PilotJobDescription) else PilotJobDescription(pilotjob_desc)
        job = PilotJob(self, rm, description, pj_type, context)
        self.pilot_jobs.append(job)
        return job

    create_pilotjob = create

    def cancel(self):
        """Cancels every pilot job."""
        self._canceled = True
        self._service.cancel()


def _check_type(pj_type):
    if pj_type in (None, PILOTJOB_TYPE.BIGJOB, "bigjob", "BIGJOB"):
        return
    if pj_type in (PILOTJOB_TYPE.DIANE, PILOTJOB_TYPE.CONDOR, "diane", "condor", "DIANE", "CONDOR"):
        raise PilotError(f"pilot job type {pj_type!r} (DIANE/Condor) is not supported; use PILOTJOB_TYPE.BIGJOB or None")
    raise PilotError(f"pilot job type {pj_type!r} is unknown; use PILOTJOB_TYPE.BIGJOB or None")


class _TroyObject(Callbacks):
    """A TROY object over a `pilot` object (`_core`): integer `state`, the
    core's state name as `state_detail`, and callbacks in those terms."""

    def _translate(self, member, event):
        return _troy_state(event.state) if member == "state" else event.state

    def _current_state(self):
        return self._core.get_state()

    @property
    def state(self):
        return _troy_state(self._core.get_state())

    @property
    def state_detail(self):
        return self._core.get_state()

    def get_state(self):
        return self.state

    def get_state_detail(self):
        return self.state_detail

    def get_description(self):
        return self.description

    def cancel(self):
        self._core.cancel()


class PilotJob(_TroyObject):
    """One pilot job. Its `state` is an integer (State); `state_detail` the
    resource manager's native state (the core's state name on fork and ssh)."""

    def __init__(self, service, rm, description, pj_type, context):
        self._pilot_job_service = service
        self.rm = rm
        self.pj_type = pj_type
        self.context = context
        self.description = description
        self._core = service._service.create_pilot(description._pilot_description(rm))
        self.id = self._core.get_id()

    @property
    def state_detail(self):
        """The backend's native state (the batch system's job state)."""
        return self._core.get_state_detail()

    @property
    def pj_id(self):
        """The pilot job's id under the name the original TROY examples print."""
        return self.id

    @property
    def wall_time_left(self):
        """Minutes of wall time left (None before the pilot runs, 0 once it has ended)."""
        details = self._core.get_details()
        if details["wall_time_left"] is not None:
            return details["wall_time_left"] / 60
        return None if details["end_queue_time"] is None else 0.0

    def reinitialize(self, desc):
        """Restarts the pilot job with description `desc` (for example, more
        processes). Work units not yet started on the old pilot go back to
        their service and run on the new one; none is lost. Callbacks move
        to the new pilot."""
        description = desc if isinstance(desc, PilotJobDescription) else PilotJobDescription(desc)
        replacement = self._pilot_job_service._service.create_pilot(description._pilot_description(self.rm))
        old, callbacks = self._core, self.callback
        for member in callbacks:
            self.unset_callback(member)
        self._core, self.id, self.description = replacement, replacement.get_id(), description
        for member, cb in callbacks.items():
            self.set_callback(member, cb)
        old.cancel()


class WorkUnitService(_Service):
    """Runs work units on the pilot jobs of the services added to it (late
    binding). `id` reconnects to a service (see _Service)."""

    _instances = weakref.WeakValueDictionary()

    def _open(self, id):
        self._service = pilot.ComputeDataService(cds_url=id) if id is not None else pilot.ComputeDataService()
        self.id = self._service.get_id()
        self.pilotjob_services = []
        self.work_units = []

    def add(self, pjs):
        """Lets the pilot jobs of `pjs` run this service's work units."""
        if not isinstance(pjs, PilotJobService):
            raise PilotError(f"add takes a PilotJobService, got {type(pjs).__name__}")
        self._service.add_pilot_compute_service(pjs._service)
        if pjs not in self.pilotjob_services:
            self.pilotjob_services.append(pjs)

    def remove(self, pjs):
        """Detaches `pjs` (its pilot jobs are not cancelled)."""
        if pjs in self.pilotjob_services:
            self._service.remove_pilot_compute_service(pjs._service)
            self.pilotjob_services.remove(pjs)

    def submit(self, wud):
        """Queues a work unit (BigJob's shell semantics)."""
        if not isinstance(wud, dict):
            raise PilotError(f"submit takes a WorkUnitDescription, got {type(wud).__name__}")
        description = wud if isinstance(wud, WorkUnitDescription) else WorkUnitDescription(wud)
        unit = WorkUnit(self._service.submit_compute_unit(given(description)), description)
        self.work_units.append(unit)
        return unit

    @property
    def state(self):
        """Canceled once its work units were cancelled (by any process of a
        served session: the core records it), Running otherwise."""
        return State.Canceled if self._service.get_state() == pilot.State.Canceled else State.Running

    def cancel(self):
        """Cancels this service's work units (its pilot jobs keep running)."""
        self._service.cancel_units()


class WorkUnit(_TroyObject):
    """One work unit. `state` is an integer (State); `state_detail` the core's state name."""

    def __init__(self, unit, description):
        self._core = unit
        self.id = unit.get_id()
        self.wu_id = self.id
        self.description = description

    def get_local_working_directory(self):
        return self._core.get_local_working_directory()



