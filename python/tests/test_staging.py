"""Staging files into and out of units (issue 15): BigJob's and TROY's
file_transfer, RADICAL-Pilot style directives, against the tests' sshd on
127.0.0.1:2222 (started by .ci/rm-up.sh)."""

import os

import pytest

import pilot
from bigjob import bigjob, description, subjob
from test_bigjob import poll_until_final

SSH = "ssh://localhost:2222"


def test_an_original_style_bigjob_test_stages_test_txt_and_cats_it(tmp_path, monkeypatch):
    # BigJob's tests/bigjob_test.py shape: the file comes over ssh into SUBJOB_WORK_DIR.
    (tmp_path / "test.txt").write_text("the text of test.txt\n")
    monkeypatch.chdir(tmp_path)
    bj = bigjob()
    bj.start_pilot_job("fork://localhost", 2, working_directory=str(tmp_path / "agent"))
    jd = description()
    jd.executable = "/bin/cat"
    jd.arguments = ["test.txt"]
    jd.output = "stdout.txt"
    jd.error = "stderr.txt"
    jd.file_transfer = [f"{SSH}{tmp_path}/test.txt > SUBJOB_WORK_DIR"]
    sj = subjob()
    sj.submit_job(bj.pilot_url, jd)
    assert poll_until_final(sj) == "Done"
    sandbox = sj.get_details()["WorkingDirectory"]
    assert open(sandbox + "/stdout.txt").read() == "the text of test.txt\n"
    assert not [name for name in os.listdir(sandbox) if name.startswith(".pilot-partial-")]
    bj.cancel()


def run_units(tmp_path, *descriptions):
    service = pilot.PilotComputeService()
    service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                          "working_directory": str(tmp_path / "agent")})
    cds = pilot.ComputeDataService()
    cds.add_pilot_compute_service(service)
    units = [cds.submit_compute_unit(d) for d in descriptions]
    cds.wait()
    service.cancel()
    return units


def test_directives_stage_in_and_out_with_states_and_times(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.dat").write_text("alpha\n")
    (tmp_path / "in" / "b.dat").write_text("beta\n")
    results = tmp_path / "results"
    seen = []
    pilot.events.subscribe(lambda event: seen.append((event.id, event.state)) if event.kind == "unit" else None)
    [unit] = run_units(tmp_path, {
        "executable": "/bin/cat", "arguments": ["inputs/*.dat", "> joined.out"],
        "input_staging": [{"source": f"{tmp_path}/in/*.dat", "target": "inputs/", "action": "Copy"}],
        "output_staging": [f"*.out > {SSH}{results}/", {"source": "stdout", "target": f"{results}/", "action": "Move"}]})
    assert unit.get_state() == "Done", unit.get_details()["reason"]
    assert (results / "joined.out").read_text() == "alpha\nbeta\n"
    assert (results / "stdout").exists()
    sandbox = unit.get_local_working_directory()
    assert not os.path.exists(os.path.join(sandbox, "stdout")), "Move removes the source"
    details = unit.get_details()
    assert details["staging_input_seconds"] > 0 and details["staging_output_seconds"] > 0
    states = [state for id, state in seen if id == unit.get_id()]
    assert states[-3:] == ["Staging", "Running", "Done"], states


def test_a_missing_input_fails_the_unit_with_the_file_and_the_host(tmp_path):
    [unit] = run_units(tmp_path, {"executable": "/bin/true",
                                  "file_transfer": [f"{SSH}{tmp_path}/nothere.txt > SUBJOB_WORK_DIR"]})
    assert unit.get_state() == "Failed"
    assert unit.get_details()["reason"] == (
        f"input staging {SSH}{tmp_path}/nothere.txt to ./: cannot read {tmp_path}/nothere.txt on localhost:2222: "
        f"no file matches nothere.txt in {tmp_path}")
    assert unit.get_details()["exit_code"] is None


def test_outputs_of_failed_runs_are_kept_only_when_asked(tmp_path):
    kept, dropped = tmp_path / "kept", tmp_path / "dropped"
    # Units of the pilot package run through bash, arguments unquoted (BigJob's semantics).
    script = "partial result > result.txt; exit 3"
    asked, default = run_units(
        tmp_path,
        {"executable": "echo", "arguments": [script], "stage_out_on_failure": True,
         "output_staging": [f"result.txt > {kept}/"]},
        {"executable": "echo", "arguments": [script], "output_staging": [f"result.txt > {dropped}/"]})
    assert asked.get_state() == "Failed" and asked.get_details()["reason"] == "exited with code 3"
    assert (kept / "result.txt").read_text() == "partial result\n"
    assert default.get_state() == "Failed" and not dropped.exists()


def test_an_output_the_unit_deleted_fails_it_after_its_run(tmp_path):
    [unit] = run_units(tmp_path, {"executable": "touch", "arguments": ["out.dat; rm out.dat"],
                                  "output_staging": [f"out.dat > {tmp_path}/results/"]})
    assert unit.get_state() == "Failed"
    sandbox = unit.get_local_working_directory()
    assert unit.get_details()["reason"] == (
        f"exited with code 0, then output staging out.dat to {tmp_path}/results/: "
        f"cannot read {sandbox}/out.dat: no file matches out.dat in {sandbox}")


def test_links_travel_as_contents_and_bad_directive_strings_are_refused(tmp_path):
    # Found by the break-in helper: an input linked from a data unit and moved back into it destroyed it.
    (tmp_path / "keep.txt").write_text("keep me\n")
    (tmp_path / "g[1].txt").write_text("a bracket in the name\n")
    store = pilot.PilotDataService().create_pilot({"service_url": f"file://{tmp_path}/store"})
    data = store.submit_data_unit({"file_urls": [str(tmp_path / "keep.txt")]})
    assert data.wait() == "Running"
    reader, literal = run_units(tmp_path, {
        "executable": "/bin/true", "input_data": [data.get_url()], "output_data": [{data.get_url(): ["*.txt"]}]}, {
        "executable": "/bin/cat", "arguments": ["'g[1].txt'"], "input_staging": [str(tmp_path / "g[1].txt")]})
    assert reader.get_state() == "Done", reader.get_details()["reason"]
    kept = tmp_path / "store" / data.id / "keep.txt"
    assert not kept.is_symlink() and kept.read_text() == "keep me\n"
    assert literal.get_state() == "Done", literal.get_details()["reason"]
    for line in ("/a >> b", "/a > b > c", "/a < b"):
        with pytest.raises(pilot.PilotError, match="must read \"SOURCE\" or \"SOURCE > TARGET\""):
            pilot.ComputeDataService().submit_compute_unit({"executable": "/bin/true", "input_staging": [line]})
