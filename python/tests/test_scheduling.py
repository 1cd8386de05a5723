"""Late binding across pilots, early binding with affinity (acceptance 3)."""

import collections

import pilot


def test_two_pilots_share_units(tmp_path, pilot_service):
    first = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                        "working_directory": str(tmp_path)})
    second = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                         "working_directory": str(tmp_path)})
    service = pilot.ComputeDataService()
    service.add_pilot_compute_service(pilot_service)
    units = [service.submit_compute_unit({"executable": "/bin/sleep", "arguments": ["0.01"]}) for _ in range(200)]
    service.wait()
    per_pilot = collections.Counter(unit.get_details()["pilot_id"] for unit in units)
    assert all(unit.get_state() == "Done" for unit in units)
    assert set(per_pilot) == {first.get_details()["bigjob_id"], second.get_details()["bigjob_id"]}
    assert min(per_pilot.values()) > 20, per_pilot


def test_central_service_honours_affinity(tmp_path, pilot_service):
    europe = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                         "working_directory": str(tmp_path), "affinity_datacenter_label": "eu"})
    america = pilot_service.create_pilot({"service_url": "fork://localhost", "number_of_processes": 2,
                                          "working_directory": str(tmp_path), "affinity_datacenter_label": "us"})
    service = pilot.ComputeDataServiceCentral()
    service.add_pilot_compute_service(pilot_service)
    units = [service.submit_compute_unit({"executable": "/bin/true", "affinity_datacenter_label": "eu" if i % 2 else "us"})
             for i in range(20)]
    service.wait()
    for i, unit in enumerate(units):
        expected = europe if i % 2 else america
        assert unit.get_state() == "Done"
        assert unit.get_details()["pilot_id"] == expected.get_details()["bigjob_id"]
