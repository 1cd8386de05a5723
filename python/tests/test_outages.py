"""Issue acceptance: restart after outages of 1, 20, 35, 55 and 70 s, with
3,000 units, a waiting client, serve killed at random points, 3 kills per
run: up to the grace (`pilotctl serve` default --agent-grace 60 s) nothing
is lost or run twice (a marker per run proves it); past the grace every
unit of the lost agent ends with a reason and no wait hangs.

Each unit appends its id to a marker file when it starts, so a line is a
run. A first client submits the units through a late-binding
ComputeDataService and exits; a second one, started beside the test,
reconnects by the service's URL and blocks in `cds.wait()`, losing the
coordinator at every kill and reconnecting after it. The coordinator is
killed with -9 when the number of runs reaches a random point (the seed is
printed; PILOT_OUTAGE_SEED replays one), stays down for the outage, and is
started again on its session directory. The two runs go side by side
(the within-the-grace one in the background): both are mostly waiting."""

import collections
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import PYTHON_DIR, eventually, processes_under
from test_serve import Served, run_client

UNITS = 3000
SLOTS = 4
GRACE = 60  # `pilotctl serve --agent-grace` default, which these tests use
HEARTBEAT_TIMEOUT = 5  # `pilotctl serve --heartbeat-timeout` default
UNIT_ID = re.compile(r"cu-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Reconnects by the service's URL and waits. Losing the coordinator while
# connected prints "lost: <error>"; it then tries again by the same URL every
# 0.2 s, printing the first failure of each outage ("retry: <error>"), until
# the coordinator is back. Ends with one line:
# RESULT {how the wait ended, the pilot's state and reason, every unit}.
WAITER = """
    import json, sys, time
    import pilot

    cds_url, pilot_url = sys.argv[1:]
    transient = ("lost the coordinator", "cannot reach the coordinator")
    retrying = False
    while True:
        connected = False
        try:
            cds = pilot.ComputeDataService(cds_url=cds_url)
            connected, retrying = True, False
            print("waiting", flush=True)
            began = time.monotonic()
            try:
                cds.wait()
                ended = "returned"
            except pilot.PilotError as error:
                if str(error).startswith(transient):
                    raise
                ended = str(error)
            print(f"wait ended after {time.monotonic() - began:.1f} s: {ended}", flush=True)
            pj = pilot.PilotCompute(pilot_url=pilot_url)
            units = {}
            for unit in cds.list_compute_units():
                details = unit.get_details()
                units[unit.get_id()] = [details["state"], details["reason"], details["pilot_id"], details["end_time"]]
            result = {"wait": ended, "pilot": [pj.get_state(), pj.get_details().get("reason")], "units": units}
            break
        except pilot.PilotError as error:
            if not str(error).startswith(transient):
                raise
            if connected:
                print("lost:", error, flush=True)
            elif not retrying:
                print("retry:", error, flush=True)
                retrying = True
            time.sleep(0.2)
    print("RESULT " + json.dumps(result), flush=True)
    """


@pytest.fixture
def session_directory():
    return tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"


def choose_seed():
    chosen = int(os.environ.get("PILOT_OUTAGE_SEED") or random.SystemRandom().randrange(2 ** 32))
    print(f"seed {chosen} (PILOT_OUTAGE_SEED={chosen} replays the kill points)")
    return chosen


@pytest.fixture
def seed():
    return choose_seed()


@pytest.fixture(scope="module")
def within_the_grace():
    """The within-the-grace run, started in the background with the
    module's first test: both runs are mostly outages (idle), so the
    past-the-grace test runs beside it and the module takes as long as the
    longer run. Yields a function that waits for the run and returns it
    (or raises what stopped it)."""
    work = Path(tempfile.mkdtemp(prefix="pilot-outages-"))
    session_directory = tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"
    seed = choose_seed()
    outcome = {}

    def run():
        try:
            outcome["run"] = run_with_outages(work, session_directory, seed, (1, 20, 35), final_wait=120, shuffle=True)
        except BaseException as error:  # pytest.fail and assertions end the run: the test reports them
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result():
        thread.join(timeout=900)
        assert not thread.is_alive(), "the within-the-grace run did not end within 15 min"
        if "error" in outcome:
            raise outcome["error"]
        return outcome["run"]

    yield result
    thread.join(timeout=900)
    shutil.rmtree(work, ignore_errors=True)


@dataclass
class Kill:
    outage: float
    target: int  # runs at which the kill was due (the random point)
    runs_at_kill: int = 0
    killed: float = 0.0  # time.time()
    restarted: float = 0.0
    runs_at_restart: int = 0
    waiter_connected: float = 0.0  # seconds from the kill's due point until the waiter was in wait()


@dataclass
class Run:
    """What one run observed: the kills, the marker, the waiting client's result."""
    seed: int
    pilot_id: str
    ids: list
    kills: list
    lines: list = field(default_factory=list)
    waiter_output: str = ""
    waiter_status: int = None
    wait_ended: str = None
    pilot: list = None
    units: dict = field(default_factory=dict)
    seconds: float = 0.0
    final_wait_seconds: float = None  # from the last restart until the waiting client ended

    def losses(self):
        return [line for line in self.waiter_output.splitlines() if line.startswith("lost: lost the coordinator")]

    def states(self):
        return dict(collections.Counter(state for state, *_ in self.units.values()))

    def outage_of_run(self, position):
        """The outage after whose restart the marker line at `position` was
        written (None: before the first restart)."""
        owner = None
        for kill in self.kills:
            if position >= kill.runs_at_restart:
                owner = kill.outage
        return owner

    def outage_of_time(self, when):
        """The outage a unit's end at `when` follows: a restarted coordinator
        records ends it learns of as it starts, before the harness sees it up."""
        owner = None
        for kill in self.kills:
            if when is not None and when >= kill.killed:
                owner = kill.outage
        return owner

    def duplicates(self):
        """{unit id: runs} of units that ran more than once."""
        return {unit: count for unit, count in collections.Counter(self.lines).items() if count > 1}

    def duplicates_by_outage(self):
        """Extra runs, by the outage after which each was written."""
        seen = set()
        found = collections.Counter({kill.outage: 0 for kill in self.kills})
        for position, unit in enumerate(self.lines):
            if unit in seen:
                found[self.outage_of_run(position)] += 1
            seen.add(unit)
        return dict(found)

    def failed_by_outage(self):
        """Units that ended Failed or Canceled, by the outage after whose restart they ended."""
        found = collections.Counter({kill.outage: 0 for kill in self.kills})
        for state, _, _, finished in self.units.values():
            if state in ("Failed", "Canceled"):
                found[self.outage_of_time(finished)] += 1
        return dict(found)

    def reasons(self):
        """{reason with ids masked: count} of units that did not end Done."""
        masked = (re.sub(r"(bj|cu|cds|pcs)-[0-9a-f-]{36}", r"\1-...", reason or "")
                  for state, reason, *_ in self.units.values() if state != "Done")
        return dict(collections.Counter(masked))

    def summary(self):
        lines = [f"seed {self.seed}: {len(self.ids)} units on one fork pilot of {SLOTS} slots, {self.seconds:.0f} s"]
        for number, kill in enumerate(self.kills, 1):
            lines.append(f"  kill {number}: due at {kill.target} runs, killed at {kill.runs_at_kill}, "
                         f"outage {kill.outage} s (actual {kill.restarted - kill.killed:.1f} s), "
                         f"{kill.runs_at_restart} runs at the restart (waiting client in wait() "
                         f"{kill.waiter_connected:.1f} s after the kill was due)")
        counts = collections.Counter(self.lines)
        lines.append(f"  marker: {len(self.lines)} runs, {len(counts)} distinct units, "
                     f"{len(self.duplicates())} units ran twice or more, "
                     f"{len(set(self.ids) - set(counts))} units never ran, "
                     f"{len(set(counts) - set(self.ids))} unknown ids")
        lines.append(f"  extra runs by outage: {self.duplicates_by_outage()}")
        lines.append(f"  Failed/Canceled by outage: {self.failed_by_outage()}")
        lines.append(f"  states: {self.states()}; pilot: {self.pilot}")
        lines.append(f"  reasons: {self.reasons()}")
        lines.append(f"  waiting client: exit {self.waiter_status}, {len(self.losses())} losses, "
                     f"wait ended: {self.wait_ended!r}"
                     + ("" if self.final_wait_seconds is None else f", {self.final_wait_seconds:.1f} s after the last restart"))
        return "\n".join(lines)


def runs(marker):
    return len(marker.read_text().splitlines()) if marker.exists() else 0


def start_waiter(tmp_path, served, cds_url, pilot_url):
    """The waiting client, in the background; its output goes to a file."""
    environment = dict(os.environ, PYTHONPATH=str(PYTHON_DIR), PILOT_COORDINATION_URL=served.url)
    output = tmp_path / "waiter.out"
    with open(output, "w") as stdout:
        process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(WAITER), cds_url, pilot_url],
                                   cwd=tmp_path, env=environment, stdout=stdout, stderr=subprocess.STDOUT, text=True)
    return process, output


