"""`pilotctl report`: a real 10,000-unit session on the simulated 3-node
cluster (.ci/rm/cluster-up.sh), journaled by `pilotctl serve`, reported as
HTML, SVG and CSV; the figures are checked against the journal read with
sqlite3, the page is rendered by headless chromium (.ci/rm/browser-up.sh),
and the session is left as it was."""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import PYTHON_DIR, run_script
from pilot import _cli
from test_cluster import NODES, cluster_env  # noqa: F401 (a fixture)

PILOTCTL = str(_cli.executable())
STATES = {0: "Unknown", 1: "New", 2: "Pending", 3: "Staging", 4: "Running", 5: "Done", 6: "Canceled", 7: "Failed"}
ARTIFACTS = Path(os.environ.get("PILOT_TEST_ARTIFACTS") or PYTHON_DIR / "tests" / "artifacts")

RUN = """
    import pilot
    cds = pilot.ComputeDataService()
    pcs = pilot.PilotComputeService()
    pcs.create_pilot({{"service_url": "slurm://localhost", "number_of_processes": 6, "processes_per_node": 2,
                      "working_directory": "{directory}"}})
    cds.add_pilot_compute_service(pcs)
    # Every 100th fails with exit code 1; the last 5 sleep and are canceled while queued.
    units = cds.submit_compute_units([{{"executable": "/bin/false" if index % 100 == 7 else "/bin/true"}}
                                      for index in range(9995)])
    sleepers = cds.submit_compute_units([{{"executable": "/bin/sleep", "arguments": ["60"]}}] * 5)
    for unit in sleepers:
        unit.cancel()
    cds.wait()
    pcs.cancel()
"""


def report(*arguments, env=None):
    return subprocess.run([PILOTCTL, "report", *arguments], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, **(env or {})))


def snapshot(directory):
    """Every entry of `directory` with its content's digest (sockets: their names)."""
    return {entry.name: hashlib.sha256(entry.read_bytes()).hexdigest() if entry.is_file() else "-"
            for entry in sorted(Path(directory).iterdir())}


