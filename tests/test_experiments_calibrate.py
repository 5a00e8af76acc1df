"""``sprout calibrate``: its defaults are those that produced the stored calibration, and it
chooses only on the calibration targets."""

from __future__ import annotations

import json
from dataclasses import asdict

import pandas as pd

from simulation.cli import build_parser
from simulation.experiments.calibrate import (
    DEFAULTS,
    FREE,
    OUTPUT_FILES,
    STORED,
    differences,
    sample_candidates,
)
from simulation.validation import BY_CONSTRUCTION, CALIBRATION, HELD_OUT


def test_defaults_are_those_of_the_stored_result():
    accepted = json.loads((STORED / "accepted.json").read_text())
    assert accepted["settings"] == asdict(DEFAULTS)
    assert accepted["free_parameters"] == {k: list(v) for k, v in FREE.items()}
    trials = pd.read_csv(STORED / "trials.csv")
    assert (trials["stage"] == "global").sum() == DEFAULTS.candidates
    assert (trials["stage"] == "local").sum() == DEFAULTS.local_candidates
    assert (trials["stage"] == "final").sum() == DEFAULTS.finalists


def test_candidates_are_the_stored_ones():
    trials = pd.read_csv(STORED / "trials.csv")
    screen = trials[trials["stage"] == "global"].sort_values("candidate")
    drawn = pd.DataFrame(sample_candidates(DEFAULTS.candidates, DEFAULTS.seed))
    pd.testing.assert_frame_equal(drawn, screen[list(FREE)].reset_index(drop=True))


def test_patterns_are_either_calibrated_on_held_out_or_built_in():
    assert not set(CALIBRATION) & set(HELD_OUT)
    assert not set(BY_CONSTRUCTION) & (set(CALIBRATION) | set(HELD_OUT))
    accepted = json.loads((STORED / "accepted.json").read_text())
    assert set(accepted["calibration_patterns"]) == set(CALIBRATION)
    assert set(accepted["held_out_patterns"]) <= set(HELD_OUT)


def test_calibrate_is_a_command_that_writes_elsewhere_unless_asked():
    args = build_parser().parse_args(["calibrate"])

    def default(value):  # defaults are read lazily (the command line starts fast)
        return value.value() if hasattr(value, "value") else value

    assert default(args.candidates) == DEFAULTS.candidates
    assert default(args.finalists) == DEFAULTS.finalists
    assert args.out == "out/calibration" and not args.store


def test_verify_finds_any_difference_but_the_time_taken(tmp_path):
    """``--verify`` passes only when every run file is byte-identical and the accepted
    values are the same; how long the calibration took may differ."""
    stored, fresh = tmp_path / "stored", tmp_path / "fresh"
    for d in (stored, fresh):
        d.mkdir()
        for name in OUTPUT_FILES:
            (d / name).write_bytes((STORED / name).read_bytes())
    accepted = json.loads((fresh / "accepted.json").read_text())
    accepted["minutes"] += 3.5
    (fresh / "accepted.json").write_text(json.dumps(accepted))
    assert differences(fresh, stored) == []
    accepted["values"]["found_threshold"] += 0.001
    (fresh / "accepted.json").write_text(json.dumps(accepted))
    with open(fresh / "final_runs.csv", "a") as f:
        f.write("\n")
    assert sorted(differences(fresh, stored)) == ["accepted.json: differs in values",
                                                  "final_runs.csv: differs"]
    (fresh / "trials.csv").unlink()
    assert any(d.startswith("trials.csv: missing") for d in differences(fresh, stored))


def test_a_stage_runs_into_its_store_and_resumes_it(tmp_path):
    """A stage is a plan run by the one executor into its results store: its table is read
    back from there; ``resume`` runs only what is missing and gives the same table; the
    rows are those of runs made one by one."""
    from simulation.experiments import load_results
    from simulation.experiments.calibrate import evaluate
    from simulation.runner import replicate_seeds, run
    from simulation.scenario import load

    candidates = sample_candidates(2, 5)
    seeds = replicate_seeds(9, 2)
    small = {"n_residents": 400, "project_weeks": 20}
    candidates = [{**c, **small} for c in candidates]
    out = tmp_path / "stage"
    first = evaluate(candidates, ("baseline",), seeds, full=False, workers=1, out=out)
    stored = load_results(out)
    assert len(stored.runs) == 4 and stored.metadata["sweep"]["kind"] == "calibration"
    assert stored.runs["horizon_weeks"].eq(0).all()  # screening: the project year only
    alone = run({**load("baseline").params, **candidates[1], "horizon_weeks": 0}, seeds[0],
                details=False).summary
    row = first[(first["candidate"] == 1) & (first["seed"] == seeds[0])].iloc[0]
    assert row["groups_project_end"] == alone["groups_project_end"]
    assert row["founded_project"] == alone["founded_project"]
    # lose one stored run: resuming runs it alone and the table is the same
    runs = pd.read_parquet(out / "runs.parquet")
    runs.iloc[1:].to_parquet(out / "runs.parquet", index=False)
    (out / "runs.parquet.sha256").unlink()
    again = evaluate(candidates, ("baseline",), seeds, full=False, workers=1, out=out,
                     resume=True)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["sessions"][-1]["ran"] == 1
    pd.testing.assert_frame_equal(first, again)
    # without resume the stage's store is replaced: everything runs again
    evaluate(candidates, ("baseline",), seeds, full=False, workers=1, out=out)
    assert json.loads((out / "metadata.json").read_text())["sessions"][-1]["ran"] == 4
