"""scripts/make_docs.py: marked blocks are rewritten in place with a provenance line, figures
carry their provenance, and every target's block exists in the documents."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_docs"] = module
    spec.loader.exec_module(module)
    return module


make_docs = _load()


def test_blocks_are_replaced_in_place_and_only_theirs():
    text = ("intro\n<!-- begin:a (x) -->\nold a\n<!-- end:a -->\nmiddle\n"
            "<!-- begin:b -->\nold b\n<!-- end:b -->\nend\n")
    new = make_docs.replace_block(text, "a", "new a")
    assert "new a" in new and "old a" not in new and "old b" in new
    assert new.startswith("intro\n<!-- begin:a (x) -->\nnew a\n<!-- end:a -->\nmiddle")
    assert make_docs.replace_block(new, "a", "new a") == new  # idempotent
    with pytest.raises(make_docs.DocsError, match="no <!-- begin:c"):
        make_docs.replace_block(text, "c", "x")


def test_every_target_has_its_blocks_in_the_documents():
    found = make_docs.check(ROOT)
    names = {name for names in found.values() for name in names}
    expected = {"run", "compare", "calibration", "counterfactuals", "funding-effects",
                "funding-strategies",
                "discover", "morris", "sobol", "abc", "compare-posterior", "speed", "params",
                "held-out-posterior"}
    assert expected <= names
    assert set(make_docs.ORDER) == set(make_docs.TARGETS)


def test_toy_run_rewrites_a_copy_with_provenance(tmp_path):
    root = make_docs.copy_docs(tmp_path / "docs-copy")
    before = (root / "README.md").read_text()
    assert make_docs.main(["params", "calibration", "run", "--toy", "--root", str(root),
                           "--workers", "1"]) == 0
    readme = (root / "README.md").read_text()
    assert readme != before
    run_block = readme.split("<!-- begin:run")[1].split("<!-- end:run -->")[0]
    assert "sprout run --seeds 3 --out out/baseline3 (toy size)" in run_block
    assert "Made with `" in run_block
    assert "at commit" in run_block and "numpy" in run_block
    record = json.loads((root / "docs" / "provenance.json").read_text())
    assert record["run"]["toy"] and record["run"]["provenance"]["cpu"]
    assert "docs/images/baseline_groups.png" in record["run"]["files"]
    from PIL import Image

    with Image.open(root / "docs" / "images" / "baseline_groups.png") as image:
        assert "sprout run --seeds 3" in image.text["Command"]
        assert "at commit" in image.text["Provenance"]
    # the real documents are untouched
    assert (ROOT / "README.md").read_text() == before


def test_toy_refuses_to_write_the_real_documents():
    with pytest.raises(SystemExit):
        make_docs.main(["run", "--toy"])


def _indices(s1: list[float]):
    import pandas as pd

    names = ["n_workers", "found_threshold", "grant_size"]
    return pd.DataFrame({
        "output": "groups_horizon", "parameter": names,
        "kind": ["lever", "uncertain", "lever"], "S1": s1, "S1_low": [x - 0.05 for x in s1],
        "S1_high": [x + 0.05 for x in s1], "ST": [0.5, 0.3, 0.01],
        "ST_low": [0.45, 0.25, 0.0], "ST_high": [0.55, 0.35, 0.02],
        "S1_resolved": [True, True, False], "ST_resolved": [True, True, False]})


def test_sobol_reading_comes_from_the_numbers():
    import pandas as pd

    noise = pd.DataFrame([{"output": "groups_horizon", "replicates": 2, "seed_share": 0.3,
                           "seed_share_low": 0.2, "seed_share_high": 0.4, "in_means": 0.1,
                           "in_means_low": 0.05, "in_means_high": 0.15, "common": 0.2,
                           "note": ""}])
    text = make_docs.sobol_reading(_indices([0.4, 0.2, 0.0]), noise)
    assert "`n_workers` matters most" in text
    assert "levers' first-order indices add up to about 40%" in text
    assert "Seed noise is 30% of a single run's variance and 10%" in text
    assert "roughly 30%, comes from their interactions" in text  # 1 - 0.6 - 0.1
    assert "`grant_size` can stay" in text
    # first-order indices adding up to more than 1 are noise: nothing is claimed from them
    noisy = make_docs.sobol_reading(_indices([0.9, 0.6, 0.0]), noise)
    assert "is not resolved" in noisy and "interactions." not in noisy
    table = make_docs.sobol_markdown(_indices([0.4, 0.2, 0.0]), pd.DataFrame([{
        "output": "groups_horizon", "widest_ST_interval": 0.1, "under_target": False,
        "unresolved": 1, "parameters": 3}]), noise)
    assert "| `n_workers` | lever |" in table and "30% [20%, 40%] of one run's" in table


def test_the_readme_gets_the_boxes_and_warnings_not_the_restrictions():
    boxes = ("| box | where |\n|---|---|\n| 1 | a |\n\nPRIM over 10 runs.\n\n"
             "| box | restriction | qp |\n|---|---|---|\n| 1 | a | 0.3 |\n\nqp: ...\n\n"
             "**Warning (box 1)**: on its own the restriction on a changes nothing.\n")
    short = make_docs.discover_summary(boxes)
    assert "| 1 | a |" in short and "PRIM over 10 runs." in short
    assert "| restriction |" not in short and "**Warning (box 1)**" in short


def test_a_resumed_posteriors_time_is_split_by_session(tmp_path):
    """A session measures only its own CPU: the block gives the rate over the runs the
    finishing session sampled, and names the earlier generations as unmeasured; a
    posterior sampled in one session gets no such sentence."""
    import pandas as pd

    pd.DataFrame({"model_runs": [9000, 13000, 20000, 30000],
                  "wall_time": [1500.0, 2400.0, 1800.0, 2700.0],
                  "population_end_time": ["2026-12-07 06:41:00", "2026-12-07 07:22:00",
                                          "2026-12-07 09:30:00", "2026-12-07 10:20:00"]}
                 ).to_csv(tmp_path / "generations.csv", index=False)
    summary = {"abc_minutes": 92.0, "total_minutes": 95.0, "cpu_minutes": 110.0,
               "abc_cpu_minutes": 100.0, "workers": 2}
    by_times = make_docs._abc_time(summary, tmp_path)
    by_fields = make_docs._abc_time({**summary, "session_generations": 2,
                                     "session_model_runs": 50000}, tmp_path)
    assert by_times == by_fields
    assert by_times.startswith("140 min of sampling on the clock with 2 workers; 100.0 CPU "
                               "min of sampling (0.120 CPU s a run) for the 2 generations "
                               "(50,000 runs)")
    assert "first 2 (22,000 runs)" in by_times and "about 44 CPU min" in by_times
    assert "earlier sessions" in by_times and "2.4 CPU hours in all" in by_times
    whole = make_docs._abc_time({**summary, "session_generations": 4}, tmp_path)
    assert whole.endswith("(0.083 CPU s a run), 110.0 CPU min in all.")
    none = make_docs._abc_time({**summary, "session_generations": 0}, tmp_path)
    assert none.endswith("CPU not measured: every generation was sampled in sessions that "
                         "were stopped, then resumed from the history; at most 4.7 CPU hours "
                         "(the clock's time × workers, any pause included).")


def test_the_last_step_of_epsilon_is_measured_against_the_priors(tmp_path):
    """The block says how far the posterior moved from the last generation but one to the
    last, as a share of the prior's width, and which parameter moved most."""
    import numpy as np
    import pandas as pd

    values = np.linspace(0.0, 1.0, 101)
    frame = pd.concat([pd.DataFrame({"generation": g, "a": values + shift, "b": values,
                                     "weight": 1.0}) for g, shift in ((0, 0.0), (1, 0.1))])
    frame.to_csv(tmp_path / "particles.csv", index=False)
    pd.DataFrame({"generation": [0, 1], "epsilon": [1.0, 0.5]}).to_csv(
        tmp_path / "generations.csv", index=False)
    text = make_docs._settled(tmp_path, {"a": [0.0, 2.0], "b": [0.0, 1.0]})
    assert "(ε 1) to the last (ε 0.5)" in text
    assert "no median moved more than 5.0% of its prior's width (`a`)" in text
    assert "no end of a 95% interval more than 5.0% (`a`)" in text