def kill_points(rng, count, first=0.1, last=0.85):
    """One random point (a number of runs) in each of `count` equal parts of
    [first, last] of the run, so every kill lands while units remain."""
    width = (last - first) / count
    return [int(UNITS * rng.uniform(first + index * width, first + (index + 0.8) * width)) for index in range(count)]


def run_with_outages(tmp_path, session_directory, seed, outages, final_wait, shuffle=False):
    """Submits the units, starts the waiting client, kills the coordinator at
    random points for `outages` (in an order drawn from the seed when
    `shuffle`: the first kill is the only one of the coordinator that started
    the agent), and collects what happened; the waiting client must end
    within `final_wait` s of the last restart."""
    rng = random.Random(seed)
    outages = list(outages)
    if shuffle:
        rng.shuffle(outages)
    marker = tmp_path / "ran"
    work = tmp_path / "work"
    began = time.monotonic()
    served = Served(session_directory)
    waiter = None
    try:
        first = run_client(f"""
            import pilot
            pcs = pilot.PilotComputeService()
            pj = pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": {SLOTS},
                                   "working_directory": "{work}"}})
            cds = pilot.ComputeDataService()
            cds.add_pilot_compute_service(pcs)
            units = cds.submit_compute_units([{{"executable": "/bin/sh", "shell": False,
                                               "arguments": ["-c", "echo $PILOT_UNIT_ID >> {marker}; sleep 0.02"]}}
                                              for _ in range({UNITS})])
            print(cds.get_url(), pj.get_url())
            print("\\n".join(unit.get_id() for unit in units))
            """, tmp_path, served)
        urls, *ids = first.splitlines()
        cds_url, pilot_url = urls.split()
        run = Run(seed=seed, pilot_id=pilot_url.split(":")[-2], ids=ids,
                  kills=[Kill(outage, target) for outage, target in zip(outages, kill_points(rng, len(outages)))])
        waiter, waiter_output = start_waiter(tmp_path, served, cds_url, pilot_url)

        def connections():
            return waiter_output.read_text().splitlines().count("waiting")

        for number, kill in enumerate(run.kills):
            assert eventually(lambda: runs(marker) >= kill.target, within=180), \
                f"the run stalled at {runs(marker)} runs before kill {number + 1} (due at {kill.target})\n{run.summary()}"
            due = time.monotonic()
            # The waiting client must be in wait() when the coordinator dies.
            assert eventually(lambda: connections() > number, within=60), \
                f"the waiting client did not reconnect before kill {number + 1}:\n{waiter_output.read_text()}"
            kill.waiter_connected = time.monotonic() - due
            served.kill()
            kill.killed = time.time()
            kill.runs_at_kill = runs(marker)
            assert kill.runs_at_kill < UNITS, f"kill {number + 1} came after the last unit ran\n{run.summary()}"
            time.sleep(max(0.0, kill.killed + kill.outage - time.time()))
            if kill.outage > GRACE:
                assert eventually(lambda: processes_under(work) == [], within=10), \
                    f"past the grace the agent should have stopped its units and exited; still running: {processes_under(work)}"
            served.start()
            kill.restarted = time.time()
            kill.runs_at_restart = runs(marker)
        restarted = time.monotonic()
        try:
            run.waiter_status = waiter.wait(timeout=final_wait)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the waiting client's wait did not return within {final_wait} s of the last restart\n"
                        f"{waiter_output.read_text()[-3000:]}\n{run.summary()}")
        run.final_wait_seconds = time.monotonic() - restarted
    finally:
        if waiter is not None and waiter.poll() is None:
            waiter.kill()
            waiter.wait()
        served.stop()
        # A failure while the coordinator was down leaves the agent and its
        # units waiting out the grace: end them (this test's processes only).
        for pid in processes_under(work):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    run.seconds = time.monotonic() - began
    run.lines = marker.read_text().splitlines()
    run.waiter_output = waiter_output.read_text()
    *progress, last = run.waiter_output.splitlines() or [""]
    assert run.waiter_status == 0 and last.startswith("RESULT "), \
        f"the waiting client failed (exit {run.waiter_status}):\n{run.waiter_output[-3000:]}"
    result = json.loads(last[len("RESULT "):])
    run.wait_ended, run.pilot, run.units = result["wait"], result["pilot"], result["units"]
    run.waiter_output = "\n".join(progress)
    print(run.summary())
    return run


