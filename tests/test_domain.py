"""The calibrated domain: runs outside it are named in one line, and reports flag them."""

from __future__ import annotations

import pandas as pd

from simulation.cli import main
from simulation.experiments import domain
from simulation.experiments.calibrate import COUNTERFACTUALS, FREE
from simulation.scenario import load


def test_the_validated_scenarios_lie_within_it():
    for name in ("baseline", *COUNTERFACTUALS):
        assert domain.outside(load(name).params) == [], name


def test_a_change_outside_is_named_with_its_domain():
    base = load("baseline").params
    found = domain.outside({**base, "n_workers": 1, "worker_hours": 12.5})
    assert found == ["n_workers 1 (calibrated: 3)", "worker_hours 12.5 (calibrated: 20)"]
    low, high = FREE["found_threshold"]
    assert domain.outside({**base, "found_threshold": (low + high) / 2}) == []
    assert domain.outside({**base, "found_threshold": high * 2})
    assert domain.outside({**base, "meetings_after": "schedule"}) == [
        "meetings_after 'schedule' (calibrated: 'success')"]
    # What is observed or what it costs is no behaviour.
    assert domain.outside({**base, "horizon_weeks": 300, "worker_hourly_cost": 99.0}) == []


def test_rows_of_a_table_are_flagged():
    frame = pd.DataFrame({"grant_size": [1000.0, 500.0], "infiltration_weeks": [17, 4]})
    flags = domain.flag_rows(frame, "baseline", {})
    assert flags == ["", "grant_size 500 (calibrated: 1000-2000)"]


def test_run_says_so_in_one_line(tmp_path, capsys):
    small = ["--set", "horizon_weeks=0", "--no-plot"]
    assert main(["run", *small, "--out", str(tmp_path / "a")]) == 0
    assert "calibrated domain" not in capsys.readouterr().err
    assert main(["run", *small, "--set", "n_workers=2", "--out", str(tmp_path / "b")]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if "calibrated" in line]
    assert len(err) == 1 and "n_workers 2 (calibrated: 3)" in err[0]
