"""``sprout calibrate``: its defaults are those that produced the stored calibration."""

from __future__ import annotations

import json

import pandas as pd

from simulation.cli import build_parser
from simulation.experiments.calibrate import DEFAULTS, FREE, STORED, sample_candidates


def test_defaults_are_those_of_the_stored_result():
    accepted = json.loads((STORED / "accepted.json").read_text())
    trials = pd.read_csv(STORED / "trials.csv")
    assert accepted["candidates"] == DEFAULTS.candidates == (trials["stage"] == "screen").sum()
    assert (trials["stage"] == "final").sum() == DEFAULTS.finalists
    assert accepted["screen_seeds"] == DEFAULTS.screen_seeds
    assert accepted["final_seeds"] == DEFAULTS.final_seeds
    assert accepted["master_seed"] == DEFAULTS.seed
    assert accepted["free_parameters"] == {k: list(v) for k, v in FREE.items()}


def test_candidates_are_the_stored_ones():
    trials = pd.read_csv(STORED / "trials.csv")
    screen = trials[trials["stage"] == "screen"].sort_values("candidate")
    drawn = pd.DataFrame(sample_candidates(DEFAULTS.candidates, DEFAULTS.seed))
    pd.testing.assert_frame_equal(drawn, screen[list(FREE)].reset_index(drop=True))


def test_calibrate_is_a_command_that_writes_elsewhere_unless_asked():
    args = build_parser().parse_args(["calibrate"])
    assert args.candidates == 64 and args.finalists == 3
    assert args.out == "out/calibration" and not args.store
