"""bigjob, subjob and description over the `pilot` package."""

import pilot
from pilot.description import SagaDescription, given

version = pilot.version

# Positional parameters of start_pilot_job after lrms_url, in order.
_PARAMETERS = ("number_nodes", "queue", "project", "working_directory", "userproxy", "walltime",
               "processes_per_node", "filetransfers", "spmd_variation", "external_queue",
               "pilot_compute_description")


class state:
    """The states subjobs and pilots report."""

    Unknown = pilot.State.Unknown
    New = pilot.State.New
    Pending = pilot.State.Pending
    Staging = pilot.State.Staging
    Running = pilot.State.Running
    Done = pilot.State.Done
    Canceled = pilot.State.Canceled
    Failed = pilot.State.Failed


class description(SagaDescription):
    """A SAGA-style job description: any attribute can be set; the common
    ones (executable, arguments, environment, number_of_processes, ...)
    read as None until set."""

    _KNOWN = ("executable", "arguments", "environment", "number_of_processes", "spmd_variation",
              "working_directory", "output", "error", "input", "file_transfer", "input_data", "output_data")


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, str) and value.strip().isdigit())


class bigjob:
    """A pilot, the 2010 way. `pilot_url` reconnects to an existing one."""

    state = state
    version = version

    def __init__(self, coordination_url=None, pilot_url=None):
        self.coordination_url = coordination_url
        self._service = pilot.PilotComputeService(coordination_url=coordination_url)
        self._pilot = None
        self.pilot_url = None
        self.uuid = None
        if pilot_url is not None:
            self._adopt(pilot.PilotCompute(pilot_url=pilot_url))

    def _adopt(self, compute):
        self._pilot = compute
        self.pilot_url = compute.get_url()
        self.uuid = compute.get_id()

    def start_pilot_job(self, lrms_url=None, *positional, **keywords):
        """Starts the pilot; returns its URL. Takes the current signature
        (lrms_url, number_nodes, queue, project, working_directory,
        userproxy, walltime, processes_per_node, filetransfers,
        spmd_variation, external_queue, pilot_compute_description) and the
        pre-2012 one with the agent executable second (ignored: our agent
        ships with the library)."""
        if self._pilot is not None:
            raise pilot.PilotError("start_pilot_job was called already on this bigjob; create another bigjob for another pilot")
        if positional and not _is_count(positional[0]):
            positional = positional[1:]
        keywords.pop("bigjob_agent_executable", None)
        if len(positional) > len(_PARAMETERS):
            raise pilot.PilotError(f"start_pilot_job takes at most {len(_PARAMETERS) + 1} arguments")
        arguments = dict(zip(_PARAMETERS, positional))
        for key, value in keywords.items():
            if key not in _PARAMETERS:
                raise pilot.PilotError(f"start_pilot_job got the unknown argument '{key}'")
            if key in arguments:
                raise pilot.PilotError(f"start_pilot_job got '{key}' twice")
            arguments[key] = value
        self._adopt(self._service.create_pilot(self._pilot_description(lrms_url, arguments)))
        return self.pilot_url

    @staticmethod
    def _pilot_description(lrms_url, arguments):
        described = dict(arguments.get("pilot_compute_description") or {})
        given = {
            "service_url": lrms_url, "number_of_processes": arguments.get("number_nodes", 1),
            "queue": arguments.get("queue") or None, "project": arguments.get("project") or None,
            "working_directory": arguments.get("working_directory"), "walltime": arguments.get("walltime"),
            "processes_per_node": arguments.get("processes_per_node"), "file_transfer": arguments.get("filetransfers"),
            "spmd_variation": arguments.get("spmd_variation"),
        }
        described.update({key: value for key, value in given.items() if value is not None})
        return described

    def _started(self):
        if self._pilot is None:
            raise pilot.PilotError("no pilot yet: call start_pilot_job first")
        return self._pilot

    def get_state(self):
        return self._started().get_state()

    def get_state_detail(self):
        """The resource manager's own state (for fork pilots, the same as get_state)."""
        return self._started().get_state_detail()

    def get_url(self):
        return self.pilot_url

    def get_free_nodes(self):
        return self._started().get_free_nodes()

    def get_details(self):
        return self._started().get_details()

    def list_subjobs(self):
        """The URLs of the subjobs of this pilot."""
        return [unit.get_url() for unit in self._started().list_compute_units()]

    def wait(self, timeout=None):
        """Until every subjob is final (or the pilot is)."""
        self._started().wait(timeout)

    def cancel(self):
        """Cancels the pilot and its subjobs; returns when nothing of them runs."""
        if self._pilot is not None:
            self._pilot.cancel()


class subjob:
    """A unit, the 2010 way. `subjob_url` reconnects to an existing one."""

    def __init__(self, coordination_url=None, subjob_url=None):
        self.coordination_url = coordination_url
        self._unit = pilot.ComputeUnit(cu_url=subjob_url) if subjob_url is not None else None
        self._description = {}

    def submit_job(self, pilot_url, jd):
        """Runs `jd` (a description or dict) on the pilot at `pilot_url`."""
        if self._unit is not None:
            raise pilot.PilotError("this subjob was submitted already; create another subjob")
        if not isinstance(jd, dict):
            raise pilot.PilotError(f"submit_job takes a description, got {type(jd).__name__}")
        self._description = given(jd)
        self._unit = pilot.PilotCompute(pilot_url=pilot_url).submit_compute_unit(self._description)

    def _submitted(self):
        if self._unit is None:
            raise pilot.PilotError("this subjob was not submitted: call submit_job first")
        return self._unit

    def get_state(self):
        return self._unit.get_state() if self._unit is not None else state.Unknown

    def get_details(self):
        return self._submitted().get_details()

    def get_exe(self):
        return self._submitted().get_details()["Executable"]

    def get_arguments(self):
        return self._submitted().get_details()["Arguments"]

    def get_url(self):
        return self._submitted().get_url()

    def cancel(self):
        """Stops the subjob's process tree; it ends Canceled."""
        self._submitted().cancel()
