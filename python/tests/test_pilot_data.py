"""Pilot-Data (issue 15): pilot data on a node of the simulated cluster
over ssh (.ci/rm-up.sh starts it; node1..node3 keep /scratch to
themselves), data units, replicas, units' input_data and output_data."""

import hashlib
import json
import os
import subprocess
import uuid

import pytest

import pilot
from conftest import PYTHON_DIR, eventually, run_script
from pilot import PilotError

REPOSITORY = PYTHON_DIR.parent


def on_node(node, command):
    return subprocess.run(["ssh", "-o", "BatchMode=yes", node, command], capture_output=True, text=True,
                          timeout=30, check=True).stdout


@pytest.fixture
def scratch():
    """A fresh directory name under node1's and node2's /scratch, removed after the test."""
    name = f"/scratch/pd-test-{uuid.uuid4().hex[:8]}"
    yield name
    for node in ("node1", "node2"):
        on_node(node, f"rm -rf {name}")


def bigjob_data_flow(tmp_path, places, replicate):
    """BigJob's Pilot-Data example: a fork pilot, pilot data on `places`, a
    data unit from a local file, a unit that cats it into stdout, its std*
    caught in an output data unit, which is exported here."""
    text = "".join(f"line {n} of the input\n" for n in range(100))
    (tmp_path / "input.txt").write_text(text)
    pcs = pilot.PilotComputeService()
    pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2, "working_directory": str(tmp_path / "agent")})
    pds = pilot.PilotDataService()
    stores = [pds.create_pilot({"service_url": place}) for place in places]
    cds = pilot.ComputeDataService()
    cds.add_pilot_compute_service(pcs)
    cds.add_pilot_data_service(pds)
    data = stores[0].submit_data_unit({"file_urls": [str(tmp_path / "input.txt")]})
    assert data.wait() == "Running", data.get_details()
    if replicate:
        stores[1].submit_data_unit(data_unit=data)
        assert data.wait() == "Running", data.get_details()
        assert [pd.id for pd in data.list_pilot_data()] == [stores[0].id, stores[1].id]
    results = stores[-1].submit_data_unit({"file_urls": []})
    assert results.wait() == "Running"
    unit = cds.submit_compute_unit({"executable": "/bin/cat", "arguments": ["input.txt"],
                                    "input_data": [data.get_url()], "output_data": [{results.get_url(): ["std*"]}]})
    cds.wait()
    assert unit.get_state() == "Done", unit.get_details()["reason"]
    results.export(str(tmp_path / "exported"))
    assert (tmp_path / "exported" / "stdout").read_text() == text
    assert sorted(results.list()) == ["stderr", "stdout"]
    pcs.cancel()
    return data, results, stores


def test_bigjobs_pilot_data_flow_with_pilot_data_on_a_node(tmp_path, scratch):
    data, results, [store] = bigjob_data_flow(tmp_path, [f"ssh://node1{scratch}"], replicate=False)
    assert on_node("node1", f"cat {scratch}/{data.id}/input.txt").startswith("line 0 of the input\n")
    assert data.get_details()["url"] == f"ssh://node1{scratch}/{data.id}"
    assert pilot.DataUnit(du_url=data.get_url()).list() == {"input.txt": f"ssh://node1{scratch}/{data.id}/input.txt"}
    assert store.get_details()["data_units"] == [data.id, results.id]


def test_the_same_flow_with_a_replica_on_a_second_pilot_data(tmp_path, scratch):
    data, _, stores = bigjob_data_flow(tmp_path, [f"ssh://node1{scratch}", f"ssh://node2{scratch}"], replicate=True)
    assert on_node("node2", f"sha256sum < {scratch}/{data.id}/input.txt") == on_node("node1", f"sha256sum < {scratch}/{data.id}/input.txt")
    # Outputs reach every replica the data unit had when the unit was submitted.
    data_on = {node: on_node(node, f"ls {scratch}/{data.id}").split() for node in ("node1", "node2")}
    pcs = pilot.PilotComputeService()
    pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 1, "working_directory": str(tmp_path / "agent2")})
    cds = pilot.ComputeDataService()
    cds.add_pilot_compute_service(pcs)
    unit = cds.submit_compute_unit({"executable": "/bin/echo", "arguments": ["new result"], "output": "result.txt",
                                    "output_data": [{data.get_url(): ["result.txt"]}]})
    cds.wait()
    assert unit.get_state() == "Done", unit.get_details()["reason"]
    for node in ("node1", "node2"):
        assert on_node(node, f"cat {scratch}/{data.id}/result.txt") == "new result\n"
        assert sorted(on_node(node, f"ls {scratch}/{data.id}").split()) == sorted(data_on[node] + ["result.txt"])
    pcs.cancel()


