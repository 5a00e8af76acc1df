"""Docking: the Bass curve, and its fit recovering a curve it was made from."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.experiments import docking


def test_the_curve_waits_for_its_start_and_rises_to_its_ceiling():
    t = np.arange(300)
    n = docking.bass(t, m=28.0, p=0.02, q=0.2, t0=17, n0=3.0)
    assert (n[:18] == 3.0).all()
    assert (np.diff(n) >= 0).all() and n[-1] == pytest.approx(31.0, abs=1e-3)


def test_the_fit_recovers_the_curve_it_was_made_from():
    truth = {"m": 28.0, "p": 0.02, "q": 0.2}
    mean = docking.bass(np.arange(53), t0=17, n0=3.0, **truth)
    fitted = docking.fit(mean, t0=17)
    for key, value in truth.items():
        assert fitted[key] == pytest.approx(value, rel=1e-3)
    assert fitted["rmse"] < 1e-6


def test_the_curve_answers_only_what_it_has_a_parameter_for():
    weeks = 157
    runs = {name: np.tile(np.linspace(3, 30, weeks), (2, 1))
            for name in ("baseline", "one_month_infiltration", "no_grants")}
    _, rows = docking.compare(runs)
    by = {r["scenario"]: r for r in rows}
    assert by["one_month_infiltration"]["curve_week52"] > by["baseline"]["curve_week52"]
    assert by["no_grants"]["curve_week52"] is None
    assert "grant_budget" in by["no_grants"]["curve_handle"]
