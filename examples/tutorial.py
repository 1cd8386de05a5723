"""BigJob's tutorial pattern: a 4-slot pilot on this machine, 16 units that
each print their task number, then their outputs.

    PYTHONPATH=python python3 examples/tutorial.py     (or after pip install ./python)
"""

from pilot import ComputeDataService, PilotComputeService

pcs = PilotComputeService()
pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 4})
cds = ComputeDataService()
cds.add_pilot_compute_service(pcs)
units = [cds.submit_compute_unit({"executable": "/bin/echo", "arguments": ["I am task number $TASK_NO"],
                                  "environment": {"TASK_NO": i}}) for i in range(16)]
cds.wait()
for unit in units:
    with open(unit.get_local_working_directory() + "/stdout") as output:
        print(unit.get_state(), output.read(), end="")
pcs.cancel()
