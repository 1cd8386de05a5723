"""TROY, the 2011 API, with callbacks that fire (issue 4, acceptance 3-6),
and reinitialize without losing queued work units."""

import threading

import pytest

import troy
from conftest import eventually


@pytest.fixture
def pilot_jobs(tmp_path):
    service = troy.PilotJobService()
    yield service
    service.cancel()


def pilot_job(service, tmp_path, processes=2):
    return service.create("fork://localhost", troy.PilotJobDescription(number_of_processes=processes,
                                                                        working_directory=str(tmp_path)))


class Recorder(troy.Callback):
    """Records every (unit id, value) it is called with."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen = {}

    def cb(self, wu, member, value):
        with self.lock:
            self.seen.setdefault(wu.id, []).append(value)
        return True

    def count(self):
        with self.lock:
            return sum(len(values) for values in self.seen.values())


def test_two_pilots_twenty_units_callbacks_in_order(tmp_path, pilot_jobs):
    pilot_job(pilot_jobs, tmp_path)
    pilot_job(pilot_jobs, tmp_path)
    assert len(pilot_jobs.pilot_jobs) == 2
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    recorder = Recorder()
    work = []
    for index in range(20):
        unit = units.submit(troy.WorkUnitDescription(executable="/bin/echo", arguments=[index]))
        unit.set_callback("state", recorder)
        work.append(unit)
    assert eventually(lambda: recorder.count() == 60, within=30)
    for unit in work:
        assert unit.state == troy.State.Done == 3
        assert recorder.seen[unit.id] == [troy.State.New, troy.State.Running, troy.State.Done]


def test_chained_ensemble_driven_by_callbacks(tmp_path, pilot_jobs):
    pilot_job(pilot_jobs, tmp_path)
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    followers = []
    all_submitted = threading.Event()

    class Chain(troy.Callback):
        def cb(self, wu, member, value):
            if value != troy.State.Done:
                return True
            source = wu.get_local_working_directory() + "/stdout"
            followers.append(units.submit(troy.WorkUnitDescription(executable="/bin/cat", arguments=[source])))
            if len(followers) == 5:
                all_submitted.set()
            return False

    for index in range(5):
        first = units.submit(troy.WorkUnitDescription(executable="/bin/echo", arguments=["A", index]))
        first.set_callback("state", Chain())
    assert all_submitted.wait(30)
    assert eventually(lambda: all(f.state == troy.State.Done for f in followers), within=30)
    outputs = sorted(open(f.get_local_working_directory() + "/stdout").read() for f in followers)
    assert outputs == [f"A {index}\n" for index in range(5)]


def test_raising_and_unregistering_callbacks(tmp_path, pilot_jobs, caplog):
    pilot_job(pilot_jobs, tmp_path)
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    calls = {"raising": 0, "once": 0, "later": []}

    def raising(wu, member, value):
        calls["raising"] += 1
        raise ValueError("callback failure on purpose")

    def once(wu, member, value):
        calls["once"] += 1
        return False

    def later(wu, member, value):
        calls["later"].append(value)

    unit = units.submit(troy.WorkUnitDescription(executable="/bin/sleep", arguments=["0.2"]))
    unit.set_callback("state", raising)
    unit.add_callback("state_detail", once)
    other = units.submit(troy.WorkUnitDescription(executable="/bin/true"))
    other.set_callback("state", later)
    assert eventually(lambda: calls["later"] and calls["later"][-1] == troy.State.Done, within=20)
    assert eventually(lambda: unit.state == troy.State.Done, within=20)
    assert eventually(lambda: calls["raising"] == 3, within=5), "raised every time, still called for each state"
    assert calls["once"] == 1
    assert "callback failure on purpose" in caplog.text


def test_thousand_units_with_callbacks_from_four_threads(tmp_path, pilot_jobs):
    pilot_job(pilot_jobs, tmp_path)
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    recorder = Recorder()
    submitted = []
    lock = threading.Lock()

    def submit_many():
        for _ in range(250):
            unit = units.submit(troy.WorkUnitDescription(executable="/bin/true"))
            unit.set_callback("state", recorder)
            with lock:
                submitted.append(unit)

    threads = [threading.Thread(target=submit_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(submitted) == 1000
    assert eventually(lambda: recorder.count() == 3000, within=60), recorder.count()
    assert all(recorder.seen[unit.id] == [1, 2, 3] for unit in submitted)


def test_reinitialize_keeps_queued_work_units(tmp_path, pilot_jobs):
    job = pilot_job(pilot_jobs, tmp_path, processes=1)
    first_id = job.id
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    # The first unit runs long enough to be running for certain when the old
    # pilot goes: running units are cancelled with it, queued ones are not.
    work = [units.submit(troy.WorkUnitDescription(executable="/bin/sleep", arguments=[5 if index == 0 else 0.2]))
            for index in range(6)]
    assert eventually(lambda: work[0].state_detail == "Running")
    assert work[1].state_detail == "Pending", "bound ahead to the old 1-slot pilot"
    job.reinitialize(troy.PilotJobDescription(number_of_processes=3, working_directory=str(tmp_path)))
    assert job.id != first_id
    assert eventually(lambda: job.state_detail == "Running")
    assert eventually(lambda: all(unit.state in (troy.State.Done, troy.State.Canceled) for unit in work), within=30)
    assert work[0].state == troy.State.Canceled
    assert [unit.state for unit in work[1:]] == [troy.State.Done] * 5, "queued units ran on the new pilot"


def test_pilot_job_types_and_errors(tmp_path, pilot_jobs):
    assert pilot_jobs.create("fork://localhost", troy.PilotJobDescription(total_core_count=2, working_directory=str(tmp_path)),
                             pj_type="bigjob").state in (troy.State.New, troy.State.Running)
    for unsupported in (troy.PILOTJOB_TYPE.DIANE, "condor"):
        with pytest.raises(troy.PilotError, match="not supported"):
            pilot_jobs.create("fork://localhost", troy.PilotJobDescription(number_of_processes=1), unsupported)
    with pytest.raises(troy.PilotError, match="unknown"):
        pilot_jobs.create("fork://localhost", troy.PilotJobDescription(number_of_processes=1), "yarn")
    job = pilot_jobs.create_pilotjob("fork://localhost", {"number_of_processes": 1, "working_directory": str(tmp_path)})
    with pytest.raises(troy.PilotError, match="callback member 'colour' is unknown"):
        job.set_callback("colour", lambda *a: True)
    assert troy.PilotJobService(id=pilot_jobs.id).pilot_jobs == pilot_jobs.pilot_jobs
    description = troy.WorkUnitDescription(executable="/bin/true")
    description.substitutes = {"X": 1}
    assert description.substitutes == {"X": 1} and description.arguments is None


def test_cancelling_a_work_unit_service_is_recorded_by_the_core(tmp_path, pilot_jobs):
    job = pilot_job(pilot_jobs, tmp_path, processes=1)
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    unit = units.submit(troy.WorkUnitDescription(executable="/bin/sleep", arguments=[30]))
    assert units.state == troy.State.Running
    units.cancel()
    assert units.state == troy.State.Canceled
    assert unit.state == troy.State.Canceled
    assert eventually(lambda: job.state == troy.State.Running), "its pilot jobs keep running"
    with pytest.raises(troy.PilotError, match=f"^service {units.id} was canceled; create a new ComputeDataService$"):
        units.submit(troy.WorkUnitDescription(executable="/bin/true"))


def test_pilot_job_ids_and_file_transfers_of_the_original_examples(tmp_path, pilot_jobs):
    # TROY's examples print pj_id and stage inputs with file_transfer.
    (tmp_path / "input.txt").write_text("staged for troy\n")
    job = pilot_jobs.create("fork://localhost", troy.PilotJobDescription(
        number_of_processes=1, working_directory=str(tmp_path),
        file_transfer=[f"{tmp_path}/input.txt > BIGJOB_WORK_DIR"]))
    assert job.pj_id == job.id and job.pj_id.startswith("bj-")
    assert (tmp_path / job.id / "input.txt").read_text() == "staged for troy\n"
    units = troy.WorkUnitService()
    units.add(pilot_jobs)
    unit = units.submit(troy.WorkUnitDescription(executable="/bin/cat", arguments=["input.txt"], output="out.txt",
                                                 file_transfer=[f"{tmp_path}/input.txt > SUBJOB_WORK_DIR"]))
    assert eventually(lambda: unit.state == troy.State.Done, within=30), unit.state_detail
    sandbox = [path for path in (tmp_path / job.id).iterdir() if path.name.startswith("sj-")]
    assert [(path / "out.txt").read_text() for path in sandbox] == ["staged for troy\n"]