def test_data_unit_files_can_be_added_removed_and_must_exist(tmp_path):
    (tmp_path / "a.txt").write_text("a\n")
    (tmp_path / "b.txt").write_text("b\n")
    pds = pilot.PilotDataService()
    store = pds.create_pilot({"service_url": f"file://{tmp_path}/store"})
    unit = store.submit_data_unit({"file_urls": [str(tmp_path / "a.txt")]})
    assert unit.wait() == "Running"
    unit.add_files([str(tmp_path / "b.txt")])
    assert sorted(unit.list()) == ["a.txt", "b.txt"]
    unit.remove_files(["a.txt"])
    assert sorted(unit.list()) == ["b.txt"]
    with pytest.raises(PilotError, match=f"data unit {unit.id} holds no file 'a.txt'; it holds 1 files"):
        unit.remove_files(["a.txt"])
    with pytest.raises(PilotError, match="'file_urls' item 0 must be a path or URL \\(a string\\), got '1'"):
        store.submit_data_unit({"file_urls": [1]})
    missing = store.submit_data_unit({"file_urls": [str(tmp_path / "nothere.txt")]})
    assert missing.wait() == "Failed"
    assert missing.get_details()["reason"] == (
        f"staging {tmp_path}/nothere.txt to file://{tmp_path}/store/{missing.id}/: cannot read {tmp_path}/nothere.txt: no file matches nothere.txt in {tmp_path}")
    with pytest.raises(PilotError, match="names 'a.txt' twice"):
        store.submit_data_unit({"file_urls": [str(tmp_path / "a.txt"), f"ssh://node1{tmp_path}/a.txt"]})
    with pytest.raises(PilotError, match="cannot be used: cannot make ssh://nosuchhost.invalid/x"):
        pds.create_pilot({"service_url": "ssh://nosuchhost.invalid/x"})
    unit.cancel()
    assert unit.get_state() == "Canceled"
    assert not (tmp_path / "store" / unit.id).exists()


def test_a_killed_coordinator_resumes_a_transfer_and_urls_resolve_from_another_process(tmp_path):
    """kill -9 of a served session while a data unit's 400 MB file is being
    copied in; after the restart the copy starts again and completes, and
    another process reconnects by the data unit's URL."""
    import tempfile
    from test_serve import Served, run_client
    big = tmp_path / "big.bin"
    with open(big, "wb") as out:
        for _ in range(400):
            out.write(os.urandom(1 << 20))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    served = Served(tempfile.mkdtemp(prefix="ps-", dir="/tmp") + "/session")
    try:
        url = run_client(f"""
            import pilot
            pds = pilot.PilotDataService()
            store = pds.create_pilot({{"service_url": "ssh://localhost:2222{tmp_path}/store"}})
            unit = store.submit_data_unit({{"file_urls": ["{big}"]}})
            print(unit.get_url())
            """, tmp_path, served).strip()
        identifier = url.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        # Killed while the copy is under way: a partial directory exists, the file is not in place.
        assert eventually(lambda: any(p.name.startswith(".pilot-partial-") for p in (tmp_path / "store" / identifier).glob(".*")),
                          within=30)
        served.kill()
        assert not (tmp_path / "store" / identifier / "big.bin").exists()
        served.start()
        answer = run_client(f"""
            import hashlib, pilot
            unit = pilot.DataUnit(du_url="{url}")
            print(unit.wait(), sorted(unit.list()))
            """, tmp_path, served, timeout=180)
    finally:
        served.stop()
    assert answer.strip() == "Running ['big.bin']"
    assert hashlib.sha256((tmp_path / "store" / identifier / "big.bin").read_bytes()).hexdigest() == digest


@pytest.fixture
def small_mounts(tmp_path):
    """A 1 MB tmpfs (`full`) and a read-only one (`readonly`) under tmp_path."""
    mounts = {"full": "size=1m", "readonly": "ro,size=1m"}
    for name, options in mounts.items():
        (tmp_path / name).mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(tmp_path / name)], check=True)
    yield {name: tmp_path / name for name in mounts}
    for name in mounts:
        subprocess.run(["umount", "-l", str(tmp_path / name)], check=False)