def marker_problems(run):
    """The marker holds one line per run, each a unit id of this run: anything else is a problem."""
    problems = []
    strange = [line for line in run.lines if not UNIT_ID.fullmatch(line) or line not in run.units]
    if strange:
        problems.append(f"{len(strange)} marker lines are not unit ids of this run, e.g. {strange[:3]}")
    duplicates = run.duplicates()
    if duplicates:
        problems.append(f"{len(duplicates)} units ran more than once ({sum(duplicates.values()) - len(duplicates)} "
                        f"extra runs, by outage {run.duplicates_by_outage()}), e.g. {sorted(duplicates.items())[:3]}")
    return problems


def test_outages_past_the_grace_end_every_unit_of_the_lost_agent(tmp_path, session_directory, seed, within_the_grace):
    """Outages of 1 and 55 s (within the grace: nothing lost or run twice),
    then 70 s: past the 60 s grace the agent stops its units and exits; the
    restarted coordinator sees that its process is gone and fails the
    pilot (it would wait max(grace, heartbeat timeout) for an agent it
    cannot see). Every unit it held ends Failed with a reason naming the
    pilot; units it never received stay queued, and the waiting client's
    wait returns (saying so) instead of hanging. Done units ran once."""
    outages = (1, 55, 70)
    wait_for_agents = max(GRACE, HEARTBEAT_TIMEOUT)
    run = run_with_outages(tmp_path, session_directory, seed, outages, final_wait=wait_for_agents + 45)
    last_kill = run.kills[-1].killed
    problems = marker_problems(run)
    if len(run.losses()) != len(outages):
        problems.append(f"the waiting client lost the coordinator {len(run.losses())} times, not {len(outages)}")
    if sorted(run.units) != sorted(run.ids):
        problems.append(f"the service lists {len(run.units)} units, not the {len(run.ids)} submitted")
    if run.pilot[0] != "Failed" or "agent" not in (run.pilot[1] or ""):
        problems.append(f"the pilot is {run.pilot}, not Failed with its agent lost")
    counts = collections.Counter(run.lines)
    by_state = collections.defaultdict(list)
    for unit, (state, reason, pilot_id, finished) in run.units.items():
        by_state[state].append((unit, reason, pilot_id, finished))
    for state, members in sorted(by_state.items()):
        if state == "Done":
            once = [unit for unit, *_ in members if counts[unit] != 1]
            if once:
                problems.append(f"{len(once)} Done units did not run exactly once, e.g. "
                                f"{[(unit, counts[unit]) for unit in once[:3]]}")
        elif state in ("Failed", "Canceled"):
            # Units of the lost agent: they end with the final outage, with a reason naming the pilot.
            early = [unit for unit, reason, _, finished in members if finished is None or finished < last_kill]
            if early:
                problems.append(f"{len(early)} units ended {state} before the last outage (lost within the grace; "
                                f"by outage {run.failed_by_outage()}), reasons {run.reasons()}")
            unnamed = [(unit, reason) for unit, reason, *_ in members
                       if not reason or run.pilot_id not in reason or "agent" not in reason]
            if unnamed:
                problems.append(f"{len(unnamed)} {state} units have a reason that does not name the pilot and its "
                                f"agent, e.g. {unnamed[:3]}")
        elif state == "New":
            # Never bound to the lost agent: still queued for a pilot of the service.
            ran = [unit for unit, *_ in members if counts[unit]]
            if ran:
                problems.append(f"{len(ran)} units are queued again although they ran, e.g. {ran[:3]}")
            bound = [(unit, pilot_id) for unit, _, pilot_id, _ in members if pilot_id]
            if bound:
                problems.append(f"{len(bound)} queued units still name a pilot, e.g. {bound[:3]}")
        else:
            problems.append(f"{len(members)} units are left {state} after the agent was lost, e.g. {members[:3]}")
    queued = len(by_state.get("New", []))
    if queued:
        expected = f"{queued} units of service "
        if not run.wait_ended.startswith(expected) or "none of its pilots is alive" not in run.wait_ended:
            problems.append(f"the wait ended with {run.wait_ended!r}, not saying that the {queued} queued units "
                            "have no live pilot")
    elif run.wait_ended != "returned":
        problems.append(f"the wait ended with an error although no unit is queued: {run.wait_ended}")
    assert not problems, "\n".join(problems) + "\n" + run.summary()


