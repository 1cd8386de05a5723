"""pilot: BigJob's Pilot-API on a Swift core (libpilot).

    from pilot import PilotComputeService, ComputeDataService, State

    pcs = PilotComputeService()
    pilot = pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 4})
    cds = ComputeDataService()
    cds.add_pilot_compute_service(pcs)
    unit = cds.submit_compute_unit({"executable": "/bin/date", "output": "stdout.txt"})
    cds.wait()
    print(unit.get_state(), unit.get_local_working_directory())

Units run through /bin/bash with their arguments joined unquoted, as in
BigJob, so `$VAR` expands; set "shell": False to run argv directly. At
interpreter exit every pilot still running is cancelled.
"""

import json as _json

from . import _native
from ._native import ffi as _ffi, lib as _lib
from .compute import ComputeUnit, PilotCompute, PilotComputeService
from .data_service import (
    ComputeDataService, ComputeDataServiceCentral, ComputeDataServiceDecentral, ComputeUnitService, DataUnit,
    DataUnitService, PilotData, PilotDataService,
)
from .description import ComputeUnitDescription, DataUnitDescription, PilotComputeDescription, PilotDataDescription
from .errors import PilotError
from .handles import Progress
from .state import State

version = _ffi.string(_lib.pilot_version()).decode()
application_id = "bigjob"


def capabilities():
    """What this build of the core supports: {"pilot_schemes": [...] (the
    schemes a pilot's service_url may use), "job_schemes": [...] (those
    pilot.job.JobService accepts), "features": ["serve", "journal", ...]}."""
    return _json.loads(_native.call_string(_lib.pilot_capabilities))


__all__ = [
    "PilotComputeService", "PilotCompute", "ComputeUnit", "ComputeDataService", "ComputeDataServiceDecentral",
    "ComputeDataServiceCentral", "PilotDataService", "PilotData", "DataUnit", "ComputeUnitService",
    "DataUnitService", "PilotError", "State", "PilotComputeDescription", "ComputeUnitDescription",
    "DataUnitDescription", "PilotDataDescription", "Progress", "version", "capabilities",
]
