"""A foundation's portfolio (``sprout portfolio``): bad files refused like every input, a
tiny portfolio evaluated end to end (intervals in range, paired seeds, resumable), the
search keeping to the budget and the staff, and the funding strategies as a portfolio of
one community. Communities are tiny (150-250 residents, a few weeks) so that this stays fast.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from test_bad_inputs import assert_clean_refusal

from simulation.cli import main
from simulation.experiments import portfolio as pf
from simulation.experiments import portfolio_figures as pfig
from simulation.experiments import portfolio_runs as pr

TINY = """name = "tiny"
seed = 5
[portfolio]
budget = 200000
staff = 4
project_weeks = 6
horizon_weeks = 4
[evaluation]
draws = 3
seeds = 2
[search]
draws = 3
seeds = 1
nfe = 200
recheck_draws = 2
recheck_seeds = 1
candidates = 3
[levers]
n_workers = 1
infiltration_weeks = 2
[[community]]
name = "A"
n_residents = 150
committee_support = 0.8
[[community]]
name = "B"
n_residents = 250
committee_support = 0.3
neighbour_familiarity = 0.4
initiative_shape_b = 3.0
[community.levers]
n_workers = 2
"""

SEARCH = TINY.replace("n_workers = 1\n", "n_workers = [0, 1, 2]\n").replace(
    "[community.levers]\nn_workers = 2\n", "").replace("budget = 200000", "budget = 25000")

BAD: dict[str, str] = {
    "no_portfolio": TINY.replace("[portfolio]\nbudget = 200000\nstaff = 4\n", ""),
    "no_budget": TINY.replace("budget = 200000\n", ""),
    "budget_negative": TINY.replace("budget = 200000", "budget = -5"),
    "budget_nan": TINY.replace("budget = 200000", "budget = nan"),
    "budget_text": TINY.replace("budget = 200000", "budget = 'lots'"),
    "staff_float": TINY.replace("staff = 4", "staff = 4.0"),
    "portfolio_unknown": TINY.replace("staff = 4", "staff = 4\nstaf = 3"),
    "top_unknown": "colour = 1\n" + TINY,
    "top_parameter": "n_workers = 2\n" + TINY,
    "lever_unknown": TINY.replace("n_workers = 1\n", "n_wokers = 1\n"),
    "lever_condition": TINY.replace("n_workers = 1\n", "n_workers = 1\ncommittee_support = 0.5\n"),
    "lever_range": TINY.replace("n_workers = 1\n", "n_workers = 99\n"),
    "lever_float_int": TINY.replace("n_workers = 1\n", "n_workers = 1.0\n"),
    "lever_twice": TINY.replace("n_workers = 1\n", "n_workers = [1, 1]\n"),
    "lever_table": TINY.replace("n_workers = 1\n", "n_workers = { a = 1 }\n"),
    "calibrated_condition": TINY.replace('name = "A"\n', 'name = "A"\nfound_threshold = 0.1\n'),
    "lever_in_community": TINY.replace('name = "A"\n', 'name = "A"\nn_workers = 2\n'),
    "condition_unknown": TINY.replace('name = "A"\n', 'name = "A"\ncomittee = 0.5\n'),
    "condition_range": TINY.replace("committee_support = 0.8", "committee_support = 1.8"),
    "community_no_name": TINY.replace('name = "A"\n', ""),
    "community_twice": TINY.replace('name = "B"', 'name = "A"'),
    "community_slash": TINY.replace('name = "A"', 'name = "a/b"'),
    "no_community": TINY.split("[[community]]")[0],
    "network_and_residents": TINY.replace("n_residents = 150\n",
                                          "n_residents = 150\nnetwork_file = 'x.edgelist'\n"),
    "network_missing": TINY.replace("n_residents = 150\n", "network_file = 'nowhere.edgelist'\n"),
    "too_many_residents": TINY.replace("n_residents = 150", "n_residents = 5000000"),
    "draws_zero": TINY.replace("draws = 3\nseeds = 2", "draws = 0\nseeds = 2"),
    "percentile": TINY.replace("candidates = 3", "candidates = 3\npercentile = 90"),
    "stall_cap": TINY.replace("candidates = 3", "candidates = 3\nmax_stall_risk = 2"),
    "staff_short": TINY.replace("staff = 4", "staff = 2"),
    "search_staff_short": SEARCH.replace("n_workers = [0, 1, 2]", "n_workers = [1, 2]").replace(
        "staff = 4", "staff = 1"),
    "options_too_many": TINY.replace(
        "n_workers = 1\n", "n_workers = [1, 2, 3, 4, 5, 6, 7, 8]\n"
        "grant_size = [100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0]\n"
        "infiltration_weeks = [1, 2, 3, 4, 5]\n"),
    "not_toml": "[portfolio\n",
    "posterior_missing": TINY.replace("staff = 4", "staff = 4\nposterior = 'nowhere'"),
}


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    inputs, work = tmp_path / "in", tmp_path / "work"
    inputs.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    return inputs, work


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_portfolio_file_is_refused_in_one_line(case, folders, capsys):
    inputs, work = folders
    path = inputs / f"{case}.toml"
    path.write_text(BAD[case], encoding="utf-8")
    args = ["portfolio", str(path), "--no-pdf"] + (["--search"] if "search" in case else [])
    code = main(args)
    err = capsys.readouterr().err
    assert_clean_refusal(args, code, err, work)
    assert str(path) in err or case == "not_toml", err


def test_refusals_name_the_key_and_what_is_allowed(folders):
    inputs, _ = folders
    messages = {}
    for case in ("lever_unknown", "lever_range", "calibrated_condition", "staff_short",
                 "condition_unknown", "budget_negative"):
        path = inputs / f"{case}.toml"
        path.write_text(BAD[case], encoding="utf-8")
        with pytest.raises(pf.PortfolioError) as caught:
            pf.load(path)
        messages[case] = str(caught.value)
    assert "levers.n_wokers" in messages["lever_unknown"] and "levers:" in messages[
        "lever_unknown"]
    assert "an integer from 0 to 50" in messages["lever_range"]
    assert "found_threshold" in messages["calibrated_condition"]
    assert "posterior" in messages["calibrated_condition"]
    assert "portfolio.staff" in messages["staff_short"]
    assert "did you mean 'committee_support'" in messages["condition_unknown"]
    assert "portfolio.budget" in messages["budget_negative"]


@pytest.mark.parametrize("extra, tiny", [
    (["--search"], TINY),             # every lever fixed: nothing to search
    ([], SEARCH),                      # levers left as lists: --search needed
    (["--nfe", "500"], TINY),         # --nfe goes with --search
    (["--within-domain"], TINY),
])
def test_options_that_do_not_fit_the_file_are_refused(extra, tiny, folders, capsys):
    inputs, work = folders
    path = inputs / "p.toml"
    path.write_text(tiny, encoding="utf-8")
    args = ["portfolio", str(path), "--no-pdf", *extra]
    code = main(args)
    assert_clean_refusal(args, code, capsys.readouterr().err, work)


def _stored_runs(out: Path) -> pd.DataFrame:
    from simulation.experiments.store import load_results

    frames = []
    for meta in sorted((out / "runs" / "evaluate").glob("*/metadata.json")):
        runs = load_results(meta.parent).runs
        frames.append(runs.assign(folder=meta.parent.name))
    return pd.concat(frames, ignore_index=True)


def test_a_tiny_portfolio_end_to_end(folders, capsys):
    inputs, work = folders
    path = inputs / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    out = work / "out"
    assert main(["portfolio", str(path), "--out", str(out), "--workers", "1", "--no-pdf",
                 "--quiet"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed[0].startswith("Allocation: fund 2 of 2 communities with 3 of 4")
    assert printed[1].startswith("Buys ") and printed[2].startswith("Assumes ")
    table = pd.read_csv(out / "evaluation.csv")
    assert list(table["community"]) == ["A", "B", "total"]
    for figure in ("groups_project_end", "groups_horizon", "cost_total", "added_groups"):
        assert (table[f"{figure}_low"] <= table[figure] + 1e-9).all(), figure
        assert (table[figure] <= table[f"{figure}_high"] + 1e-9).all(), figure
    assert ((table["stall"] >= 0) & (table["stall"] <= 1)).all()
    assert ((table["stall_low"] <= table["stall"]) & (table["stall"] <= table["stall_high"])).all()
    assert (table["realisations"] == 6).all()
    total = table.iloc[-1]
    assert math.isclose(total["cost_total"], table["cost_total"].iloc[:2].sum(), rel_tol=1e-9)
    assert math.isclose(total["groups_horizon"], table["groups_horizon"].iloc[:2].sum(),
                        rel_tol=1e-9)
    meta = json.loads((out / "portfolio.json").read_text())
    assert meta["checks"]["staff_used"] == 3 and meta["checks"]["within_budget"]
    assert (out / "brief.en.html").exists() and (out / "brief.zh.html").exists()
    assert "两年后" in (out / "brief.zh.html").read_text(encoding="utf-8")

    # Paired seeds: within a community the programme's and the reference's runs share
    # every (draw, seed); the two communities are separate places, on seeds of their own,
    # and every draw has seeds of its own (a particle drawn twice is two realisations).
    runs = _stored_runs(out)
    seeds = runs.groupby("folder")["seed"].apply(frozenset)
    assert len(seeds) == 2 and not (seeds.iloc[0] & seeds.iloc[1])
    for _, part in runs.groupby("folder"):
        reference = part[part["n_workers"] == 0]
        programme = part[part["n_workers"] > 0]
        assert len(reference) == len(programme) == 6
        assert sorted(reference["seed"]) == sorted(programme["seed"])
        assert reference["seed"].nunique() == 6

    # Run again: every run is stored, none is repeated.
    assert main(["portfolio", str(path), "--out", str(out), "--workers", "1", "--no-pdf",
                 "--quiet"]) == 0
    meta = json.loads((out / "portfolio.json").read_text())
    assert meta["timing"]["ran"] == 0 and meta["timing"]["stored"] == 24


def test_an_interrupted_evaluation_completes_without_repeating_runs(folders):
    inputs, work = folders
    path = inputs / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    portfolio = pf.load(path)
    choice, options = pfig.fixed_choice(portfolio)
    first, stats = pr.simulate(portfolio, "evaluate", options, portfolio.evaluation,
                               work / "runs", progress=False)
    assert stats.ran == 24
    # As if killed before community B's runs were written: its folder is gone.
    import shutil

    shutil.rmtree(next((work / "runs" / "evaluate").glob("B-*")))
    again, stats = pr.simulate(portfolio, "evaluate", options, portfolio.evaluation,
                               work / "runs", progress=False)
    assert stats.stored == 12 and stats.ran == 12
    key = ["community", "option", "draw", "replicate"]
    pd.testing.assert_frame_equal(first.sort_values(key, ignore_index=True),
                                  again.sort_values(key, ignore_index=True))


def test_the_search_keeps_to_the_budget_and_the_staff(folders, capsys):
    inputs, work = folders
    path = inputs / "search.toml"
    path.write_text(SEARCH, encoding="utf-8")
    out = work / "out"
    assert main(["portfolio", str(path), "--search", "--out", str(out), "--workers", "1",
                 "--no-pdf", "--quiet"]) == 0
    budget, staff = 25000, 4
    front = pd.read_csv(out / "front.csv")
    assert len(front) and (front["cost_p95"] <= budget).all() and (front["staff"] <= staff).all()
    candidates = pd.read_csv(out / "candidates.csv")
    assert (candidates["search_cost"].isin(front["cost"])).all()
    meta = json.loads((out / "portfolio.json").read_text())
    assert meta["mode"] == "search"
    assert meta["checks"]["cost_p95"] <= budget and meta["checks"]["staff_used"] <= staff
    # Without the budget the same options would cost more: the constraint bound.
    portfolio = pf.load(path)
    everything = {c.name: max(c.options(), key=lambda o: o["n_workers"])
                  for c in portfolio.communities}
    assert portfolio.staff_needed(everything) == 4
    # The recommendation is a portfolio file of its own, every lever fixed, within staff.
    recommended = pf.load(out / "recommended.toml")
    assert not recommended.searchable
    assert sum(c.levers["n_workers"] for c in recommended.communities) <= staff
    # Fresh seeds: the re-check's runs share no seed with the search's.
    from simulation.experiments.store import load_results

    def seeds(stage: str) -> set[int]:
        return {int(s) for f in (out / "runs" / stage).glob("*/metadata.json")
                for s in load_results(f.parent).runs["seed"]}

    assert not seeds("search") & seeds("recheck")


def test_the_funding_strategies_are_a_portfolio_of_one_community():
    from simulation.experiments.sweep import load as load_sweep

    portfolio = pf.load("portfolio_funding")
    sweep = load_sweep("funding_strategies")
    (community,) = portfolio.communities
    levers = [name for name in sweep.strategy_levers]
    assert sorted(community.choices) == sorted(levers)
    for axis in sweep.axes:
        if axis.name in levers:
            assert tuple(community.choices[axis.name]) == tuple(axis.values), axis.name
    assert len(community.options()) == 48
    assert community.conditions == {"committee_support": 0.8, "neighbour_familiarity": 0.7}


def test_the_example_is_illustrative_and_varied():
    portfolio = pf.load("portfolio_example")
    assert portfolio.illustrative and "ILLUSTRATIVE" in portfolio.description
    assert 10 <= len(portfolio.communities) <= 14
    for name in ("n_residents", "committee_support", "neighbour_familiarity"):
        assert len({c.conditions.get(name) for c in portfolio.communities}) > 3, name
    assert any("initiative_shape_b" in c.conditions for c in portfolio.communities)


def test_an_unfunded_option_counts_as_the_reference(folders):
    inputs, work = folders
    path = inputs / "search.toml"
    path.write_text(SEARCH, encoding="utf-8")
    portfolio = pf.load(path)
    options = {c.name: c.options() for c in portfolio.communities}
    assert all(not pf.funded(o[0]) for o in options.values())
    frame, _ = pr.simulate(portfolio, "evaluate", options, pf.Settings(2, 1), work / "runs",
                           progress=False)
    table, checks = pfig.figures(portfolio, frame, {"A": 0, "B": 1}, options)
    a, total = table.iloc[0], table.iloc[-1]
    assert not a["funded"] and a["added_groups"] == 0 and a["cost_total"] == 0
    assert checks["funded"] == ["B"] and checks["staff_used"] == 1
    assert total["realisations"] == 2


@pytest.mark.slow
def test_make_docs_writes_the_worked_example(tmp_path):
    from test_make_docs import make_docs

    root = make_docs.copy_docs(tmp_path / "docs-copy")
    assert make_docs.main(["portfolio", "--toy", "--root", str(root), "--workers", "2",
                           "--out", str(tmp_path / "out")]) == 0
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- begin:portfolio ")[1].split("<!-- end:portfolio -->")[0]
    assert "Recommended [ILLUSTRATIVE portfolio]: fund" in block
    assert "| **total** |" in block and "Made with `sprout portfolio" in block
    funding = (root / "docs" / "portfolio.md").read_text(encoding="utf-8")
    assert "| The case |" in funding.split("<!-- begin:portfolio-funding")[1]
    assert (root / "docs" / "images" / "portfolio_example_frontier.png").exists()


def test_within_domain_offers_only_what_the_calibration_covered(folders):
    from simulation.experiments.portfolio_search import restrict_to_domain

    inputs, _ = folders
    path = inputs / "domain.toml"
    path.write_text(SEARCH.replace("n_workers = [0, 1, 2]", "n_workers = [0, 2, 3]")
                    .replace("n_residents = 150", "n_residents = 5000")
                    .replace("project_weeks = 6\nhorizon_weeks = 4\n", "")
                    .replace("infiltration_weeks = 2", "infiltration_weeks = [4, 17]"),
                    encoding="utf-8")
    portfolio = pf.load(path)
    kept, dropped = restrict_to_domain(portfolio)
    # A: the case's size; only 3 workers were calibrated (2 is outside), both infiltrations
    # were validated (one month and four).
    assert [o["n_workers"] for o in kept["A"]] == [0, 3, 3]
    assert dropped["A"] == 2
    # B: 250 residents lie outside the domain whatever the levers: not funded.
    assert [o["n_workers"] for o in kept["B"]] == [0] and dropped["B"] == 4


def test_a_stall_risk_ceiling_binds_the_search_and_the_recommendation(folders):
    from simulation.experiments import portfolio_search as ps

    inputs, work = folders
    path = inputs / "search.toml"
    # Tiny communities stall whenever they are funded: under a ceiling of 0 only leaving
    # them unfunded is allowed.
    path.write_text(SEARCH.replace("candidates = 3", "candidates = 3\nmax_stall_risk = 0.0"),
                    encoding="utf-8")
    portfolio = pf.load(path)
    assert portfolio.search.max_stall_risk == 0.0
    result = ps.search(portfolio, work / "runs", progress=False)
    assert (result.front["stall_risk"] <= 0).all()
    chosen = result.candidates.iloc[result.recommended]
    assert chosen["stall_risk"] <= 0 and chosen["within_stall_risk"]


def test_dask_gives_the_process_pools_runs(folders, dask_in_process):
    inputs, work = folders
    path = inputs / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    portfolio = pf.load(path)
    _, options = pfig.fixed_choice(portfolio)
    settings = pf.Settings(2, 1)
    pool, _ = pr.simulate(portfolio, "evaluate", options, settings, work / "pool",
                          progress=False)
    dask, stats = pr.simulate(portfolio, "evaluate", options, settings, work / "dask",
                              workers=1, dask=dask_in_process, progress=False)
    assert stats.ran == 8 and stats.failed == 0
    key = ["community", "option", "draw", "replicate"]
    pd.testing.assert_frame_equal(pool.sort_values(key, ignore_index=True),
                                  dask.sort_values(key, ignore_index=True))


def test_brief_command_names_paths_as_a_reader_retypes_them(tmp_path, monkeypatch):
    """The brief's "how it was made" line gives paths under the working folder relative
    to it, and leaves paths elsewhere as they were given."""
    import argparse

    from simulation.experiments.portfolio_command import _command

    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(file=str(tmp_path / "experiments" / "p.toml"), search=True,
                              within_domain=False, no_pdf=False, draws=None, seeds=None,
                              nfe=None, out="/elsewhere/out")
    assert _command(args) == "sprout portfolio experiments/p.toml --search --out /elsewhere/out"