def test_a_full_or_read_only_target_fails_with_the_reason_and_loses_nothing(tmp_path, small_mounts):
    (tmp_path / "big.bin").write_bytes(os.urandom(3 << 20))
    (tmp_path / "small.txt").write_text("small\n")
    pds = pilot.PilotDataService()
    with pytest.raises(PilotError, match="Read-only file system"):
        pds.create_pilot({"service_url": f"file://{small_mounts['readonly']}/store"})
    store = pds.create_pilot({"service_url": f"file://{small_mounts['full']}/store"})
    unit = store.submit_data_unit({"file_urls": [str(tmp_path / "small.txt")]})
    assert unit.wait() == "Running"
    with pytest.raises(PilotError, match=f"the file system holding {small_mounts['full']}/store/du-.* is full"):
        unit.add_files([str(tmp_path / "big.bin")])
    # The data unit keeps what it had; nothing half copied is left under any name.
    assert unit.get_state() == "Running" and sorted(unit.list()) == ["small.txt"]
    assert os.listdir(small_mounts["full"] / "store" / unit.id) == ["small.txt"]
    unit.export(str(tmp_path / "out"))
    assert (tmp_path / "out" / "small.txt").read_text() == "small\n"


def test_a_data_host_whose_sshd_dies_mid_transfer_fails_the_copy_with_the_host(tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as out:
        for _ in range(300):
            out.write(os.urandom(1 << 20))
    place = f"/scratch/pd-cut-{uuid.uuid4().hex[:8]}"
    store = pilot.PilotDataService().create_pilot({"service_url": f"ssh://node3{place}"})
    unit = store.submit_data_unit({"file_urls": [str(big)]})
    try:
        assert eventually(lambda: on_node("node3", f"ls -A {place}/{unit.id} 2>/dev/null || true").startswith(".pilot-partial-"), within=30)
        pids = subprocess.run(["ip", "netns", "pids", "pilot-node3"], capture_output=True, text=True, check=True).stdout.split()
        for pid in pids:
            try:
                if open(f"/proc/{pid}/comm").read().strip() == "sshd":
                    os.kill(int(pid), 9)
            except OSError:
                pass
        assert unit.wait(timeout=120) == "Failed"
        reason = unit.get_details()["reason"]
        assert reason.startswith(f"staging {big} to ssh://node3{place}/{unit.id}/ (after 3 attempts): "), reason
        assert "node3" in reason.split(": ", 1)[1], reason
    finally:
        subprocess.run(["bash", str(REPOSITORY / ".ci" / "rm" / "cluster-up.sh")], check=True, capture_output=True)
    # The cut copy may leave its hidden partial directory (its host was gone); never the file under its name.
    assert on_node("node3", f"ls {place}/{unit.id} 2>/dev/null || true") == "", "nothing half copied is taken for complete"
    on_node("node3", f"rm -rf {place}")


def test_a_three_node_pilot_stages_a_gigabyte_to_node_local_sandboxes_and_collects_outputs(tmp_path, scratch):
    """200 files (1 KB to 200 MB, 1 GB in all) in a data unit on node1's
    /scratch; a unit on every node of a 3-node SLURM pilot gets them in a
    sandbox on its own /scratch (no shared file system there) and checks
    every byte against a manifest; then 100 units leave an output each in
    one data unit."""
    from test_cluster import cluster_env_values
    data = tmp_path / "data"
    data.mkdir()
    sizes = [200 << 20, 150 << 20, 100 << 20, 100 << 20, 100 << 20, 80 << 20, 60 << 20, 50 << 20, 40 << 20, 30 << 20]
    sizes += [1024 + n * 997 for n in range(189)]
    sizes.append((1 << 30) - sum(sizes))
    assert len(sizes) == 200 and min(sizes) >= 1024 and sum(sizes) == 1 << 30
    manifest = []
    for index, size in enumerate(sizes):
        block = os.urandom(min(size, 1 << 20))
        digest = hashlib.sha256()
        with open(data / f"f{index:03d}.bin", "wb") as out:
            left = size
            while left:
                piece = block[:min(left, len(block))]
                out.write(piece)
                digest.update(piece)
                left -= len(piece)
        manifest.append(f"{digest.hexdigest()}  f{index:03d}.bin\n")
    (data / "manifest.sha256").write_text("".join(manifest))
    result = run_script(f"""
        import json, pilot
        pcs = pilot.PilotComputeService()
        pcs.create_pilot({{"service_url": "slurm://localhost", "number_of_processes": 6, "processes_per_node": 2,
                           "working_directory": "{tmp_path}/agent"}})
        pds = pilot.PilotDataService()
        store = pds.create_pilot({{"service_url": "ssh://node1{scratch}"}})
        cds = pilot.ComputeDataService()
        cds.add_pilot_compute_service(pcs)
        cds.add_pilot_data_service(pds)
        inputs = cds.submit_data_unit({{"file_urls": ["{data}/*"]}})
        print(inputs.wait(), len(inputs.list()), flush=True)
        checks = [cds.submit_compute_unit({{
            "executable": "/bin/sh", "shell": False, "arguments": ["-c", "sha256sum -c --quiet manifest.sha256 && hostname"],
            "working_directory": "{scratch}/sandbox-" + str(n), "input_data": [inputs.get_url()], "number_of_processes": 2}})
            for n in range(3)]
        cds.wait()
        outputs = store.submit_data_unit({{"file_urls": []}})
        outputs.wait()
        writers = cds.submit_compute_units([{{
            "executable": "/bin/sh", "shell": False, "arguments": ["-c", "echo output " + str(n) + " > out-" + str(n) + ".txt"],
            "working_directory": "{scratch}/writer-" + str(n), "output_data": [{{outputs.get_url(): ["out-*.txt"]}}]}}
            for n in range(100)])
        cds.wait()
        outputs.export("{tmp_path}/collected")
        print(json.dumps({{
            "checks": [(u.get_state(), u.get_details()["reason"], u.get_details()["run_host"]) for u in checks],
            "writers": sorted({{u.get_state() for u in writers}}),
            "outputs": len(outputs.list())}}))
        pcs.cancel()
    """, tmp_path, timeout=600, env=cluster_env_values())
    assert result.returncode == 0, result.stderr
    first, last = result.stdout.splitlines()[0], result.stdout.splitlines()[-1]
    assert first == "Running 201"
    report = json.loads(last)
    assert [state for state, _, _ in report["checks"]] == ["Done"] * 3, report["checks"]
    assert sorted(host for _, _, host in report["checks"]) == ["node1", "node2", "node3"]
    assert report["writers"] == ["Done"] and report["outputs"] == 100
    for n in range(100):
        assert (tmp_path / "collected" / f"out-{n}.txt").read_text() == f"output {n}\n"
    for node in ("node1", "node2", "node3"):
        on_node(node, f"rm -rf {scratch}")


def test_early_binding_runs_a_unit_on_the_pilot_labelled_like_its_input_data(tmp_path):
    (tmp_path / "input.txt").write_text("near\n")
    pcs = pilot.PilotComputeService()
    pilots = {label: pcs.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                       "working_directory": str(tmp_path / label), "affinity_machine_label": label})
              for label in ("east", "west")}
    pds = pilot.PilotDataService()
    west = pds.create_pilot({"service_url": f"file://{tmp_path}/west-store", "affinity_machine_label": "west"})
    cds = pilot.ComputeDataServiceCentral()
    cds.add_pilot_compute_service(pcs)
    cds.add_pilot_data_service(pds)
    data = cds.submit_data_unit({"file_urls": [str(tmp_path / "input.txt")], "affinity_machine_label": "west"})
    assert data.wait() == "Running" and [pd.id for pd in data.list_pilot_data()] == [west.id]
    units = [cds.submit_compute_unit({"executable": "/bin/cat", "arguments": ["input.txt"], "input_data": [data.get_url()]})
             for _ in range(6)]
    cds.wait()
    assert {unit.get_state() for unit in units} == {"Done"}
    assert {unit.get_details()["pilot_id"] for unit in units} == {pilots["west"].id}
    pcs.cancel()


def test_a_pilot_data_holds_no_more_than_its_size(tmp_path):
    for name in ("a.bin", "b.bin", "c.bin"):
        (tmp_path / name).write_bytes(os.urandom(600 << 10))
    store = pilot.PilotDataService().create_pilot({"service_url": f"file://{tmp_path}/store", "size": 1})
    first = store.submit_data_unit({"file_urls": [str(tmp_path / "a.bin")]})
    assert first.wait() == "Running"
    second = store.submit_data_unit({"file_urls": [str(tmp_path / "b.bin")]})
    assert second.wait() == "Failed"
    assert second.get_details()["reason"] == (
        f"data unit {second.id} would put 0.5 MB in pilot data {store.id}, whose size is 1.0 MB with 0.5 MB held by "
        "other data units; its copy there was removed")
    assert not (tmp_path / "store" / second.id / "b.bin").exists()
    with pytest.raises(PilotError, match=f"data unit {first.id} would put 1.1 MB in pilot data {store.id}"):
        first.add_files([str(tmp_path / "c.bin")])
    assert sorted(first.list()) == ["a.bin"]
