"""Pilot-Data (issue 15): pilot data on a node of the simulated cluster
over ssh (.ci/rm-up.sh starts it; node1..node3 keep /scratch to
themselves), data units, replicas, units' input_data and output_data."""

import subprocess
import uuid

import pytest

import pilot
from pilot import PilotError


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
    missing = store.submit_data_unit({"file_urls": [str(tmp_path / "nothere.txt")]})
    assert missing.wait() == "Failed"
    assert missing.get_details()["reason"] == (
        f"staging {tmp_path}/nothere.txt to file://{tmp_path}/store/{missing.id}/: cannot read {tmp_path}/nothere.txt: No such file or directory")
    with pytest.raises(PilotError, match="names 'a.txt' twice"):
        store.submit_data_unit({"file_urls": [str(tmp_path / "a.txt"), f"ssh://node1{tmp_path}/a.txt"]})
    with pytest.raises(PilotError, match="cannot be used: cannot make ssh://nosuchhost.invalid/x"):
        pds.create_pilot({"service_url": "ssh://nosuchhost.invalid/x"})
    unit.cancel()
    assert unit.get_state() == "Canceled"
    assert not (tmp_path / "store" / unit.id).exists()
