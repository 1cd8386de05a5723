"""`pilotctl` for the shell (issue 16): the README's shell session end to
end, bad input that exits 2 and changes nothing, and the progress line of
a long wait on a terminal and off one."""

import json
import os
import pty
import re
import select
import sqlite3
import subprocess
import tempfile

import pytest

from conftest import PYTHON_DIR, run_script
from test_serve import PILOTCTL, Served

README = PYTHON_DIR.parent / "README.md"


def readme_block(marker):
    """The fenced block after <!-- marker --> in the README."""
    found = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)```", README.read_text(), flags=re.S)
    assert found, f"README.md lacks its {marker} block"
    return found.group(1)


def shell_environment():
    """This tree's pilotctl first on PATH, no session preset."""
    environment = {key: value for key, value in os.environ.items() if key != "PILOT_COORDINATION_URL"}
    environment["PATH"] = f"{PILOTCTL.parent}:{environment['PATH']}"
    return environment


def test_the_readmes_shell_session_runs_end_to_end(tmp_path):
    script = "set -euo pipefail\n" + readme_block("shell-session")
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=shell_environment(), capture_output=True,
                            text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"bj-[0-9a-f-]{36}", lines[0]), lines
    ids = (tmp_path / "ids.txt").read_text().split()
    assert len(ids) == 100 and all(re.fullmatch(r"cu-[0-9a-f-]{36}", unit) for unit in ids)
    # tail -f of the first unit: both its lines, the second written half a second after the first.
    assert lines[1:3] == ["unit 0 starts", "unit 0 ends"], lines
    assert lines[3] == "canceled 50 objects"
    assert lines[4].strip() == "51"
    status = json.loads((tmp_path / "status.json").read_text())
    assert sum(status["unit_counts"].values()) == 100 and len(status["pilots"]) == 1
    assert status["session"].startswith("ps-") and status["pilots"][0]["slots"] == 8
    journal = sqlite3.connect(tmp_path / "run" / "journal.sqlite")
    states = dict(journal.execute("SELECT state, count(*) FROM units GROUP BY state").fetchall())
    canceled = {row[0] for row in journal.execute("SELECT id FROM units WHERE state = 6")}
    assert canceled <= set(ids[50:]) and states.get(5, 0) + states.get(6, 0) == 100 and states.get(5, 0) >= 50, states
    figures = json.loads(re.search(r'<script type="application/json" id="figures">(.*?)</script>',
                                   (tmp_path / "report.html").read_text(), flags=re.S).group(1))
    assert figures["units"] == 100 and figures["states"] == {"Done": states[5], "Canceled": states[6]}, figures


@pytest.fixture
def finished_session():
    """A served session with one pilot and four final units: nothing in it changes by itself."""
    directory = tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"
    served = Served(directory)
    environment = dict(shell_environment(), PILOT_COORDINATION_URL=served.url)
    subprocess.run([str(PILOTCTL), "start", "--slots", "2", "--wait"], env=environment, check=True, capture_output=True)
    subprocess.run([str(PILOTCTL), "submit", "--count", "4", "--", "/bin/echo", "hi"], env=environment, check=True,
                   capture_output=True)
    subprocess.run([str(PILOTCTL), "wait"], env=environment, check=True, capture_output=True)
    yield served, environment
    served.stop()


BAD_INPUT = [
    (["status", "--session", "ps-00000000-0000-4000-8000-000000000000"], None, "no session ps-00000000-0000-4000-8000-000000000000 in"),
    (["status", "--session", "/nonexistent/run"], None, "/nonexistent/run does not exist"),
    (["cat", "cu-00000000-0000-4000-8000-000000000000"], None, "no object 'cu-00000000-0000-4000-8000-000000000000'"),
    (["cancel", "cu-00000000-0000-4000-8000-000000000000"], None, "no object 'cu-00000000-0000-4000-8000-000000000000'"),
    (["cancel", "bj-nope"], None, "no object 'bj-nope'"),
    (["status", "xy-1"], None, "xy-1 is not a unit (cu-...), pilot (bj-...) or compute data service (cds-...) id"),
    (["list", "--state", "finished"], None, 'unknown state "finished"; use one of New, Pending, Staging, Running, Done'),
    (["cancel", "--state", "done,bogus"], None, 'unknown state "bogus"'),
    (["submit", "--file", "units.json"], '[{"executable": "/bin/true"}, {"executable": ', "is not valid JSON"),
    (["submit", "--file", "units.yaml"], "units:\n  - executable: /bin/true\n   bad: [\n", "line 3"),
    (["submit", "--file", "units.yaml"], "units: 3\n", '"units" in the unit file units.yaml is not a list'),
    (["submit", "--file", "units.yaml"], "- executable: /bin/true\n- arguments: [1]\n", "executable"),
    (["submit", "--file", "missing.json"], None, "cannot read missing.json: no such file"),
    (["submit", "--count", "0", "--", "/bin/true"], None, "--count must be at least 1"),
    (["wait", "--timeout", "x"], None, "--timeout"),
    (["frobnicate"], None, "Unexpected argument 'frobnicate'"),
]


@pytest.mark.parametrize("arguments, file_text, message", BAD_INPUT, ids=[" ".join(case[0]) for case in BAD_INPUT])
def test_bad_input_says_what_was_wrong_exits_2_and_changes_nothing(tmp_path, finished_session, arguments, file_text,
                                                                    message):
    served, environment = finished_session
    if file_text is not None:
        (tmp_path / arguments[-1]).write_text(file_text)
    listing = [str(PILOTCTL), "list", "--json"]
    before = subprocess.run(listing, env=environment, capture_output=True, text=True, check=True).stdout
    result = subprocess.run([str(PILOTCTL), *arguments], cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
    after = subprocess.run(listing, env=environment, capture_output=True, text=True, check=True).stdout
    assert after == before and len(json.loads(after)) == 4


def test_a_failed_unit_makes_wait_exit_1_and_list_shows_why(finished_session):
    _, environment = finished_session
    [unit] = subprocess.run([str(PILOTCTL), "submit", "--", "/bin/sh", "-c", "exit 3"], env=environment,
                            capture_output=True, text=True, check=True).stdout.split()
    result = subprocess.run([str(PILOTCTL), "wait"], env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "1 unit failed; `pilotctl list --state failed` shows why" in result.stderr
    failed = subprocess.run([str(PILOTCTL), "list", "--state", "failed"], env=environment, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    assert len(failed) == 2 and failed[1].split()[:2] == [unit, "Failed"] and "exited with code 3" in failed[1]
    top = subprocess.run([str(PILOTCTL), "top", "--once"], env=environment, capture_output=True, text=True, check=True)
    assert "5 units: 4 Done, 1 Failed" in top.stdout and "slots: 0 of 2 in use; queue: 0 units" in top.stdout


def ensemble(units, stderr_on_terminal, **environment):
    """`pilotctl ensemble` of `units` /bin/true units; (stdout, stderr) with
    stderr on a pseudo-terminal or a pipe."""
    command = [str(PILOTCTL), "ensemble", "--units", str(units), "--slots", "4", "/bin/true"]
    env = dict(os.environ, **environment)
    if not stderr_on_terminal:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout, result.stderr
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=terminal, text=True)
    os.close(terminal)
    received = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 300)
        try:
            chunk = os.read(controller, 65536) if ready else b""
        except OSError:  # the terminal's last writer has gone
            chunk = b""
        if not chunk:
            break
        received += chunk
    os.close(controller)
    stdout = process.stdout.read()
    assert process.wait(timeout=60) == 0
    return stdout, received.decode()


def test_a_long_wait_on_a_terminal_shows_an_updating_line_then_a_summary():
    _, shown = ensemble(10_000, stderr_on_terminal=True)
    updates = re.findall(r"\r\x1b\[Kpilot: (\d+)/10000 done, (\d+) running, (\d+) queued, (\d+)/s(?:, ETA \d+(?:\.\d+)? (?:s|min))?",
                         shown)
    assert len(updates) >= 2, repr(shown[:500])
    done = [int(update[0]) for update in updates]
    assert done == sorted(done) and done[-1] < 10_000
    summary = shown.rsplit("\r\x1b[K", 1)[1]
    assert re.fullmatch(r"pilot: 10000 units: 10000 Done in \d+\.\d s \(\d+ units/s\)\r?\n", summary), repr(summary)


def test_off_a_terminal_only_the_summary_and_with_pilot_progress_0_nothing():
    stdout, stderr = ensemble(5000, stderr_on_terminal=False)
    assert re.fullmatch(r"pilot: 5000 units: 5000 Done in \d+\.\d s \(\d+ units/s\)\n", stderr), repr(stderr)
    assert "5000 units: 5000 Done in" in stdout
    _, quiet = ensemble(5000, stderr_on_terminal=False, PILOT_PROGRESS="0")
    assert quiet == ""


def test_python_callers_get_their_own_progress_callback(tmp_path):
    result = run_script("""
        import pilot
        pcs = pilot.PilotComputeService()
        pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 4})
        cds = pilot.ComputeDataService()
        cds.add_pilot_compute_service(pcs)
        for _ in range(40):
            cds.submit_compute_unit({"executable": "/bin/sleep", "arguments": ["0.1"]})
        seen = []
        cds.wait(progress=seen.append)
        last = seen[-1]
        print(len(seen) >= 3, [p.done for p in seen] == sorted(p.done for p in seen))
        print(last.total, last.done, last.failed, last.running, last.queued, last.eta)
        def stop(progress):
            raise RuntimeError("stop waiting")
        cds.submit_compute_unit({"executable": "/bin/sleep", "arguments": ["5"]})
        try:
            cds.wait(progress=stop)
        except RuntimeError as error:
            print("raised:", error)
        pcs.cancel()
        """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["True True", "40 40 0 0 0 0.0", "raised: stop waiting"]
    assert result.stderr == ""


def test_a_pilots_log_has_its_agents_lines_and_every_failure_at_the_level_asked(tmp_path, monkeypatch):
    def serve_and_fail(level, size):
        monkeypatch.setenv("PILOT_LOG_LEVEL", level)
        monkeypatch.setenv("PILOT_LOG_MAX_BYTES", size)
        served = Served(str(tmp_path / f"session-{level}"))
        environment = dict(shell_environment(), PILOT_COORDINATION_URL=served.url)
        try:
            pilot = subprocess.run([str(PILOTCTL), "start", "--slots", "2", "--wait", "--working-directory",
                                    str(tmp_path / f"work-{level}")], env=environment, capture_output=True, text=True,
                                   check=True).stdout.strip()
            units = subprocess.run([str(PILOTCTL), "submit", "--count", "12", "--shell", "--", "exit 3"], env=environment,
                                   capture_output=True, text=True, check=True).stdout.split()
            assert subprocess.run([str(PILOTCTL), "wait"], env=environment, capture_output=True).returncode == 1
            shown = subprocess.run([str(PILOTCTL), "logs", pilot], env=environment, capture_output=True, text=True,
                                   check=True).stdout
            return pilot, units, shown, sorted(os.listdir(tmp_path / f"work-{level}"))
        finally:
            served.stop()

    pilot, units, shown, files = serve_and_fail("info", "1000000")
    lines = shown.splitlines()
    assert re.fullmatch(rf"time=\S+Z level=info pilot={pilot} source=coordinator msg=\"pilot Running\"", lines[0]), lines
    assert any(re.fullmatch(rf'time=\S+ level=info pilot={pilot} source=agent msg="linked to the coordinator at .*"', line)
               for line in lines), lines
    failed = {re.search(r"unit=(cu-\S+)", line).group(1) for line in lines
              if 'level=error' in line and 'msg="unit Failed: exited with code 3"' in line}
    assert failed == set(units)
    assert f"pilot-{pilot}.log" in files

    pilot, units, shown, files = serve_and_fail("error", "1024")
    assert all(" level=error " in line for line in shown.splitlines()) and shown
    assert files.count(f"pilot-{pilot}.log.1") == 1, files


def test_a_second_serve_on_a_served_directory_is_refused_and_the_first_goes_on(finished_session):
    served, environment = finished_session
    second = subprocess.run([str(PILOTCTL), "serve", "--session-directory", served.directory], capture_output=True,
                            text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert second.returncode == 1
    assert f"the session directory {served.directory} is in use by another coordinator" in second.stderr
    assert served.process.poll() is None
    status = subprocess.run([str(PILOTCTL), "status", "--json"], env=environment, capture_output=True, text=True, check=True)
    assert json.loads(status.stdout)["unit_counts"] == {"Done": 4}


def test_a_named_pipe_as_a_units_file_fails_that_unit_alone(tmp_path, finished_session):
    _, environment = finished_session
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "unit.json").write_text(json.dumps({"executable": "/bin/cat", "input": str(tmp_path / "fifo")}))
    [piped] = subprocess.run([str(PILOTCTL), "submit", "--file", str(tmp_path / "unit.json")], env=environment,
                             capture_output=True, text=True, check=True).stdout.split()
    [after] = subprocess.run([str(PILOTCTL), "submit", "--", "/bin/echo", "after"], env=environment,
                             capture_output=True, text=True, check=True).stdout.split()
    followed = subprocess.run([str(PILOTCTL), "tail", "-f", after], env=environment, capture_output=True, text=True,
                              timeout=30)
    assert followed.returncode == 0 and followed.stdout == "after\n"
    ended = subprocess.run([str(PILOTCTL), "tail", "-f", piped], env=environment, capture_output=True, text=True,
                           timeout=30)
    assert ended.returncode == 1, ended
    assert f"{piped} ended Failed: " in ended.stderr and "fifo is a named pipe" in ended.stderr


def test_a_report_that_cannot_be_written_exits_2_and_leaves_the_target_alone(finished_session):
    served, _ = finished_session
    result = subprocess.run([str(PILOTCTL), "report", served.directory, "-o", "/dev/full"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "cannot write /dev/full: No space left on device" in result.stderr
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full"), "the device is still a device"
    piped = subprocess.run([str(PILOTCTL), "report", served.directory, "-o", "-", "--format", "csv"], capture_output=True,
                           text=True, timeout=60)
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 5
