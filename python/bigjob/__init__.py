"""BigJob's 2010 API (`from bigjob import bigjob, subjob, description`) on
the same core as `pilot`: a thin mapping, no scheduling or state of its own.

    bj = bigjob()
    bj.start_pilot_job("fork://localhost", 8)
    jd = description()
    jd.executable = "/bin/echo"
    jd.arguments = ["$HELLOWORLD"]
    jd.environment = ["HELLOWORLD=hello_world"]
    sj = subjob()
    sj.submit_job(bj.pilot_url, jd)
"""

from .bigjob_manager import bigjob, description, state, subjob, version

__all__ = ["bigjob", "subjob", "description", "state", "version", "bigjob_manager"]