def journal_figures(path):
    """The figures the report must show, computed here from the journal."""
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = database.execute("SELECT id, state, submitted, bound, started, finished, exit_code FROM units").fetchall()
    database.close()
    states = {}
    for row in rows:
        states[STATES[row[1]]] = states.get(STATES[row[1]], 0) + 1
    start = min(row[2] for row in rows)
    end = max(next(value for value in (row[5], row[4], row[3], row[2]) if value is not None) for row in rows)
    waits = sorted(row[4] - row[2] for row in rows if row[4] is not None)
    runs = sorted(row[5] - row[4] for row in rows if row[4] is not None and row[5] is not None)
    nearest_rank = lambda values: values[-(-len(values) * 95 // 100) - 1]
    return {"rows": {row[0]: row for row in rows}, "states": states, "span_start": start, "span_end": end,
            "wait": {"count": len(waits), "median": statistics.median(waits), "p95": nearest_rank(waits), "max": waits[-1]},
            "run": {"count": len(runs), "median": statistics.median(runs), "p95": nearest_rank(runs), "max": runs[-1]}}


def chromium(*arguments):
    """Runs headless chromium; returns its wall time and stdout."""
    began = time.monotonic()
    result = subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", *arguments],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - began, result.stdout


def test_a_10000_unit_session_on_three_nodes_is_reported_as_the_journal_holds_it(tmp_path, cluster_env):  # noqa: F811
    began = time.monotonic()
    session = Path(tempfile.mkdtemp(prefix="ps-", dir="/tmp")) / "session"
    serve = subprocess.Popen([PILOTCTL, "serve", "--session-directory", str(session), "--listen", "10.47.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, **cluster_env))
    try:
        url = serve.stdout.readline().strip()
        assert url.startswith("pilot+tcp://"), serve.stderr.read()
        result = run_script(RUN.format(directory=tmp_path), tmp_path, timeout=120,
                            env=dict(cluster_env, PILOT_COORDINATION_URL=url))
        assert result.returncode == 0, result.stderr
        ran = time.monotonic() - began
        # While the coordinator still holds the journal open (WAL mode).
        live = report(str(session), "--format", "csv")
        assert live.returncode == 0, live.stderr
        assert len(live.stdout.splitlines()) == 10_001
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)

    before = snapshot(session)
    outputs = tmp_path / "reports"
    outputs.mkdir()
    timed = time.monotonic()
    made = report(str(session), "-o", str(outputs / "report.html"))
    generation = time.monotonic() - timed
    assert made.returncode == 0, made.stderr
    assert report(str(session), "-o", str(outputs / "units.csv")).returncode == 0, "the format follows the extension"
    assert report(str(session), "--format", "svg", "-o", str(outputs / "timeline.out")).returncode == 0
    assert snapshot(session) == before, "a report changes nothing in the session"

    expected = journal_figures(session / "journal.sqlite")
    html = (outputs / "report.html").read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the page loads nothing from the network"
    figures = json.loads(re.search(r'<script type="application/json" id="figures">(.*?)</script>', html).group(1))
    assert figures["units"] == 10_000
    assert figures["states"] == expected["states"]
    assert figures["states"]["Failed"] == 100 and figures["states"]["Canceled"] == 5
    assert figures["span_start"] == expected["span_start"] and figures["span_end"] == expected["span_end"]
    assert figures["wait"] == expected["wait"] and figures["run"] == expected["run"]
    assert figures["throughput"] == 10_000 / (expected["span_end"] - expected["span_start"])
    failed = next(group for group in figures["failures"] if group["state"] == "Failed")
    assert failed["count"] == 100 and failed["reason"] and len(failed["examples"]) == 5
    assert figures["capacity"] == 6 and sum(1 for node in NODES if f" {node} (" in html) == 3, "lanes on all three nodes"

    rows = list(csv.DictReader(io.StringIO((outputs / "units.csv").read_text(), newline="")))
    assert len(rows) == 10_000
    for row in rows:
        journal = expected["rows"][row["id"]]
        assert row["state"] == STATES[journal[1]]
        assert [float(row[key]) if row[key] else None for key in ("submitted", "bound", "started", "finished")] == list(journal[2:6])
        assert row["exit_code"] == ("" if journal[6] is None else str(journal[6]))
    assert sorted({row["host"] for row in rows if row["started"]}) == NODES
    svg = (outputs / "timeline.out").read_text()
    assert svg.startswith("<?xml") and svg.count("<rect") >= 9_995

    # Rendering: a second chromium run after a first warms the browser's files
    # up; its page marks how long it took, from navigation to its first
    # layout after load (performance.now()), in data-rendered-ms.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "report-10000-units.png"
    page = (outputs / "report.html").as_uri()
    empty = outputs / "empty.html"
    empty.write_text("<!DOCTYPE html><p>empty</p>")
    chromium("--screenshot=/dev/null", empty.as_uri())
    baseline, _ = chromium(f"--screenshot={outputs / 'empty.png'}", "--window-size=1400,2000", empty.as_uri())
    shot, _ = chromium(f"--screenshot={screenshot}", "--window-size=1400,2000", page)
    _, dom = chromium("--dump-dom", page)
    rendered = float(re.search(r'data-rendered-ms="([0-9.]+)"', dom).group(1))
    assert re.search(r'<dd id="units" data-value="10000(\.0)?">10000</dd>', dom)
    assert f'id="state-failed" data-value="100' in dom
    assert screenshot.stat().st_size > 10_000
    print(f"\nreport of 10,000 units: generated in {generation:.2f} s, {len(html) / 1e6:.2f} MB; "
          f"chromium: {rendered:.0f} ms to first layout (page's own mark), screenshot run {shot:.2f} s against "
          f"{baseline:.2f} s for an empty page; session ran in {ran:.1f} s; screenshot at {screenshot}")
    assert rendered < 2000
    assert shot - baseline < 2.0
    shutil.rmtree(session.parent)


def test_bad_input_exits_with_2_saying_what_to_do(tmp_path):
    unknown = report("ps-00000000-0000-0000-0000-000000000000")
    assert unknown.returncode == 2 and "no session ps-00000000" in unknown.stderr and "session directory" in unknown.stderr
    missing = report(str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    no_journal = report(str(tmp_path))
    assert no_journal.returncode == 2 and "has no journal.sqlite" in no_journal.stderr

    # A session found by id in $TMPDIR/pilot-<uid>, with a journal of one unit.
    directory = tmp_path / f"pilot-{os.getuid()}" / "ps-test"
    directory.mkdir(parents=True)
    database = sqlite3.connect(directory / "journal.sqlite")
    database.executescript("""
        CREATE TABLE session(id TEXT PRIMARY KEY, created REAL); INSERT INTO session VALUES ('ps-test', 1);
        CREATE TABLE pilots(id TEXT PRIMARY KEY, description BLOB);
        CREATE TABLE units(id TEXT PRIMARY KEY, pilot_id TEXT, state INTEGER, submitted REAL, started REAL, finished REAL);
        INSERT INTO units(id, state, submitted) VALUES ('cu-1', 6, 5);
    """)
    database.close()
    found = report("ps-test", "--format", "csv", env={"TMPDIR": str(tmp_path)})
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[1].startswith("cu-1,,,,Canceled,")
    bad_format = report("ps-test", "--format", "pdf", env={"TMPDIR": str(tmp_path)})
    assert bad_format.returncode == 2 and "unknown format 'pdf'; use one of html, svg, csv" in bad_format.stderr
    unwritable = report(str(directory), "-o", str(tmp_path / "absent" / "report.html"))
    assert unwritable.returncode == 2 and "cannot write" in unwritable.stderr and "writable path" in unwritable.stderr
    inside = report(str(directory), "-o", str(directory / "report.html"))
    assert inside.returncode == 2 and "into the session directory" in inside.stderr
    assert sorted(entry.name for entry in directory.iterdir()) == ["journal.sqlite"], "nothing was added to the session"