def test_outages_within_the_grace_lose_nothing_and_run_nothing_twice(within_the_grace):
    """Outages of 1, 20 and 35 s (in an order drawn from the seed), all
    within the 60 s grace: the waiting client loses the coordinator at each
    kill, reconnects by URL and its wait returns; all 3,000 units are Done
    and each ran exactly once."""
    outages = (1, 20, 35)
    run = within_the_grace()
    problems = marker_problems(run)
    if len(run.losses()) != len(outages):
        problems.append(f"the waiting client lost the coordinator {len(run.losses())} times, not {len(outages)}")
    if run.wait_ended != "returned":
        problems.append(f"the waiting client's wait ended with an error: {run.wait_ended}")
    if sorted(run.units) != sorted(run.ids):
        problems.append(f"the service lists {len(run.units)} units, not the {len(run.ids)} submitted")
    if run.states() != {"Done": UNITS}:
        problems.append(f"states are {run.states()}, not all {UNITS} Done (Failed/Canceled by outage "
                        f"{run.failed_by_outage()}; reasons {run.reasons()})")
    never = set(run.ids) - set(run.lines)
    if never:
        problems.append(f"{len(never)} units never ran, e.g. {sorted(never)[:3]}")
    if run.pilot[0] != "Running":
        problems.append(f"the pilot is {run.pilot}, not Running")
    assert not problems, "\n".join(problems) + "\n" + run.summary()
