"""Pilots across hosts on the simulated cluster that .ci/rm-up.sh starts
(.ci/rm/cluster-up.sh): node1..node3 are network namespaces at
10.47.0.11-13, reachable from this (login) host only over IP, without the
Swift toolchain and without this host's session directories. Scripts run
with the cluster's SLURM (SLURM_CONF from cluster.env), as on a real login
host, and with defaults otherwise."""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import PYTHON_DIR, eventually, run_script
from pilot import _cli

PILOTCTL = _cli.executable()
REPOSITORY = PYTHON_DIR.parent

CLUSTER_DIR = Path(os.environ.get("PILOT_RM_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "pilot-rm"))) / "cluster"
NODES = ["node1", "node2", "node3"]


@pytest.fixture(scope="module")
def cluster_env():
    """The cluster's environment (SLURM_CONF); fails if the cluster is not up."""
    return cluster_env_values()


def cluster_env_values():
    """The variables cluster.env exports; fails if the cluster is not up."""
    env_file = CLUSTER_DIR / "cluster.env"
    assert env_file.exists(), f"no {env_file}: start the cluster with bash .ci/rm-up.sh"
    env = {}
    for line in env_file.read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = value
    return env


def on_node(node, command):
    """Runs `command` on `node` over ssh; returns its stdout."""
    return subprocess.run(["ssh", "-o", "BatchMode=yes", node, command], capture_output=True, text=True,
                          timeout=30, check=True).stdout


def test_a_three_node_slurm_pilot_runs_units_and_mpi_on_every_node(tmp_path, cluster_env):
    for node in NODES:
        assert on_node(node, "test -e /opt/swift/usr/bin/swift && echo has-swift || echo no-swift") == "no-swift\n"
    # Everything between the nodes and the login host but ssh and SLURM: the pilot's link.
    capture = tmp_path / "link.pcap"
    tcpdump = subprocess.Popen(["tcpdump", "-i", "pilotbr0", "-U", "-w", str(capture),
                                "tcp and host 10.47.0.1 and not port 22 and not port 6837"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert eventually(lambda: capture.exists()), tcpdump.stderr.read()
    canary = "canary-" + os.urandom(8).hex()
    result = run_script(f"""
        import json, subprocess, pilot
        cds = pilot.ComputeDataService()
        pcs = pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "slurm://localhost", "number_of_processes": 6,
                               "processes_per_node": 2, "working_directory": "{tmp_path}"}})
        cds.add_pilot_compute_service(pcs)
        units = [cds.submit_compute_unit({{"executable": "/bin/hostname", "output": "host.txt",
                                          "environment": ["CANARY={canary}"]}}) for _ in range(300)]
        mpi = cds.submit_compute_unit({{"executable": "/bin/hostname", "number_of_processes": 6,
                                       "spmd_variation": "mpi"}})
        cds.wait()
        # While the pilot runs: the agent's link as the first node sees it.
        node = pj.get_details()["host"]
        sockets = subprocess.run(["ssh", node, "ss -Htnp state established"], capture_output=True, text=True).stdout
        print(json.dumps({{
            "states": sorted({{u.get_state() for u in units + [mpi]}}),
            "hosts": [open(u.get_details()["WorkingDirectory"] + "/host.txt").read() for u in units],
            "mpi": open(mpi.get_details()["WorkingDirectory"] + "/stdout").read(),
            "node": node, "sockets": sockets, "slots": pj.get_details()["slots"],
        }}))
        pcs.cancel()
    """, tmp_path, timeout=300, env=cluster_env)
    tcpdump.terminate()
    tcpdump.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["states"] == ["Done"]
    assert report["slots"] == 6
    traffic = capture.read_bytes()
    assert b"PILOTLK1" in traffic and len(traffic) > 300 * 100, "the capture holds the link's handshake and traffic"
    assert canary.encode() not in traffic and b"/bin/hostname" not in traffic and b"host.txt" not in traffic
    assert sorted(set(report["hosts"])) == [node + "\n" for node in NODES], "all three nodes ran units"
    assert sorted(report["mpi"].split()) == sorted(NODES * 2), "6 ranks, 2 on each node"
    assert report["node"] in NODES
    agent_links = [line for line in report["sockets"].splitlines() if "pilot-agent" in line]
    assert len(agent_links) == 1, report["sockets"]
    assert " 10.47.0.1:" in agent_links[0], "the agent links to the login host over TCP"
    log = next(tmp_path.glob("stderr-bj-*-agent.txt")).read_text()
    assert "over TCP as bj-" in log
    assert "allocation from SLURM: node1 (2), node2 (2), node3 (2)" in log
    for other in NODES:
        if other != report["node"]:
            assert f"node worker on {other} ready after" in log, "units on the other nodes go to a resident worker"
    leftovers = lambda: "".join(on_node(n, "pgrep -af pilot-agen[t] || true") for n in NODES)
    assert eventually(lambda: leftovers() == "", within=20), f"no agent or worker outlives the pilot: {leftovers()}"


RUN_100 = """
    import json, subprocess, sys, pilot
    cds = pilot.ComputeDataService()
    pcs = pilot.PilotComputeService()
    pj = pcs.create_pilot({{"service_url": "{url}", "number_of_processes": 2, "working_directory": "{directory}"}})
    cds.add_pilot_compute_service(pcs)
    units = [cds.submit_compute_unit({{"executable": "/bin/hostname"}}) for _ in range(100)]
    cds.wait()
    node = pj.get_details()["host"]
    sockets = subprocess.run(["ssh", node, "ss -Htnp state established"], capture_output=True, text=True).stdout
    print(json.dumps({{"states": sorted({{u.get_state() for u in units}}), "node": node, "sockets": sockets,
                      "hosts": sorted({{open(u.get_details()["WorkingDirectory"] + "/stdout").read() for u in units}})}}))
    pcs.cancel()
"""


def run_100_units(url, directory, env, links_over_tcp=True):
    """Runs 100 `hostname` units on a 2-slot pilot at `url`; returns the report."""
    directory.mkdir(exist_ok=True)
    result = run_script(RUN_100.format(url=url, directory=directory), directory, timeout=180, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["states"] == ["Done"]
    links = [line for line in report["sockets"].splitlines() if "pilot-agent" in line]
    if links_over_tcp:
        assert len(links) == 1 and " 10.47.0.1:" in links[0], report["sockets"]
    return report


def test_an_ssh_pilot_links_over_tcp_and_its_agent_is_staged_once(tmp_path, cluster_env):
    # An agent the nodes cannot see (the login host's private temporary
    # directory), so it must be copied there.
    hidden = Path(os.environ.get("TMPDIR", "/tmp")) / f"pilot-{os.getuid()}"
    hidden.mkdir(mode=0o700, exist_ok=True)
    agent = Path(tempfile.mkdtemp(dir=hidden, prefix="agent-")) / "pilot-agent"
    agent.write_bytes((REPOSITORY / ".build" / "debug" / "pilot-agent-static").read_bytes())
    agent.chmod(0o755)
    assert on_node("node2", f"test -e {agent} && echo seen || echo unseen") == "unseen\n"
    digest = hashlib.sha256(agent.read_bytes()).hexdigest()[:16]
    staged = f".cache/pilot/pilot-agent-{digest}"
    on_node("node2", f"rm -f {staged}")
    env = dict(cluster_env, PILOT_AGENT=str(agent))

    report = run_100_units("ssh://node2", tmp_path / "first", env)
    assert report["node"] == "node2" and report["hosts"] == ["node2\n"]
    first = on_node("node2", f"stat -c '%i %Y' {staged}")
    report = run_100_units("ssh://node2", tmp_path / "second", env)
    assert on_node("node2", f"stat -c '%i %Y' {staged}") == first, "the second pilot reuses the staged agent"


def test_a_slurm_pilot_through_a_login_host_links_back_over_tcp(tmp_path, cluster_env):
    # Batch commands on node1 over ssh; the coordinator stays on this host.
    report = run_100_units("slurm+ssh://node1", tmp_path, cluster_env)
    assert report["node"] in NODES


def test_a_login_host_pilot_links_through_the_login_host_when_the_nodes_cannot_reach_the_coordinator(tmp_path, cluster_env):
    """The coordinator listens on this host's loopback only, as one behind
    NAT or a firewall would be reachable only by its own ssh: the agent on a
    node finds no address that answers and links through node1 (the login
    host), over the port the coordinator's ssh to node1 forwards back. The
    forward ends with the coordinator."""
    session = tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"
    serve = subprocess.Popen([str(PILOTCTL), "serve", "--session-directory", session, "--listen", "127.0.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, **cluster_env))
    try:
        url = serve.stdout.readline().strip()
        assert url.startswith("pilot+tcp://127.0.0.1:"), serve.stderr.read()
        run_100_units("slurm+ssh://node1", tmp_path, dict(cluster_env, PILOT_COORDINATION_URL=url), links_over_tcp=False)
        log = next(tmp_path.glob("stderr-bj-*-agent.txt")).read_text()
        forwarded = [line for line in log.splitlines() if " of node1 through ssh as bj-" in line]
        assert len(forwarded) == 1, log
        port = forwarded[0].split("linked to the coordinator at 127.0.0.1:")[1].split()[0]
        assert f"127.0.0.1:{port}" in on_node("node1", "ss -Htln"), "the forward listens on node1's loopback"
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    assert eventually(lambda: f"127.0.0.1:{port}" not in on_node("node1", "ss -Htln"), within=20), "the forward ends with the coordinator"


def portable_library(directory):
    """libpilot.so and pilot.h in `directory`, with copies of the Swift
    runtime libraries it loads (it finds them beside itself: its rpath is
    $ORIGIN), so that it loads on a node without the toolchain."""
    directory.mkdir()
    built = REPOSITORY / ".build" / "debug" / "libpilot.so"
    shutil.copy(built, directory / "libpilot.so")
    shutil.copy(REPOSITORY / "include" / "pilot.h", directory / "pilot.h")
    toolchain = Path(shutil.which("swift")).resolve().parents[1]
    for line in subprocess.run(["ldd", str(built)], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "=>" and parts[2].startswith(str(toolchain)):
            shutil.copy(parts[2], directory / parts[0])
    return directory


def test_a_process_on_a_node_reconnects_by_url_with_the_credentials_file(tmp_path, cluster_env):
    """A session served on this host with --listen; a Python process on
    node3 (libpilot with the Swift runtime beside it, no toolchain there)
    reconnects to its units by URL and waits for them; with another
    session's credentials it is refused, saying so."""
    session = tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session"
    serve = subprocess.Popen([str(PILOTCTL), "serve", "--session-directory", session, "--listen", "10.47.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = serve.stdout.readline().strip()
        assert url.startswith("pilot+tcp://10.47.0.1:"), serve.stderr.read()
        session_id = url.rsplit("/", 1)[1]
        credentials = Path.home() / ".pilot" / "credentials" / session_id
        assert credentials.stat().st_mode & 0o777 == 0o600
        first = run_script(f"""
            import pilot
            cds = pilot.ComputeDataService()
            pcs = pilot.PilotComputeService()
            pcs.create_pilot({{"service_url": "fork://localhost", "number_of_processes": 4, "working_directory": "{tmp_path}"}})
            cds.add_pilot_compute_service(pcs)
            for index in range(20):
                cds.submit_compute_unit({{"executable": "/bin/sh", "arguments": ["-c", "sleep 1; echo unit " + str(index)]}})
            print(cds.get_url())
            """, tmp_path, env={"PILOT_COORDINATION_URL": url})
        assert first.returncode == 0, first.stderr
        cds_url = first.stdout.strip()
        assert cds_url.startswith(url + "/")

        library = portable_library(tmp_path / "lib")
        waiter = (f"import pilot; cds = pilot.ComputeDataService(cds_url='{cds_url}'); cds.wait(); "
                  "units = cds.list_compute_units(); print(sorted({u.get_state() for u in units}), len(units))")
        def on_node3(settings=""):
            command = f"cd /tmp && {settings} PYTHONPATH={PYTHON_DIR} PILOT_LIBRARY_DIR={library} {sys.executable} -c \"{waiter}\""
            return subprocess.run(["ssh", "node3", command], capture_output=True, text=True, timeout=120)

        reconnected = on_node3()
        assert reconnected.returncode == 0, reconnected.stderr
        assert reconnected.stdout == "['Done'] 20\n"

        wrong = tmp_path / "wrong-credentials"
        wrong.write_text("0" * 64 + "\n")
        wrong.chmod(0o600)
        refused = on_node3(f"PILOT_CREDENTIALS={wrong}")
        assert refused.returncode == 1
        assert (f"the coordinator at {url} and this client do not share a key (the peer did not prove it holds this "
                f"session's client key): {wrong} is not the credentials file of this session, or the URL names another "
                "one") in refused.stderr
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)


def test_a_node_cut_off_fails_its_units_or_runs_them_elsewhere_and_every_wait_returns(tmp_path, cluster_env):
    """Six 20 s units fill a 3-node pilot (two per node, node3's last);
    node3 is cut off (link down, its processes killed). Its unit that is
    not restartable ends Failed naming the node within 30 s; its
    restartable one runs again on another node; the rest finish; the
    waits return; the pilot goes on."""
    script = subprocess.Popen([sys.executable, "-c", f"""
import json, sys, time, pilot
cds = pilot.ComputeDataService()
pcs = pilot.PilotComputeService()
pj = pcs.create_pilot({{"service_url": "slurm://localhost", "number_of_processes": 6, "processes_per_node": 2,
                       "working_directory": "{tmp_path}"}})
cds.add_pilot_compute_service(pcs)
units = [cds.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["20"], "restartable": index == 4}})
         for index in range(6)]
deadline = time.time() + 120
while any(u.get_state() != "Running" for u in units) and time.time() < deadline:
    time.sleep(0.2)
print(json.dumps([u.get_details()["run_host"] for u in units]), flush=True)
sys.stdin.readline()
cut = time.time()
while units[5].get_state() == "Running" and time.time() < cut + 60:
    time.sleep(0.2)
failed_after = time.time() - cut
cds.wait()
print(json.dumps({{"failed_after": failed_after, "states": [u.get_state() for u in units],
                  "reasons": [u.get_details()["reason"] for u in units],
                  "hosts": [u.get_details()["run_host"] for u in units],
                  "pilot": pj.get_state()}}), flush=True)
pcs.cancel()
"""], cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(PYTHON_DIR), **cluster_env),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        placed = json.loads(script.stdout.readline() or "null")
        assert placed == ["node1", "node1", "node2", "node2", "node3", "node3"], script.stderr.read()
        subprocess.run(["bash", str(REPOSITORY / ".ci" / "rm" / "cluster-cut.sh"), "node3"], check=True, timeout=60)
        script.stdin.write("cut\n")
        script.stdin.flush()
        report = json.loads(script.stdout.readline() or "null")
        assert script.wait(timeout=120) == 0, script.stderr.read()
    finally:
        script.kill()
        subprocess.run(["bash", str(REPOSITORY / ".ci" / "rm" / "cluster-up.sh")], check=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    assert report["failed_after"] < 30
    assert report["states"] == ["Done", "Done", "Done", "Done", "Done", "Failed"]
    assert report["reasons"][5] == "node node3 was lost: it did not answer for 6 s"
    assert report["hosts"][:4] == ["node1", "node1", "node2", "node2"]
    assert report["hosts"][4] in ("node1", "node2"), "the restartable unit ran again elsewhere"
    assert report["pilot"] == "Running"


def test_a_killed_node_worker_fails_only_its_units_and_leaves_nothing_on_its_node(tmp_path, cluster_env):
    """The worker on node2 is killed outright (SIGKILL: it cannot clean
    up): its two units end Failed naming it, their processes on node2 are
    killed through srun, the other nodes' units run on, and node2 takes
    new units through srun."""
    marker = str(600 + int.from_bytes(os.urandom(2), "big") % 600)
    result = run_script(f"""
        import json, subprocess, time, pilot
        cds = pilot.ComputeDataService()
        pcs = pilot.PilotComputeService()
        pj = pcs.create_pilot({{"service_url": "slurm://localhost", "number_of_processes": 6, "processes_per_node": 2,
                               "working_directory": "{tmp_path}"}})
        cds.add_pilot_compute_service(pcs)
        while pj.get_state() != "Running":
            time.sleep(0.05)
        time.sleep(1)  # the workers are ready well before this
        units = [cds.submit_compute_unit({{"executable": "/bin/sleep", "arguments": ["{marker}"]}}) for _ in range(6)]
        while any(u.get_state() != "Running" for u in units):
            time.sleep(0.05)
        subprocess.run(["ssh", "node2", "pkill -KILL -f -- '--node-worker bj-'"])
        on_node2 = [u for u in units if u.get_details()["run_host"] == "node2"]
        for unit in on_node2:
            unit.wait(timeout=30)
        time.sleep(2)
        left = subprocess.run(["ssh", "node2", "pgrep -c -x -f 'sleep {marker}' || true"], capture_output=True, text=True).stdout.strip()
        after = cds.submit_compute_units([{{"executable": "/bin/hostname"}}] * 12)
        for unit in after:
            unit.wait(timeout=60)
        print(json.dumps({{"reasons": [u.get_details()["reason"] for u in on_node2], "left": left,
                          "running": sorted(u.get_state() for u in units if u not in on_node2),
                          "after": sorted({{u.get_state() for u in after}}),
                          "after_hosts": sorted({{u.get_details()["run_host"] for u in after}})}}))
        pcs.cancel()
        """, tmp_path, timeout=180, env=cluster_env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert len(report["reasons"]) == 2
    assert all(reason.startswith("the node worker on node2 ended (") for reason in report["reasons"]), report["reasons"]
    assert report["left"] == "0", "the killed worker's units are killed on node2"
    assert report["running"] == ["Running"] * 4
    assert report["after"] == ["Done"] and "node2" in report["after_hosts"]


def test_pilotctl_reads_a_units_output_through_the_agent_on_the_node_it_runs_on(tmp_path, cluster_env, monkeypatch):
    """Units whose sandboxes are on each node's own /scratch: `pilotctl cat`
    and `tail -f` read them through the agent, and through its node workers
    on the other nodes; once the pilot has ended nothing can."""
    from test_serve import Served

    tag = os.urandom(4).hex()
    for key, value in cluster_env.items():  # the served coordinator submits the pilot to the cluster's SLURM
        monkeypatch.setenv(key, value)
    served = Served(str(tmp_path / "session"))
    environment = dict(os.environ, **cluster_env, PILOT_COORDINATION_URL=served.url)
    pilotctl = lambda *arguments, check=True: subprocess.run([str(PILOTCTL), *arguments], env=environment, capture_output=True,
                                                             text=True, timeout=120, check=check)
    try:
        (tmp_path / "pilot.json").write_text(json.dumps({"service_url": "slurm://localhost", "number_of_processes": 6,
                                                         "processes_per_node": 2, "working_directory": str(tmp_path)}))
        pilot = pilotctl("start", "--file", str(tmp_path / "pilot.json"), "--wait").stdout.strip()
        units = [{"executable": "/bin/sh", "working_directory": f"/scratch/tail-{tag}-{number}",
                  "arguments": ["-c", "echo on $(hostname); sleep 1.5; echo end"]} for number in range(6)]
        (tmp_path / "units.json").write_text(json.dumps(units))
        ids = pilotctl("submit", "--file", str(tmp_path / "units.json")).stdout.split()
        followed = pilotctl("tail", "-f", ids[-1])
        assert re.fullmatch(r"on node\d\nend\n", followed.stdout), (followed, pilotctl("status", ids[-1]).stdout, pilotctl("cat", ids[-1]))
        pilotctl("wait")
        hosts = {}
        for unit in ids:
            details = json.loads(pilotctl("status", "--json", unit).stdout)[0]
            assert pilotctl("cat", unit).stdout == f"on {details['host']}\nend\n"
            hosts[unit] = details["host"]
        agent_node = json.loads(pilotctl("pilots", "--json").stdout)[0]["host"]
        assert sorted(set(hosts.values())) == NODES, "units ran on every node, so some outputs are read by node workers"
        elsewhere = next(unit for unit, host in hosts.items() if host != agent_node)
        assert not os.path.exists(f"/scratch/tail-{tag}-{ids.index(elsewhere)}"), "the sandbox is on its node alone"
        pilotctl("cancel", pilot)
        ended = pilotctl("cat", elsewhere, check=False)
        assert ended.returncode == 1 and f"is on {hosts[elsewhere]} and its pilot has ended: no agent there can read it" in ended.stderr
        log = pilotctl("logs", pilot).stdout
        assert "source=agent msg=\"allocation from SLURM: node1 (2), node2 (2), node3 (2)\"" in log
        assert "msg=\"pilot Canceled: canceled by user\"" in log
    finally:
        served.stop()
        for node in NODES:
            on_node(node, f"rm -rf /scratch/tail-{tag}-*")
