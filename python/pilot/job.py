"""The job layer pilots run on, usable directly: one API for local
processes (fork://localhost), hosts over ssh (ssh://[user@]host[:port]),
SLURM (slurm://localhost) and Grid Engine (sge://localhost), shaped by
DRMAA2.

    from pilot import job
    service = job.JobService("slurm://localhost")
    ids = service.submit_array({"executable": "/bin/sh", "arguments": ["-c", "echo $PILOT_TASK_INDEX"]},
                               begin=1, end=10, max_parallel=2)
    service.wait(ids)
    print(service.info(ids[0])["exit_status"])
"""

import json

from . import _native, handles
from ._native import ffi, lib
from .encoding import description_json
from .errors import PilotError, quoted

_STATE_NAMES = _native.enum_names("pilot_job_state", "PILOT_JOB_")
STATES = tuple(_STATE_NAMES.values())
"""Job states (DRMAA2's): the enumerators of pilot_job_state, in their order."""

_STATE_NUMBERS = {name: number for number, name in _STATE_NAMES.items()}

FINAL = ("done", "failed")

_CONTROLS = {name: number for number, name in _native.enum_names("pilot_job_action", "PILOT_JOB_").items()}


class JobService:
    """A resource manager by URL. Job descriptions are dicts with the keys
    `executable` (required), `arguments`, `environment`, `working_directory`,
    `output`, `error`, `number_of_processes`, `nodes`, `wall_time`
    (minutes), `queue`, `project`, `name`."""

    def __init__(self, url):
        if not isinstance(url, str):
            raise PilotError(f"the job service URL must be a string, got {type(url).__name__}")
        self.url = url
        self._handle = handles.own(self, _native.call_handle(lib.pilot_job_service_open, "pilot_job_service",
                                                             url.encode()), lib.pilot_job_service_release)

    def submit(self, job):
        """Submits one job; returns its id."""
        return _native.call_string(lib.pilot_job_submit, self._handle, description_json(job, "job description").encode())

    def submit_array(self, job, begin, end, step=1, max_parallel=0):
        """Submits an array (each task sees PILOT_TASK_INDEX); returns the task ids."""
        text = description_json(job, "job description").encode()
        for name, value in (("begin", begin), ("end", end), ("step", step), ("max_parallel", max_parallel)):
            # The C call takes ints: a bool or a number past 32 bits would reach it as something else or as OverflowError.
            if type(value) is not int or not -2**31 <= value < 2**31:
                raise PilotError(f"job array {name} must be an integer that fits 32 bits, got {quoted(value)}",
                                 lib.PILOT_ERR_INVALID_ARGUMENT)
        return json.loads(_native.call_string(lib.pilot_job_submit_array, self._handle, text, begin, end, step, max_parallel))

    def state(self, job_id):
        """(state, native state): one of STATES, and the manager's own word."""
        state, native = ffi.new("int *"), ffi.new("char **")
        _native.check(lib.pilot_job_status(self._handle, job_id.encode(), state, native))
        return _STATE_NAMES[state[0]], _native.take_string(native[0])

    def info(self, job_id):
        """A dict: id, state, native, reason, cannot_run (the manager says it
        will never start; reason says why), exit_status, terminating_signal,
        submission_time, dispatch_time, finish_time, hosts, slots, queue."""
        info = json.loads(_native.call_string(lib.pilot_job_info, self._handle, job_id.encode()))
        info["state"] = _STATE_NAMES[info["state"]]
        return info

    def control(self, job_id, action):
        """`action`: terminate, suspend, resume, hold or release."""
        if action not in _CONTROLS:
            raise PilotError(f"job action {quoted(action)} is unknown; use one of {', '.join(_CONTROLS)}")
        _native.check(lib.pilot_job_control(self._handle, job_id.encode(), _CONTROLS[action]))

    def terminate(self, job_id):
        self.control(job_id, "terminate")

    def wait(self, job_ids, states=FINAL, timeout=None):
        """Until every job is in one of `states`; returns {id: state}.
        Raises PilotError (code PILOT_ERR_TIMEOUT) after `timeout` seconds."""
        unknown = [state for state in states if state not in _STATE_NUMBERS]
        if unknown:
            raise PilotError(f"job state {quoted(unknown[0])} is unknown; use names from pilot.job.STATES")
        mask = 0
        for state in states:
            mask |= 1 << _STATE_NUMBERS[state]
        out = ffi.new("char **")
        _native.check(lib.pilot_job_wait(self._handle, json.dumps(list(job_ids)).encode(), mask,
                                         -1.0 if timeout is None else float(timeout), out))
        return {job_id: _STATE_NAMES[number] for job_id, number in json.loads(_native.take_string(out[0])).items()}

    def delete(self, job_id):
        """Forgets an ended job, where the manager keeps records."""
        _native.check(lib.pilot_job_delete(self._handle, job_id.encode()))

    def jobs(self):
        return json.loads(_native.call_string(lib.pilot_job_list, self._handle))

    def queues(self):
        return json.loads(_native.call_string(lib.pilot_job_queues, self._handle))

    def resource_status(self):
        """{"total_slots", "free_slots", "running", "queued"}."""
        return json.loads(_native.call_string(lib.pilot_job_resource_status, self._handle))

    def output_files(self, job_id):
        return json.loads(_native.call_string(lib.pilot_job_output_files, self._handle, job_id.encode()))

    def peek(self, path, offset=0, size=4096):
        """`size` bytes of an output file from `offset` (negative: from the end)."""
        return _native.call_string(lib.pilot_job_peek, self._handle, path.encode(), offset, size)

    def __repr__(self):
        return f"<JobService {self.url}>"
