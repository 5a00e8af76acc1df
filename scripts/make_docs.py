"""Regenerate every published figure and table in README.md and docs/, with provenance.

    python scripts/make_docs.py                  # everything (hours: see --list)
    python scripts/make_docs.py run compare      # some targets
    python scripts/make_docs.py --list           # targets, the commands they stand for, cost
    python scripts/make_docs.py --check          # every marker in place? (no runs)
    python scripts/make_docs.py --toy --root DIR # tiny sizes into a copy of the docs (tests)

Each target runs the ``sprout`` command it stands for (results under ``out/docs/``; sweeps,
sensitivity samples and the ABC history are resumed, so a second call reuses finished
runs), then rewrites the tables between its marker comments in the Markdown::

    <!-- begin:compare (python scripts/make_docs.py compare) -->
    ...generated; do not edit by hand...
    <!-- end:compare -->

with a provenance line under each table (the command, commit and dirty flag, Python and
library versions, CPU and its SIMD path, platform, date), and copies its figures into
``docs/images/`` with the same provenance in the PNG's text chunks. ``docs/provenance.json``
keeps, per target, the full provenance record and the files written.

The screenshots of the workshop page (``docs/images/workshop*.png``) are made by the
browser tests (``pytest tests/browser``), not here.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: use this checkout's package
    sys.path.insert(0, str(ROOT))

COMPARE_SCENARIOS = ("baseline", "no_infiltration", "one_month_infiltration", "no_grants",
                     "grants_only", "no_demonstrations", "no_pioneer_support", "weak_community",
                     "double_grant", "no_programme")
SEEDS = 30
DISCOVER_TARGET = "groups_horizon>=25"
TOY = {"n_residents": 400, "horizon_weeks": 8}
"""Sizes of ``--toy`` (a smoke test of the machinery, not results)."""

MARKER = re.compile(r"(<!-- begin:(?P<name>[\w-]+)[^>]*-->)(?P<body>.*?)(<!-- end:(?P=name) -->)",
                    re.DOTALL)


class DocsError(Exception):
    """A marker missing from a document, or a target that cannot run."""


@dataclass
class Context:
    """Where to write, how big, and what was written."""

    root: Path
    out: Path
    workers: int
    toy: bool
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def images(self) -> Path:
        return self.root / "docs" / "images"

    def sets(self) -> list[str]:
        """``--set`` arguments of the toy size (none at full size)."""
        return [a for k, v in TOY.items() for a in ("--set", f"{k}={v}")] if self.toy else []

    def seeds(self, full: int) -> int:
        return 3 if self.toy else full


@dataclass(frozen=True)
class Target:
    name: str
    command: str
    cost: str
    make: Callable[[Context], dict[str, Any]]


TARGETS: dict[str, Target] = {}


def target(name: str, command: str, cost: str):
    def register(function: Callable[[Context], dict[str, Any]]):
        TARGETS[name] = Target(name, command, cost, function)
        return function
    return register


# --- writing blocks and images ----------------------------------------------------------------

def provenance_line(command: str) -> str:
    from simulation.provenance import line

    return f"_{line(command=command)}_"


def replace_block(text: str, name: str, body: str, source: str = "") -> str:
    """``text`` with the content between ``name``'s markers replaced by ``body``."""
    found = False

    def swap(match: re.Match) -> str:
        nonlocal found
        if match.group("name") != name:
            return match.group(0)
        found = True
        return f"{match.group(1)}\n{body.strip()}\n{match.group(4)}"

    new = MARKER.sub(swap, text)
    if not found:
        raise DocsError(f"{source or 'document'}: no <!-- begin:{name} --> ... "
                        f"<!-- end:{name} --> markers")
    return new


def blocks(text: str) -> list[str]:
    """The names of the marked blocks in ``text``."""
    return [m.group("name") for m in MARKER.finditer(text)]


def write_block(ctx: Context, document: str, name: str, body: str, command: str) -> None:
    """Rewrite block ``name`` of ``document`` (relative to the root) with ``body`` and the
    provenance line."""
    path = ctx.root / document
    text = path.read_text(encoding="utf-8")
    path.write_text(replace_block(text, name, f"{body.strip()}\n\n{provenance_line(command)}",
                                  str(path)), encoding="utf-8")
    ctx.record.setdefault("files", []).append(f"{document}#{name}")


def publish_image(ctx: Context, source: Path, name: str, command: str) -> Path:
    """Copy a figure into docs/images/ with the command and provenance in its text chunks."""
    from PIL import Image, PngImagePlugin

    from simulation.provenance import line

    ctx.images.mkdir(parents=True, exist_ok=True)
    target = ctx.images / name
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Sprout (python scripts/make_docs.py)")
    info.add_text("Command", command)
    info.add_text("Provenance", line(command=command))
    with Image.open(source) as image:
        image.save(target, pnginfo=info)
    ctx.record.setdefault("files", []).append(str(target.relative_to(ctx.root)))
    return target


def _cli(args: list[str]) -> str:
    """Run ``sprout ARGS`` in this process; return what it printed."""
    from simulation.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(args)
    if status:
        raise DocsError(f"sprout {' '.join(args)} exited with status {status}")
    return buffer.getvalue()


def _toy_file(ctx: Context, name: str, changes: dict[str, str]) -> Path:
    """A copy of ``experiments/NAME.toml`` shrunk for ``--toy``."""
    import tomllib

    text = (ROOT / "experiments" / f"{name}.toml").read_text()
    varied = tomllib.loads(text).get("vary", {})
    for pattern, value in changes.items():
        text = re.sub(pattern, value, text, flags=re.MULTILINE)
    text += "\n[set]\n" + "".join(f"{k} = {v}\n" for k, v in TOY.items() if k not in varied)
    path = ctx.out / "toy-files" / f"{name}.toml"  # alone: "baseline" resolves to scenarios/
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- the targets ----------------------------------------------------------------------------------

@target("run", f"sprout run --seeds {SEEDS}", "~1 min on 2 cores")
def make_run(ctx: Context) -> dict[str, Any]:
    out = ctx.out / "baseline"
    n = ctx.seeds(SEEDS)
    text = _cli(["run", "--seeds", str(n), "--out", str(out), "--overwrite", "--workers",
                 str(ctx.workers), *ctx.sets()])
    # The command as a reader would type it, with the folder it names.
    shown = text.replace(str(out), f"out/baseline{n}")
    command = (f"sprout run --seeds {n} --out out/baseline{n}"
               + (" (toy size)" if ctx.toy else ""))
    write_block(ctx, "README.md", "run", f"```\n$ {command}\n{shown.rstrip()}\n```", command)
    publish_image(ctx, out / "groups_over_time.png", "baseline_groups.png", command)
    summary = json.loads((out / "summary.json").read_text())["summary"]
    write_block(ctx, "docs/ODD.md", "phases", phases_table(summary, n), command)
    return {"command": command}


PHASE_FIGURES: tuple[tuple[str, str], ...] = (
    ("resident_initiated_share_infiltration", "infiltration (weeks 0–16)"),
    ("resident_initiated_share_mobilisation", "after the announcement, before the first "
                                              "demonstration"),
    ("resident_initiated_share_demonstrations", "after the first demonstration"),
    ("mutual_aid_share_infiltration", "end of the infiltration"),
    ("mutual_aid_share_end", "project end (week 52)"),
    ("mutual_aid_share_horizon", "horizon (week 156)"),
    ("affairs_share_infiltration", "end of the infiltration"),
    ("affairs_share_end", "project end (week 52)"),
    ("affairs_share_horizon", "horizon (week 156)"),
    ("contacts_per_year_after", "after the project"),
    ("project_groups_dissolved_share", "after the project"),
    ("project_groups_registered_share", "after the project"),
    ("founded_after_project", "after the project"),
)
"""The case's sequence by phase: each figure (``simulation.figures``) and its phase."""


def phases_table(summary: dict[str, Any], runs: int) -> str:
    """The case's sequence in the baseline's runs: who initiated and what groups are for, by
    phase, and what follows the project (every number from the runs' summary)."""
    from simulation import figures

    lines = ["| figure | phase | mean [95% interval of the mean] | 2.5–97.5% of runs |",
             "|---|---|---|---|"]
    for name, phase in PHASE_FIGURES:
        s = summary.get(name) or {}
        f = figures.by_name(name)
        if s.get("mean") is None:
            lines.append(f"| {f.label()} | {phase} | - | - |")
            continue
        lines.append(f"| {f.label()} | {phase} | {f.format(s['mean'])} [{f.format(s['low'])}, "
                     f"{f.format(s['high'])}] | {f.format(s['runs_low'])}–"
                     f"{f.format(s['runs_high'])} |")
    lines += ["", f"Baseline, {runs} seeds. A run with no group founded in a phase has no "
              "share for it and is left out of that phase's mean; - where no run founded one "
              "(nothing is on offer during the infiltration)."]
    return "\n".join(lines)


COMPARE_DRAWS, COMPARE_SEEDS_PER_DRAW = 30, 4
POSTERIOR_CURRENT = True
"""Whether the stored posterior (experiments/calibration/abc) was made on this model: set it
once ``make_docs.py abc`` has remade it. Until then the README's comparison runs at the
calibrated point (``--point``) and the held-out patterns are not judged under a posterior
fitted to an earlier model."""


@target("compare", f"sprout compare {' '.join(COMPARE_SCENARIOS)} --draws {COMPARE_DRAWS} "
        f"--seeds {COMPARE_SEEDS_PER_DRAW}",
        "1,200 runs: ~6 CPU-min; also the ODD's held-out patterns under the posterior")
def make_compare(ctx: Context) -> dict[str, Any]:
    import pandas as pd

    from simulation.experiments import posterior_compare

    if not (POSTERIOR_CURRENT or ctx.toy):
        return _compare_at_point(ctx)
    out = ctx.out / "compare"
    draws = 3 if ctx.toy else COMPARE_DRAWS
    per = 2 if ctx.toy else COMPARE_SEEDS_PER_DRAW
    source = ["--posterior", str(_abc_dir(ctx))] if ctx.toy else []
    _cli(["compare", *COMPARE_SCENARIOS, "--draws", str(draws), "--seeds", str(per),
          *source, "--out", str(out), "--overwrite", "--workers", str(ctx.workers),
          *ctx.sets()])
    command = (f"sprout compare {' '.join(COMPARE_SCENARIOS)} --draws {draws} --seeds {per}"
               + (" (toy size)" if ctx.toy else ""))
    text = (out / "compare_posterior.md").read_text()
    if ctx.toy:
        text = text.replace(str(_abc_dir(ctx)), "experiments/calibration/abc")
    write_block(ctx, "README.md", "compare", text, command)
    publish_image(ctx, out / "compare_groups.png", "compare_groups.png", command)
    runs = pd.read_csv(out / "runs.csv")
    accepted = json.loads((ROOT / "experiments" / "calibration" / "accepted.json").read_text())
    held = posterior_compare.held_out_markdown(
        posterior_compare.held_out_under_posterior(runs),
        accepted.get("held_out_patterns", {}), draws, per)
    write_block(ctx, "docs/ODD.md", "held-out-posterior", held, command)
    return {"command": command}


@target("params", "sprout params --markdown", "seconds")
def make_params(ctx: Context) -> dict[str, Any]:
    command = "sprout params --markdown"
    write_block(ctx, "docs/ODD.md", "params", _cli(["params", "--markdown"]), command)
    return {"command": command}


def _funding_dir(ctx: Context) -> tuple[Path, str]:
    out = ctx.out / "funding_strategies"
    file = (_toy_file(ctx, "funding_strategies", {r"^replicates = \d+": "replicates = 2",
                                                     r"^draws = \d+": "draws = 1"})
            if ctx.toy else ROOT / "experiments" / "funding_strategies.toml")
    _cli(["sweep", str(file), "--out", str(out), "--workers", str(ctx.workers), "--resume",
          "--quiet", "--report"])
    return out, "sprout sweep experiments/funding_strategies.toml --report"


def funding_findings(effects: Any, incremental: Any = None) -> str:
    """What the funding sweep says, lever by lever, ranked by how far each moves the groups
    alive at the horizon (every number from the sweep's ``effects.csv`` and
    ``effects_incremental.csv``: means over all other levers, conditions and replicates)."""
    added = {} if incremental is None else {
        (str(r.parameter), str(r.level)): r for r in incremental.itertuples()}
    rows = []
    for name, frame in effects.groupby("parameter", sort=False):
        groups = frame[frame["figure"] == "groups_horizon"].set_index("level")["mean"]
        if len(groups) < 2:
            continue
        spread = float(groups.max() - groups.min())
        parts = []
        for level, value in groups.items():
            text = f"{level}: {value:.1f}"
            extra = added.get((name, str(level)))
            if extra is not None:
                text += (f" ({extra.icer_text} yuan per additional group)"
                         if extra.effect == "yes" else " (no effect)")
            parts.append(text)
        rows.append((spread, f"- **{name}** (a spread of {spread:.1f} groups) — groups "
                             f"alive at the horizon {'; '.join(parts)}."))
    rows.sort(key=lambda r: -r[0])
    return ("Levers and conditions ranked by how far they move the groups alive at the "
            "horizon, with the cost per *additional* group alive against the same community "
            "with no programme (mean over every other lever, condition and replicate [95% "
            "bootstrap interval]; the tables above give the other intervals):\n\n"
            + "\n".join(text for _, text in rows))


@target("funding", "sprout sweep experiments/funding_strategies.toml --report",
        "2,304 runs (6 posterior draws x 2 seeds a point): ~10-20 min on 2 cores")
def make_funding(ctx: Context) -> dict[str, Any]:
    out, command = _funding_dir(ctx)
    effects = (out / "effects.md").read_text()
    strategies = (out / "strategies.md").read_text()
    for document in ("README.md", "docs/experiments.md"):
        write_block(ctx, document, "funding-effects", effects, command)
    write_block(ctx, "docs/experiments.md", "funding-strategies", strategies, command)
    import pandas as pd

    incremental = out / "effects_incremental.csv"
    findings = funding_findings(pd.read_csv(out / "effects.csv"),
                                pd.read_csv(incremental) if incremental.exists() else None)
    for document in ("README.md", "docs/experiments.md"):
        if "funding-findings" in blocks((ctx.root / document).read_text(encoding="utf-8")):
            write_block(ctx, document, "funding-findings", findings, command)
    for name in ("frontier", "ranks", "effects"):
        publish_image(ctx, out / "figures" / f"{name}.png", f"funding_{name}.png", command)
    meta = json.loads((out / "metadata.json").read_text())
    sessions = meta.get("sessions", [])
    return {"command": command, "runs": meta.get("done"), "failed": meta.get("failed"),
            "sessions": [{k: s.get(k) for k in ("started", "ended", "workers", "ran")}
                         for s in sessions]}


@target("discover", f'sprout discover out/funding_strategies --target "{DISCOVER_TARGET}"',
        "~1-2 min (after funding: its 2,304 runs, ~12 CPU-min, are resumed or run)")
def make_discover(ctx: Context) -> dict[str, Any]:
    out, _ = _funding_dir(ctx)
    _cli(["discover", str(out), "--target", DISCOVER_TARGET])
    command = f'sprout discover out/funding_strategies --target "{DISCOVER_TARGET}"'
    boxes = (out / "discovery" / "boxes.md").read_text()
    write_block(ctx, "docs/experiments.md", "discover", boxes, command)
    write_block(ctx, "README.md", "discover", discover_summary(boxes), command)
    publish_image(ctx, out / "discovery" / "discovery.png", "funding_discovery.png", command)
    publish_image(ctx, out / "discovery" / "trajectory.png", "funding_trajectory.png",
                  command)
    found = json.loads((out / "discovery" / "discovery.json").read_text())
    return {"command": command, "boxes": len(found["boxes"]),
            "warnings": [w for b in found["boxes"] for w in b.get("warnings", [])]}


def discover_summary(boxes: str) -> str:
    """The boxes' table and their warnings, without the table of restrictions (the
    README's short version of ``boxes.md``; docs/experiments.md has it whole)."""
    head, _, rest = boxes.partition("| box | restriction |")
    warnings = [line for line in rest.splitlines() if line.startswith("**Warning")]
    return head.rstrip() + ("\n\n" + "\n\n".join(warnings) if warnings else "") + (
        "\n\nEach restriction's quasi-p-value, resampling stability and effect on its own: "
        "[docs/experiments.md](docs/experiments.md#where-the-target-holds-scenario-discovery).")


def _sensitivity(ctx: Context, name: str, method: str) -> tuple[Path, str]:
    out = ctx.out / name
    file = (_toy_file(ctx, name, {r"^sobol_samples = \d+": "sobol_samples = 4",
                                  r"^morris_trajectories = \d+": "morris_trajectories = 2"})
            if ctx.toy else ROOT / "experiments" / f"{name}.toml")
    _cli(["sensitivity", str(file), "--method", method, "--out", str(out), "--workers",
          str(ctx.workers), "--resume", "--quiet"])
    return out / method, f"sprout sensitivity experiments/{name}.toml --method {method}"


def _true(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1")


def sobol_factors(factors) -> str:
    """The factors: lever or uncertain, the range, and where the range comes from."""
    origin = {"posterior": "stored ABC posterior, 95% interval",
              "options": "the programme's options, equal chance each",
              "range": "uniform range of the file", "calibration": "calibration range"}
    lines = ["| factor | kind | range | from |", "|---|---|---|---|"]
    for _, r in factors.iterrows():
        lines.append(f"| `{r['parameter']}` | {r['kind']} | {r['range']} | "
                     f"{origin.get(r['origin'], r['origin'])} |")
    return "\n".join(lines)


def seed_line(noise, output: str) -> str:
    """The seed-noise share of one output, in words."""
    import math

    if noise is None or output not in set(noise["output"]):
        return ""
    r = noise[noise["output"] == output].iloc[0]
    if not math.isfinite(float(r["seed_share"])):
        return f"Seed noise: not estimated ({r['note']})."
    return (f"Seed noise (run-to-run chance, same seeds on every row): {r['seed_share']:.0%} "
            f"[{r['seed_share_low']:.0%}, {r['seed_share_high']:.0%}] of one run's variance; "
            f"{r['in_means']:.0%} [{r['in_means_low']:.0%}, {r['in_means_high']:.0%}] of the "
            f"variance of the {int(r['replicates'])}-replicate means that the indices split "
            f"(the seed's effect common to every row, {r['common']:.0%} of the within-row "
            f"variance, rests on {int(r['replicates'])} seeds: the intervals cover the rows' "
            "sampling, not the seeds').")


def sobol_markdown(indices, resolution, noise=None) -> str:
    """Sobol indices with their bootstrap intervals, most influential first, each factor's
    kind, and the seed-noise share."""
    import numpy as np

    from simulation.figures import label

    lines = []
    for output, table in indices.groupby("output", sort=False):
        lines += [f"**{label(output)}**", "",
                  "| parameter | kind | first order S1 [95%] | total ST [95%] | resolves |",
                  "|---|---|---|---|---|"]
        for _, r in table.sort_values("ST", ascending=False).iterrows():
            why = [w for w, bad in (("S1 negative", r["S1"] < 0),
                                    ("S1 interval wider than S1",
                                     r["S1"] >= 0 and not _true(r["S1_resolved"])),
                                    ("ST interval wider than ST", not _true(r["ST_resolved"])))
                   if bad]
            ok = "yes" if not why else "no: " + "; ".join(why)
            lines.append(f"| `{r['parameter']}` | {r.get('kind', '')} | {r['S1']:.3f} "
                         f"[{r['S1_low']:.3f}, {r['S1_high']:.3f}] | {r['ST']:.3f} "
                         f"[{r['ST_low']:.3f}, {r['ST_high']:.3f}] | {ok} |")
        row = resolution[resolution["output"] == output].iloc[0]
        widest = float(row["widest_ST_interval"])
        # Interval widths shrink as 1/sqrt(N): the factor by which N must grow, rounded up
        # to Saltelli's powers of two.
        factor = 2 ** max(0, int(np.ceil(np.log2((widest / 0.1) ** 2))))
        lines += ["", f"Widest total-order interval {widest:.3f} "
                      f"({'under' if row['under_target'] else 'NOT under'} 0.1"
                      + ("" if row["under_target"] else
                         f"; about {factor}× the sample's N would bring it under") + "); "
                      f"{row['unresolved']} of {row['parameters']} parameters do not resolve. "
                      + seed_line(noise, output), ""]
    return "\n".join(lines)


def sobol_reading(indices, noise=None) -> str:
    """The Sobol result in plain words, from the indices and the seed noise (no number
    typed by hand)."""
    import math

    from simulation.figures import label

    lines = []
    for output, table in indices.groupby("output", sort=False):
        table = table.sort_values("ST", ascending=False)
        top = table.iloc[0]
        small = table[table["ST_high"] < 0.05]["parameter"].tolist()
        first = float(table["S1"].clip(lower=0).sum())
        text = (f"- **{label(output)}**: `{top['parameter']}` matters most — knowing it exactly "
                f"would remove about {top['ST']:.0%} of the variation — followed by "
                + ", ".join(f"`{r['parameter']}` ({r['ST']:.0%})" for _, r in
                            table.iloc[1:4].iterrows()) + ".")
        sure = 0 <= first <= 1 and bool(table["S1_resolved"].map(_true).sum() >= 1)
        if "kind" in table:
            levers = table[table["kind"] == "lever"]
            uncertain = table[table["kind"] != "lever"]
            if len(levers) and len(uncertain):
                best = levers.iloc[0]
                text += f" Among the programme's levers `{best['parameter']}` matters most " \
                        f"(total {best['ST']:.0%})"
                text += (f"; the levers' first-order indices add up to about "
                         f"{levers['S1'].clip(lower=0).sum():.0%}, the uncertain parameters' "
                         f"to about {uncertain['S1'].clip(lower=0).sum():.0%}." if sure else ".")
        row = None
        if noise is not None and output in set(noise["output"]):
            row = noise[noise["output"] == output].iloc[0]
        seeds = row is not None and math.isfinite(float(row["seed_share"]))
        if seeds:
            text += (f" Seed noise is {row['seed_share']:.0%} of a single run's variance and "
                     f"{row['in_means']:.0%} of that of the {int(row['replicates'])}-replicate "
                     "means the indices split.")
        if sure:
            text += f" The factors on their own explain about {first:.0%}"
            text += (f"; the rest, roughly {max(0.0, 1 - first - float(row['in_means'])):.0%}, "
                     "comes from their interactions." if seeds else
                     "; the rest comes from their interactions and from run-to-run chance "
                     "(one run per point: the two cannot be told apart).")
        else:
            text += (f" The first-order indices add up to {first:.0%}, which sampling noise "
                     "alone explains at this N: how much the factors explain on their own, "
                     "and how much only together, is not resolved.")
        widest = float((table["ST_high"] - table["ST_low"]).max())
        if widest >= 0.1:
            text += (f" At this N the intervals are wide (the widest total-order interval "
                     f"spans {widest:.2f}): read the ranking of the clearly separated factors, "
                     "not the digits.")
        if small:
            text += (" Within their ranges " + ", ".join(f"`{n}`" for n in small)
                     + " can stay at the assumed value: even the upper end of the total "
                     "index's interval is under 5%.")
        # A total effect that is sure while the effect alone may be nil: it works only
        # together with other parameters.
        joint = table[(table["S1_low"] <= 0) & (table["S1_high"] < table["ST_low"])
                      & (table["ST_low"] > 0.05)]["parameter"].tolist()
        if joint:
            text += (" " + ", ".join(f"`{n}`" for n in joint)
                     + (" matters" if len(joint) == 1 else " matter")
                     + " only together with the others: alone, no effect can be told from "
                     "zero (first-order interval includes 0), and even the upper end of that "
                     "interval lies below the lower end of the total index's.")
        lines.append(text)
    return "\n".join(lines)


@target("sobol", "sprout sensitivity experiments/sobol.toml --method sobol",
        "N (k + 2) x R runs: 3,690 distinct of 4,096 at N = 128, k = 14, R = 2 — "
        "16 CPU-min (45 min on a loaded 2-core machine, --workers 1)")
def make_sobol(ctx: Context) -> dict[str, Any]:
    import pandas as pd

    out, command = _sensitivity(ctx, "sobol", "sobol")
    indices = pd.read_csv(out / "indices.csv", keep_default_na=False, na_values=[""])
    indices["note"] = indices["note"].fillna("")
    resolution = pd.read_csv(out / "resolution.csv")
    noise = pd.read_csv(out / "seed_noise.csv", keep_default_na=False, na_values=[""])
    factors = pd.read_csv(out / "factors.csv")
    meta = json.loads((out / "metadata.json").read_text())
    rows = len(pd.read_csv(out / "sample.csv"))
    k = indices["parameter"].nunique()
    replicates = int(meta["sweep"].get("replicates", 1))
    from simulation.experiments.store import load_results

    runs = load_results(out).runs
    seconds = float(pd.to_numeric(runs["elapsed_s"], errors="coerce").sum())
    scale = "" if not ctx.toy else " (TOY SIZE: not a result)"
    body = (sobol_factors(factors) + "\n\n" + sobol_markdown(indices, resolution, noise)
            + f"\n{meta.get('done'):,} runs{scale}: the distinct points of Saltelli's sample of "
            f"N × (k + 2) = {rows // (k + 2):,} × {k + 2} = {rows:,} rows (integer parameters "
            f"rounded, options repeat), {replicates} replicates each, replicate r with the same "
            "seed on every row; the indices split each row's mean over its replicates; "
            "intervals: 95% percentile bootstrap (1,000 resamples). The runs took "
            f"{seconds / 60:,.0f} minutes summed over runs (each run's wall clock, on a shared "
            "machine: an upper bound of their CPU time).")
    write_block(ctx, "docs/experiments.md", "sobol", body, command)
    if "sobol-reading" in blocks((ctx.root / "docs" / "experiments.md").read_text("utf-8")):
        write_block(ctx, "docs/experiments.md", "sobol-reading", sobol_reading(indices, noise),
                    command)
    publish_image(ctx, out / "sobol.png", "sobol.png", command)
    stored = store_sobol(ctx, out, meta)
    return {"command": command, "runs": meta.get("done"), "stored": stored,
            "run_seconds_summed": round(seconds, 1)}


def store_sobol(ctx: Context, out: Path, meta: dict[str, Any]) -> str:
    """Keep the analysis in the repository (``experiments/sobol_analysis/``): the indices,
    the resolution table, the warnings, the seed noise, the factors, and every sample row
    with its outputs in Saltelli's order (the mean over replicates, and each replicate's as
    ``OUTPUT_rR``), from which SALib's ``sobol.analyze`` gives the indices again, and
    ``seed_noise.seed_share`` the seed noise, without a run."""
    import pandas as pd

    from simulation.experiments.files import copy_outputs
    from simulation.experiments.sensitivity import load_design
    from simulation.experiments.store import load_results
    from simulation.experiments.sweep import point_id
    from simulation.provenance import provenance

    target = ctx.root / "experiments" / "sobol_analysis"
    copy_outputs(out, target, ("indices.csv", "resolution.csv", "warnings.txt", "sobol.png",
                               "seed_noise.csv", "factors.csv"))
    design = load_design(ctx.out / "toy-files" / "sobol.toml" if ctx.toy
                         else ROOT / "experiments" / "sobol.toml")
    sample = pd.read_csv(out / "sample.csv")
    runs = load_results(out).runs
    done = runs[runs["status"] == "done"]
    rows = sample.copy()
    ids = [point_id(design.values(row)) for row in sample.to_numpy()]
    from simulation.experiments.seed_noise import replicate_table

    for output in design.outputs:
        rows[output] = pd.to_numeric(done[output]).groupby(done["point_id"]).mean() \
            .reindex(ids).to_numpy()
        for r, column in enumerate(replicate_table(done, output, ids).T):
            rows[f"{output}_r{r}"] = column
    rows.to_csv(target / "sample_outputs.csv.gz", index=False, float_format="%.10g",
                compression={"method": "gzip", "mtime": 0})  # the same bytes each time
    record = {"command": "sprout sensitivity experiments/sobol.toml --method sobol",
              "runs": meta.get("done"), "sample_rows": len(rows), "seed": design.sweep.seed,
              "replicates": design.sweep.replicates,
              "parameters": design.names, "outputs": design.outputs,
              "sessions": [{k: s.get(k) for k in ("started", "ended", "workers", "ran",
                                                   "git_commit", "git_dirty")}
                           for s in meta.get("sessions", [])],
              # the commits of the sessions that ran runs (a later resumed session ran none)
              "runs_commit": ", ".join(dict.fromkeys(
                  str(x.get("git_commit")) for x in meta.get("sessions", []) if x.get("ran")))
              or meta.get("git_commit"),
              "runs_dirty": any(x.get("git_dirty") for x in meta.get("sessions", [])
                                if x.get("ran")),
              "runs_made_with": meta.get("provenance"),
              "stored_with": provenance(), "toy": ctx.toy}
    (target / "provenance.json").write_text(json.dumps(record, indent=1, default=str) + "\n")
    return str(target.relative_to(ctx.root))


@target("morris", "sprout sensitivity experiments/sensitivity.toml --method morris",
        "10 x 24 = 240 runs: ~5 min on 2 cores")
def make_morris(ctx: Context) -> dict[str, Any]:
    import pandas as pd

    from simulation.figures import label

    out, command = _sensitivity(ctx, "sensitivity", "morris")
    indices = pd.read_csv(out / "indices.csv")
    lines = []
    for output, table in indices.groupby("output", sort=False):
        top = table.sort_values("mu_star", ascending=False).head(8)
        lines.append(f"- **{label(output)}**: " + ", ".join(
            f"`{r['parameter']}` {r['mu_star']:.3g}" for _, r in top.iterrows()))
    body = ("Parameters ranked by Morris mu* (mean absolute elementary effect), the eight "
            "largest per figure:\n\n" + "\n".join(lines))
    write_block(ctx, "docs/experiments.md", "morris", body, command)
    publish_image(ctx, out / "morris.png", "morris.png", command)
    return {"command": command}


ASSUMPTION_SKIP = {"n_residents", "network_file", "threshold_kind", "interest_categories",
                   "grant_end_announced", "worker_hourly_cost", "training_session_cost",
                   "life_meeting_cost"}
"""Assumptions the screen leaves out: the community's size and network (conditions, not
behaviour), switches and categories, and prices (they move costs, not groups)."""

FIELD_DATA: dict[str, str] = {
    "doubt_reimbursement": "a baseline survey of residents: would they advance money for an "
                           "activity and trust it to be reimbursed?",
    "doubt_legitimacy": "the same survey: do residents think a residents' group needs "
                        "permission, and from whom?",
    "doubt_direction": "the same survey: would residents know what a group could do?",
    "need_mean": "a needs survey: the share of residents with an unmet need a group could meet",
    "need_concentration": "the same survey: how unequal those needs are",
    "initiative_shape_b": "the share of residents who have organised something before",
    "found_rate": "workers' case notes: weeks from a resident's stated readiness to the first "
                  "activity",
    "training_capacity": "the project's attendance lists",
    "life_meeting_capacity": "the project's attendance lists",
    "worker_hours": "the workers' timesheets",
    "visit_hours": "the workers' timesheets: time per household visit",
    "trust_headroom": "repeated surveys of trust in the workers against familiarity",
    "story_reach": "a survey of residents far from the meetings: had they heard of the "
                   "demonstrators' banquet or stage, and when",
    "story_weight": "the same survey: did the story change their mind about advancing "
                    "money, against attendees of the meetings",
    "maturity_gain": "the groups' activity logs: how fast new groups run their own "
                     "activities",
    "min_group_size": "when the workers counted a dwindling group as ended",
    "leader_exit_rate": "the groups' histories: how often leaders stepped down",
    "post_project_exit_factor": "the groups' histories after the project: leaders stepping "
                                "down once the workers left",
    "trust_decay": "repeated surveys of trust months after the last contact",
    "first_impression": "residents' first reaction to the offer, by whether they knew the "
                        "worker",
    "word_of_mouth": "how residents heard of the project (a question at training sessions)",
    "peer_doubt_effect": "doubts of residents next to an acting group against elsewhere",
    "referral_boost": "the share of referred residents who joined",
    "reimbursement_reliability": "the project's accounts: grants applied for against "
                                 "grants paid back, and when",
    "courtyard_visit_hours": "the workers' timesheets: time per courtyard gathering",
    "demo_trust_gain": "trust in the workers before and after a life meeting with a "
                       "demonstrator (a short survey of attendees)",
    "meeting_trust_gain": "trust in the workers before and after a life meeting without a "
                          "demonstrator",
    "join_need_power": "a household survey: who has ever taken part in a community group, "
                       "against the needs they state",
    "served_damping": "the project's application records: new groups of an interest a "
                      "courtyard already had, against courtyards without one",
    "recruit_reach": "join histories: members who came through a friend in the group, by "
                     "week",
    "threshold_mean": "the share of acting neighbours at which residents joined (join "
                      "histories)",
    "founding_core": "founding member lists of the groups",
    "activity_base": "the groups' activity logs",
    "words_on_reimbursement": "doubts about money after a private visit, without a "
                              "reimbursement seen",
    "qa_visits_per_resident": "the workers' visit logs",
    "trust_level_sd": "a survey of how much residents need to know a worker before "
                      "believing an offer (its spread across residents)",
    "meeting_trust": "who was invited to the life meetings: the workers' invitation lists "
                     "against residents' trust",
    "households_per_building": "the community's housing register",
    "buildings_per_courtyard": "the community's housing register",
    "building_ties": "a name-generator survey of neighbours known in one's building",
    "deepening_bias": "the workers' itineraries: new buildings against return visits",
    "courtyard_visit_reach": "how many residents a courtyard gathering reached (the "
                             "workers' notes)",
    "courtyard_familiarity_share": "residents' familiarity with the workers after a "
                                   "gathering against a household visit",
    "life_meeting_interval_weeks": "the project's calendar of life meetings",
    "life_meeting_delay_weeks": "the project's calendar: weeks from the banquet to the "
                                "first life meeting",
    "training_interval_weeks": "the project's calendar of training sessions",
    "strong_need": "what workers count as a need worth acting on (their case notes)",
    "founding_weight_reimbursement": "founders' own account of which doubt held them back "
                                     "longest",
    "founding_weight_legitimacy": "founders' own account of which doubt held them back",
    "founding_weight_direction": "founders' own account of which doubt held them back",
    "training_trust_gain": "trust before and after a training session (a short survey)",
    "training_familiarity_gain": "familiarity with the workers before and after a session",
    "legitimacy_base": "residents' view of the project without the committee's and grid "
                       "workers' backing",
    "join_doubt_weight": "join histories: doubts of residents who joined against those "
                         "who did not",
    "dropout_need_offset": "membership lists over time: who left, against their need",
    "dropout_rate": "membership lists over time",
    "idle_cohesion_retention": "the groups' activity logs: how groups fare after idle weeks",
    "inactive_weeks": "when groups that stopped meeting were counted as ended",
    "doubt_relapse": "repeated surveys of doubts months after a private visit",
    "grant_budget": "the project's budget",
    "grant_reference": "residents' view of what a grant of a given size is worth",
    "accompaniment_hours": "the workers' timesheets: hours per accompanied group",
    "accompaniment_need_exponent": "the workers' timesheets: hours per group as groups mature",
    "ladder_step_hours": "the workers' timesheets: hours mobilising demonstrators",
    "activity_cohesion_weight": "the groups' activity logs against members' attachment",
    "activity_maturity_weight": "the groups' activity logs against their self-sufficiency",
    "activity_cost": "the groups' accounts: the cost of one activity",
    "threshold_sd": "join histories: the spread of acting neighbours at which residents "
                    "joined",
    "doubt_sd": "the baseline survey's spread of doubts",
    "familiarity_decay_share": "repeated surveys of familiarity after the last contact",
    "invitation_base": "who came to training sessions without knowing a worker",
}
"""What field data would pin an assumption (for the screen's table; others: '-')."""


def assumptions_design(path: Path, trajectories: int) -> int:
    """Write the Morris design over every numeric assumption of the registry (each from half
    to one and a half times its default, within its allowed range); return its size."""
    from simulation.parameters import PARAMETERS

    lines = ["# Generated by `python scripts/make_docs.py assumptions` from the parameter",
             "# registry: every numeric parameter whose source is an assumption, from half to",
             "# one and a half times its default (within its allowed range). Do not edit.",
             'name = "assumptions"',
             'description = "Morris screen of every numeric assumption around the baseline"',
             'scenario = "baseline"', "seed = 13", "replicates = 1", "", "[vary]"]
    count = 0
    for p in PARAMETERS:
        if (not p.source.startswith("assumption") or p.name in ASSUMPTION_SKIP
                or isinstance(p.default, (bool, str)) or not p.default):
            continue
        low, high = 0.5 * p.default, 1.5 * p.default
        if p.low is not None:
            low = max(low, p.low)
        if p.high is not None:
            high = min(high, p.high)
        if isinstance(p.default, int):
            low, high = int(round(low)), int(round(high))
        if high <= low:
            continue
        lines.append(f"{p.name} = {{ uniform = [{low!r}, {high!r}] }}")
        count += 1
    lines += ["", "[sensitivity]", 'outputs = ["groups_week52", "groups_horizon"]',
              f"morris_trajectories = {trajectories}", "morris_levels = 4",
              "sobol_samples = 64"]
    path.write_text("\n".join(lines) + "\n")
    return count


@target("assumptions", "sprout sensitivity experiments/assumptions.toml --method morris",
        "10 x ~120 runs: ~5 min on 2 cores")
def make_assumptions(ctx: Context) -> dict[str, Any]:
    import pandas as pd

    file = (ctx.out / "assumptions.toml") if ctx.toy else ROOT / "experiments" / "assumptions.toml"
    k = assumptions_design(file, 2 if ctx.toy else 10)
    out = ctx.out / "assumptions"
    _cli(["sensitivity", str(file), "--method", "morris", "--out", str(out), "--workers",
          str(ctx.workers), "--resume", "--quiet"])
    indices = pd.read_csv(out / "morris" / "indices.csv")
    runs = pd.read_parquet(out / "morris" / "runs.parquet")
    command = "sprout sensitivity experiments/assumptions.toml --method morris"
    rows = []
    for output in ("groups_week52", "groups_horizon"):
        mean = float(runs[output].mean())
        table = indices[indices["output"] == output]
        for _, r in table.iterrows():
            if r["mu_star"] > 0.1 * mean:
                rows.append((r["parameter"], output, r["mu_star"], r["mu_star"] / mean,
                             r["mu_star_conf"]))
    by_parameter: dict[str, list] = {}
    for row in rows:
        by_parameter.setdefault(row[0], []).append(row)
    order = sorted(by_parameter, key=lambda n: -max(r[3] for r in by_parameter[n]))
    lines = ["| assumption | moves (Morris mu*, share of the mean) | field data that would "
             "pin it |", "|---|---|---|"]
    for name in order:
        moves = "; ".join(f"{'week 52' if r[1] == 'groups_week52' else 'horizon'}: "
                          f"{r[2]:.1f} groups ({r[3]:.0%}, ±{r[4]:.1f})"
                          for r in by_parameter[name])
        lines.append(f"| `{name}` | {moves} | {FIELD_DATA.get(name, '-')} |")
    body = (f"Morris screen of the {k} numeric assumptions (each from half to one and a half "
            "times its default; 10 trajectories, one run per point): those whose mu* (mean "
            "absolute elementary effect over the range, ± its 95% bootstrap half-width) on "
            "the groups active at week 52 or at the horizon exceeds 10% of that figure's "
            f"mean over the screen's runs — {len(order)} of {k}. The rest move neither by "
            "more than a tenth.\n\n" + "\n".join(lines))
    write_block(ctx, "docs/ODD.md", "assumptions", body, command)
    return {"command": command, "screened": k, "sensitive": order}


def _num(value: Any, spec: str) -> str:
    return "-" if value in (None, "-") else format(value, spec)


def _abc_dir(ctx: Context) -> Path:
    from simulation.experiments import abc

    out = ctx.out / "calibration-abc"
    if ctx.toy:
        settings = abc.Settings(population=8, generations=2, max_runs=400, predictive_draws=4,
                                runs_per_particle=2)
        if not (out / "posterior.json").exists():
            abc.calibrate_abc(settings, out, workers=1, resume=(out / abc.DB).exists(),
                              progress=False, fixed=TOY)
        return out
    if not (out / "posterior.json").exists():  # sampled already: read it (delete to redo)
        resume = ["--resume"] if (out / abc.DB).exists() else []
        _cli(["calibrate", "--abc", "--out", str(out), "--workers", str(ctx.workers),
              *resume, "--quiet", "--store"])
    return out


def _abc_time(summary: dict[str, Any], out: Path) -> str:
    """The sampling's wall and CPU time. A session measures only its own CPU, so a history
    stopped and resumed gives the finishing session's CPU and rate, and names the earlier
    generations as unmeasured. Posteriors written before ``session_generations`` was kept
    have their session's generations told by their end times (within its sampling minutes
    of the last)."""
    import pandas as pd

    generations = pd.read_csv(out / "generations.csv")
    if "session_generations" in summary:
        mine = generations.index >= len(generations) - summary["session_generations"]
    else:
        ended = pd.to_datetime(generations["population_end_time"])
        mine = (ended > ended.max() - pd.Timedelta(minutes=summary["abc_minutes"])).to_numpy()
    runs = int(generations.loc[mine, "model_runs"].sum())
    earlier = int(generations.loc[~mine, "model_runs"].sum())
    wall = generations["wall_time"].sum() / 60
    text = f"{wall:.0f} min of sampling on the clock with {summary['workers']} workers; "
    if not mine.any():
        return text + ("CPU not measured: every generation was sampled in sessions that were "
                       "stopped, then resumed from the history; at most "
                       f"{wall * summary['workers'] / 60:.1f} CPU hours (the clock's time × "
                       "workers, any pause included).")
    cpu = summary["abc_cpu_minutes"]
    rate = cpu * 60 / runs
    text += f"{cpu} CPU min of sampling ({rate:.3f} CPU s a run)"
    if mine.all():
        return text + f", {summary['cpu_minutes']} CPU min in all."
    n, m = int(mine.sum()), int((~mine).sum())
    return (text + f" for the {n} generation{'s' * (n != 1)} ({runs:,} runs) of the session "
            f"that finished it; the first {m} ({earlier:,} runs) ran in earlier sessions, "
            f"stopped and resumed from the history, whose CPU was not measured (about "
            f"{earlier * rate / 60:.0f} CPU min at that rate, "
            f"{(earlier + runs) * rate / 3600:.1f} CPU hours in all).")


def _settled(out: Path, priors: dict[str, list[float]]) -> str:
    """How far the posterior moved in its last step of ε: each parameter's weighted 2.5%,
    50% and 97.5% quantiles in the last two generations, the largest shift as a share of
    the prior's width (a posterior that barely moves as ε halves is near its ε → 0 limit,
    which is the reason to stop short of a target)."""
    import pandas as pd

    from simulation.experiments.posterior import weighted_quantile

    particles = pd.read_csv(out / "particles.csv")
    last = int(particles["generation"].max())
    if last < 1:
        return ""
    epsilons = pd.read_csv(out / "generations.csv").set_index("generation")["epsilon"]
    shifts = {}
    for name, (low, high) in priors.items():
        ends = [weighted_quantile(g[name].to_numpy(), g["weight"].to_numpy(),
                                  [0.025, 0.5, 0.975])
                for g in (particles[particles["generation"] == t] for t in (last - 1, last))]
        shifts[name] = abs(ends[1] - ends[0]) / (high - low)
    median = max(shifts, key=lambda k: shifts[k][1])
    edge = max(shifts, key=lambda k: max(shifts[k][[0, 2]]))
    return (f" From the last generation but one (ε {epsilons[last - 1]:.3g}) to the last "
            f"(ε {epsilons[last]:.3g}), no median moved more than "
            f"{shifts[median][1]:.1%} of its prior's width (`{median}`), and no end of a "
            f"95% interval more than {max(shifts[edge][[0, 2]]):.1%} (`{edge}`).")


def _sampled_at(summary: dict[str, Any]) -> str:
    """Where the posterior's predictive runs and files were made, when the block is written
    at another commit (an ABC takes hours: later commits that leave every run the same do
    not remake it)."""
    made = summary.get("provenance") or {}
    commit = str(made.get("git_commit") or "")
    if not commit:
        return ""
    dirty = " with uncommitted changes" if made.get("git_dirty") else ""
    return (f" Its predictive runs and files were made at commit {commit[:7]}{dirty}, "
            f"{str(made.get('date', ''))[:10]}.")


@target("abc", "sprout calibrate --abc --store",
        "~4.6 CPU-hours: 1,200 particles × 4 runs, ~138,000 runs; 2.5-5 h on 2 cores")
def make_abc(ctx: Context) -> dict[str, Any]:
    out = _abc_dir(ctx)
    summary = json.loads((out / "posterior.json").read_text())
    command = "sprout calibrate --abc --store"
    lines = ["| parameter | prior (uniform) | posterior median [95% credible interval] |",
             "|---|---|---|"]
    for name, s in summary["posterior"].items():
        lo, hi = summary["priors"][name]
        lines.append(f"| `{name}` | {lo:g}–{hi:g} | {s['median']:.3g} [{s['low']:.3g}, "
                     f"{s['high']:.3g}] |")
    p = {k: ("-" if v is None else v) for k, v in summary["predictive"].items()}
    runs95 = [("-" if v is None else f"{v:.0f}") for v in p["groups_week52_runs_95"]]
    settings = summary["settings"]
    per = settings.get("runs_per_particle", 1)
    target_note = ("the target" if summary.get("target_reached")
                   else f"target {settings['min_epsilon']:g} **not reached**")
    lines += ["", f"ABC-SMC: {summary['generations']} generations of "
                  f"{settings['population']} particles × {per} runs each, "
                  f"{summary.get('model_runs', summary['runs']):,} runs of the "
                  f"project year; final threshold ε = {summary['final_epsilon']:.3g} "
                  f"({target_note}; effective sample size {summary['effective_size']:.0f}); "
                  f"{_abc_time(summary, out)} "
                  f"Posterior predictive ({p['draws']} full runs, one per draw): "
                  f"{_num(p['groups_week52_mean'], '.1f')} groups at week 52, 95% of runs "
                  f"{runs95[0]}–{runs95[1]}, "
                  f"{_num(p['groups_week52_within_25_37'], '.0%')} within 25–37 (case: "
                  f"{p['case']['groups']}). Credible intervals: 2.5-97.5% weighted "
                  "quantiles of the last generation." + _sampled_at(summary)
              + _settled(out, summary["priors"])]
    check = summary.get("predictive_check", [])
    if check:
        lines += ["", "| pattern of the case | fitted or held out | case | runs' 90% interval "
                      "| runs meeting it | verdict |", "|---|---|---|---|---|---|"]
        for row in check:
            verdict = "within" if row["within_90"] else "**outside**"
            lines.append(f"| `{row['pattern']}` | {row['role']} | {row['case']} | "
                         f"{_num(row['q05'], '.3g')}–{_num(row['q95'], '.3g')} | "
                         f"{_num(row['runs_meeting'], '.0%')} | {verdict} |")
    write_block(ctx, "docs/experiments.md", "abc", "\n".join(lines), command)
    publish_image(ctx, out / "marginals.png", "abc_marginals.png", command)
    publish_image(ctx, out / "predictive.png", "abc_predictive.png", command)
    return {"command": command}


@target("abc-sbc", "sprout calibrate --abc --sbc 10 --store",
        "~1-2.5 CPU-hours: 10 synthetic cases × a reduced ABC; not in CI")
def make_abc_sbc(ctx: Context) -> dict[str, Any]:
    from simulation.experiments import abc_sbc

    out = ctx.out / "calibration-abc-sbc"
    command = "sprout calibrate --abc --sbc 10 --store"
    if ctx.toy:
        settings = abc_sbc.SbcSettings(cases=2, population=6, runs_per_particle=2,
                                       generations=2, max_runs=300)
        summary = abc_sbc.run_sbc(settings, out, workers=1, fixed=TOY)
    else:
        if not (out / "sbc.json").exists():  # made already: read it (delete to redo)
            _cli(["calibrate", "--abc", "--sbc", "10", "--out", str(out), "--workers",
                  str(ctx.workers), "--quiet", "--store"])
        summary = json.loads((out / "sbc.json").read_text())
    c, s = summary["coverage"], summary["settings"]
    lines = [f"| parameter | cases whose {c['level']:.0%} interval covers the truth | "
             "95% interval of that share | ranks against uniform (KS p) |", "|---|---|---|---|"]
    for name, one in [*c["parameters"].items(), ("all, pooled", c["pooled"])]:
        lines.append(f"| `{name}` | {one['covered']}/{one['cases']} | "
                     f"{one['interval_95'][0]:.0%}–{one['interval_95'][1]:.0%} | "
                     f"{one['rank_ks_p']:.2f} |")
    lines += ["", f"{s['cases']} synthetic cases drawn from the prior, each inferred by "
                  f"ABC-SMC with {s['population']} particles × {s['runs_per_particle']} runs, "
                  f"at most {s['generations']} generations, target ε {s['min_epsilon']:g}; "
                  f"{summary['cpu_minutes']} CPU min."]
    write_block(ctx, "docs/experiments.md", "abc-sbc", "\n".join(lines), command)
    publish_image(ctx, out / "sbc.png", "abc_sbc.png", command)
    return {"command": command}



def _compare_at_point(ctx: Context) -> dict[str, Any]:
    """The README's comparison at the calibrated point, while the stored posterior predates
    the model (``POSTERIOR_CURRENT``)."""
    out = ctx.out / "compare-point"
    _cli(["compare", *COMPARE_SCENARIOS, "--point", "--seeds", str(SEEDS), "--out", str(out),
          "--overwrite", "--workers", str(ctx.workers), *ctx.sets()])
    command = f"sprout compare {' '.join(COMPARE_SCENARIOS)} --point --seeds {SEEDS}"
    write_block(ctx, "README.md", "compare", (out / "compare.md").read_text(), command)
    publish_image(ctx, out / "compare_groups.png", "compare_groups.png", command)
    write_block(ctx, "docs/ODD.md", "held-out-posterior",
                "Not yet made: the stored posterior predates this model. Once `python "
                "scripts/make_docs.py abc` has remade it, `make_docs.py compare` judges the "
                "held-out patterns under it here.", command)
    return {"command": command}


WORKED_SCENARIOS = ("baseline", "no_demonstrations", "no_programme")


@target("compare-posterior",
        f"sprout compare {' '.join(WORKED_SCENARIOS)} --draws 30 --seeds 2",
        "180 runs: ~1-2 min on 2 cores (after abc)")
def make_compare_posterior(ctx: Context) -> dict[str, Any]:
    out = ctx.out / "compare-posterior"
    draws = 3 if ctx.toy else 30
    source = ["--posterior", str(_abc_dir(ctx))] if ctx.toy else []  # else the stored one
    _cli(["compare", *WORKED_SCENARIOS, *source, "--draws", str(draws), "--seeds", "2",
          "--out", str(out), "--overwrite", "--workers", str(ctx.workers), *ctx.sets()])
    command = f"sprout compare {' '.join(WORKED_SCENARIOS)} --draws {draws} --seeds 2"
    text = (out / "compare_posterior.md").read_text()
    if ctx.toy:
        text = text.replace(str(_abc_dir(ctx)), "experiments/calibration/abc")
    write_block(ctx, "docs/experiments.md", "compare-posterior", text, command)
    return {"command": command}


def _change(value: float, base: float) -> str:
    """``value`` against ``base`` in words: "29.2", "a third fewer" style, from the numbers."""
    share = value / base if base else float("nan")
    if share >= 1:
        return f"{value:.1f} ({share - 1:.0%} more)"
    return f"{value:.1f} ({1 - share:.0%} fewer)"


def counterfactual_prose(accepted: dict[str, Any]) -> str:
    """The counterfactuals read against the case, with the calibration's validation means
    (every number from ``accepted.json``; the reasons are the model's mechanisms)."""
    g = accepted["counterfactual_groups_week52"]
    base = g["baseline"]
    held = accepted.get("held_out_patterns", {})
    n = accepted["settings"]["final_seeds"]
    failed = [k for k, ok in held.items() if not ok]

    def held_note(pattern: str) -> str:
        if pattern not in held:
            return ""
        return (" (held-out pattern: holds)" if held[pattern]
                else " (held-out pattern: **does not hold**)")

    lines = [
        f"Active groups at week 52 at the calibrated point, mean of the calibration's {n} "
        f"validation seeds (`experiments/calibration/accepted.json`; the table above runs "
        f"the same scenarios under the posterior, `--point` at this point on other seeds), "
        f"against the baseline's {base:.1f}:",
        "",
        f"- **Without infiltration** (the workers never go door to door and announce the "
        f"grants at once): {_change(g['no_infiltration'], base)}"
        f"{held_note('8_no_infiltration_far_fewer')}. Residents who hear the offer from "
        "strangers doubt it, the first impression sticks, trust cannot run ahead of the "
        "little familiarity training sessions bring, and the demonstrations' stories sound "
        f"like a stranger's word. **One month** of infiltration: "
        f"{_change(g['one_month_infiltration'], base)}"
        f"{held_note('8_one_month_fewer')}; workers keep visiting households after the "
        "announcement and catch up, and the demonstrations, coming sooner, have longer to "
        "travel" + ("." if g["one_month_infiltration"] < base else
                    " — against the case, which credits the four months' familiarity: in the "
                    "model, three more months of founding weigh as much as three more months "
                    "of familiarity (see the table above for the paired interval under the "
                    "posterior)."),
        f"- **Money without infiltration or trust-building** (`grants_only`): "
        f"{g['grants_only']:.2f}{held_note('8_money_without_infiltration_little')}, from the "
        "3 groups that existed. Only the few residents who need little trust believe an offer "
        "heard from strangers, and whether one of them comes to a training session with "
        "enough drive differs from seed to seed — a finding, not an impossibility.",
        f"- **Without demonstrations and life meetings**: "
        f"{_change(g['no_demonstrations'], base)}"
        f"{held_note('8_no_demonstrations_far_fewer')}. The case says far fewer (at most "
        "half); without demonstrators the workers keep up private Q&A all year (in the "
        "case's third phase they leave the doubts to the demonstrators), and Q&A and acting "
        "neighbours answer enough doubts for the keenest residents, so in the model the "
        "demonstrators' real case is the best answer to the money doubt but not the only "
        "way doubts dissolve.",
        f"- **Without grants**: {_change(g['no_grants'], base)}"
        f"{held_note('8_no_grants_fewer_smaller_loss')}"
        + (" — the grant is an extra reward, not the driver"
           if held.get("8_no_grants_fewer_smaller_loss") else
           " — in the model the grant weighs about as much as the demonstrations, where the "
           "case says its loss is the smaller")
        + f". **Doubling the grant**: {_change(g['double_grant'], base)}.",
        f"- **Without a supported pioneer**: {_change(g['no_pioneer_support'], base)}: after "
        "four months of infiltration other keen residents act soon after the announcement "
        "anyway; support makes the first group the pioneer's in most seeds"
        f"{held_note('2_pioneer_first')}.",
        f"- **A weak community** (committee support and neighbour familiarity 0.3): "
        f"{_change(g['weak_community'], base)}{held_note('8_weak_community_fewer')}.",
        "",
        "None of these is calibrated on: the calibration chooses only on the level and shape "
        f"of growth; {len(held) - len(failed)} of {len(held)} held-out patterns hold on fresh "
        "seeds" + (f" (not: {', '.join(failed)})" if failed else "")
        + "; see [docs/ODD.md](docs/ODD.md#calibration).",
    ]
    return "\n".join(lines)


@target("calibration", "(reads experiments/calibration/accepted.json: sprout calibrate; "
        "README and the ODD's calibration section)",
        "seconds (the calibration itself: sprout calibrate, ~25 min)")
def make_calibration(ctx: Context) -> dict[str, Any]:
    accepted = json.loads((ROOT / "experiments" / "calibration" / "accepted.json").read_text())
    values = accepted.get("values", {})
    ranges = accepted.get("free_parameters", {})
    lines = ["| free parameter | range searched | accepted value |", "|---|---|---|"]
    lines += [f"| `{k}` | {'–'.join(f'{x:g}' for x in ranges.get(k, [])) or '-'} | {v:g} |"
              for k, v in values.items()]
    groups = {"calibration patterns": accepted.get("calibration_patterns"),
              "held-out patterns (validation, fresh seeds)": accepted.get("held_out_patterns")}
    if not any(groups.values()):  # the earlier format: one set of patterns
        groups = {"patterns": accepted.get("patterns", {})}
    parts = [f"accepted: {'yes' if accepted.get('accepted') else 'no'}"]
    for what, checks in groups.items():
        checks = checks or {}
        failed = [k for k, ok in checks.items() if not ok]
        parts.append(f"{what}: {len(checks) - len(failed)} of {len(checks)} hold"
                     + (f" (not: {', '.join(failed)})" if failed else ""))
    mean = accepted.get("validation_groups_week52_mean",
                        accepted.get("baseline_groups_week52_mean"))
    within = accepted.get("validation_groups_week52_within_25_37",
                          accepted.get("baseline_groups_week52_within_25_37"))
    if mean is not None:
        parts.append(f"mean {mean:.1f} groups at week 52")
    if within is not None:
        parts.append(f"{within:.0%} of seeds within 25–37")
    if accepted.get("validation_stall_rate") is not None:
        parts.append(f"{accepted['validation_stall_rate']:.0%} of seeds stalled")
    summary = "; ".join(parts)
    command = "sprout calibrate"
    summary += (" (copied from the stored result, experiments/calibration/accepted.json; the "
                "line below says when it was copied)")
    write_block(ctx, "README.md", "calibration", "\n".join(lines) + f"\n\n{summary[0].upper()}"
                f"{summary[1:]}.", command)
    if "counterfactual_groups_week52" in accepted and "counterfactuals" in blocks(
            (ctx.root / "README.md").read_text(encoding="utf-8")):
        write_block(ctx, "README.md", "counterfactuals", counterfactual_prose(accepted),
                    command)
    odd = (ctx.root / "docs" / "ODD.md").read_text(encoding="utf-8")
    if "calibration" in blocks(odd) and "calibration_patterns" in accepted:
        from simulation.experiments.calibrate import markdown

        write_block(ctx, "docs/ODD.md", "calibration", markdown(accepted), command)
    return {"command": command}


PORTFOLIO_COMMAND = "sprout portfolio experiments/portfolio_example.toml --search"


def _portfolio_file(ctx: Context, name: str) -> Path:
    """The portfolio file, or for ``--toy`` a copy with tiny communities and searches."""
    path = ROOT / "experiments" / f"{name}.toml"
    if not ctx.toy:
        return path
    text = path.read_text()
    text = re.sub(r"^n_residents = \d+", "n_residents = 150", text, flags=re.MULTILINE)
    text = re.sub(r"^project_weeks = \d+", "project_weeks = 26", text, flags=re.MULTILINE)
    text = re.sub(r"^(draws|recheck_draws) = \d+", r"\1 = 1", text, flags=re.MULTILINE)
    text = re.sub(r"^nfe = \d+", "nfe = 200", text, flags=re.MULTILINE)
    text = re.sub(r"^horizon_weeks = \d+", "horizon_weeks = 8", text, flags=re.MULTILINE)
    text = text.replace("[[community]]", "[[community]]\nn_residents = 300", 1) \
        if "n_residents" not in text else text
    copy = ctx.out / "toy-files" / f"{name}.toml"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(text)
    return copy


@target("portfolio", PORTFOLIO_COMMAND + " (and experiments/portfolio_funding.toml --search)",
        "~4-6 min on 2 cores")
def make_portfolio(ctx: Context) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name, block, document in (("portfolio_example", "portfolio", "README.md"),
                                  ("portfolio_funding", "portfolio-funding",
                                   "docs/portfolio.md")):
        out = ctx.out / "portfolio" / name
        file = _portfolio_file(ctx, name)
        printed = _cli(["portfolio", str(file), "--search", "--out", str(out), "--workers",
                        str(ctx.workers), "--quiet"])
        command = (f"sprout portfolio experiments/{name}.toml --search"
                   + (" (toy size)" if ctx.toy else ""))
        finding = "\n".join(line for line in printed.splitlines()
                            if not line.startswith("Wrote "))
        from simulation.experiments.portfolio import load as load_portfolio

        # As a reader's command would print it: the default folder, out/portfolio/NAME.
        finding = finding.replace(str(out), f"out/portfolio/{load_portfolio(file).name}")
        table = (out / "evaluation.md").read_text(encoding="utf-8")
        body = f"```\n$ {command}\n{finding.strip()}\n```\n\n{table.strip()}"
        if block in blocks((ctx.root / document).read_text(encoding="utf-8")):
            write_block(ctx, document, block, body, command)
        publish_image(ctx, out / "figure.en.png", f"{name}_frontier.png", command)
        meta = json.loads((out / "portfolio.json").read_text())
        record[name] = {"command": command, "timing": meta.get("timing"),
                        "checks": meta.get("checks")}
    return record


def portfolio_speed_table(results: list[dict[str, Any]]) -> str:
    """The portfolio benchmark's stored measurements (``benchmarks/results/*/
    bench_portfolio.json``) as a table, smallest first."""
    lines = ["| size (communities × residents × draws; runs with the references) | first "
             "session killed after | resumed: runs | wall | runs/s per core | CPU per run | "
             "overhead | load (1 min) before → after | commit |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: r["figures"]["planned_runs"]):
        f = r["figures"]
        s = f["resumed_session"]
        checks = f["checks"]
        ok = checks["all_planned_runs_stored_once"] and checks["resumed_ran_only_missing"]
        fresh = checks.get("model_code_changed_between_sessions") or (
            s["already_stored"] == 0 and f.get("first_session"))
        verdict = ("every run stored once" if ok else
                   "all afresh: the model's code changed between the sessions, and runs of "
                   "other code are not reused" if fresh else "CHECK FAILED")
        lines.append(
            f"| {f['communities']} × {f['residents']:,} × {f['draws']} "
            f"({f['planned_runs']:,}) | {f.get('first_session', {}).get('killed_after_runs', '-')}"
            f" runs | {s['ran']:,} ({verdict}) | "
            f"{s['wall_s']:,.0f} s | {s['runs_per_s_per_core']:.2f} | "
            f"{s['cpu_s_per_run'] * 1000:,.0f} ms | {s['overhead_share']:.0%} | "
            f"{r['load_before'][0]} → {r['load_after'][0]} | {r.get('commit')}"
            f"{' (dirty)' if r.get('dirty') else ''} |")
    lines.append(
        "\nEach row: `python -m benchmarks.bench_portfolio --communities C --residents N "
        "--draws D` — a Dask `LocalCluster` of 2 single-threaded workers runs the portfolio's "
        "evaluation (every community with 3 workers, paired with its no-programme reference "
        "on the same seeds), is SIGKILLed with its whole process group once 30% of the runs "
        "are stored, and the same command completes it. Runs per second per core and CPU per "
        "run are the resumed session's, the references (no workers: cheaper) included; "
        "overhead is the share of the workers' wall time not spent inside a run (Dask, the "
        "store's writes, the cluster's start, and on this shared machine waiting for a core: "
        "read it with the load).")
    return "\n".join(lines)


@target("portfolio-speed", "python -m benchmarks.bench_portfolio (stored results)",
        "seconds (reads benchmarks/results/*/bench_portfolio.json)")
def make_portfolio_speed(ctx: Context) -> dict[str, Any]:
    results = [json.loads(p.read_text())
               for p in sorted((ROOT / "benchmarks" / "results").glob("*/bench_portfolio.json"))]
    if not results:
        raise DocsError("no benchmarks/results/*/bench_portfolio.json: run "
                        "python -m benchmarks.bench_portfolio first")
    command = "python -m benchmarks.bench_portfolio"
    write_block(ctx, "README.md", "portfolio-speed", portfolio_speed_table(results), command)
    return {"command": command, "measurements": len(results)}


@target("speed", "python -m benchmarks.bench_sweep --runs 200 --scaling 20 --no-write",
        "~3-6 min on 2 cores")
def make_speed(ctx: Context) -> dict[str, Any]:
    import subprocess

    runs, scaling = (20, 4) if ctx.toy else (200, 20)
    command = (f"python -m benchmarks.bench_sweep --runs {runs} --scaling {scaling} "
               "--no-write")
    result = subprocess.run([sys.executable, "-m", "benchmarks.bench_sweep", "--runs",
                             str(runs), "--workers", "2", "--scaling", str(scaling),
                             "--overhead-runs", "4", "--no-write", "--out",
                             str(ctx.out / "bench")], capture_output=True, text=True,
                            cwd=ROOT, env={**__import__("os").environ,
                                           "PYTHONPATH": str(ROOT)})
    if result.returncode != 0:
        raise DocsError(f"speed: the benchmark failed: {result.stderr.strip()[-300:]}")
    payload = json.loads(result.stdout[result.stdout.index("{"): result.stdout.rindex("}") + 1])
    sweep, scale, over = (payload["figures"][k] for k in ("sweep", "scaling", "overhead"))
    rows = [("runs", f"{sweep['runs']} replicates of the baseline (5,000 residents, 156 weeks), "
                     f"{sweep['failed']} failed, on {sweep['workers']} worker processes"),
            ("wall", f"{sweep['wall_s']:.1f} s ({sweep['runs_per_s']:.2f} runs/s; "
                     f"{sweep['projected_1000_runs_wall_s']:.0f} s projected for 1,000 at "
                     "this load)"),
            ("CPU per run (workers + sweep process)", f"{sweep['cpu_per_run_s'] * 1000:.0f} ms"),
            ("1,000 runs on 2 idle cores (CPU / 2)",
             f"{sweep['projected_1000_runs_on_2_idle_cores_s']:.0f} s"),
            ("one run's set-up + simulation, CPU", f"{over['setup_and_simulation_s'] * 1000:.0f}"
                                                   " ms"),
            ("beyond set-up + simulation, share of a run (results, encoding, writing)",
             f"{over['overhead_share']:.1%}"),
            ("2 workers' throughput / 1 worker's, once the pool is up",
             f"{scale['steady_speed_up']:.2f}× ({scale['runs']} runs each side)"),
            ("report", f"{sweep['report_wall_s']:.1f} s"),
            ("load average (1 min)", f"{payload['load_before'][0]} before, "
                                     f"{payload['load_after'][0]} after")]
    body = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    body += ("\n\nWall time on a shared machine moves with its load (printed beside it); CPU "
             "seconds move less. The README's speed table has the full benchmarks.")
    write_block(ctx, "docs/experiments.md", "speed", body, command)
    return {"command": command, "sweep": sweep, "scaling": scale, "overhead": over}


BEFORE_KEYED = "ee9505f"
"""The last commit with one shared random generator (the pairing table's "before")."""
PAIRING_SEEDS = 100


DOCKING_SEEDS = 30


@target("docking", "python scripts/make_docs.py docking (simulation/experiments/docking.py)",
        "~2 min on 2 cores")
def make_docking(ctx: Context) -> dict[str, Any]:
    from simulation.experiments import docking
    from simulation.runner import replicate_seeds

    n = ctx.seeds(DOCKING_SEEDS)
    runs = docking.agent_runs(replicate_seeds(20261208, n), workers=ctx.workers)
    fitted, rows = docking.compare(runs)
    write_block(ctx, "docs/experiments.md", "docking", docking.markdown(fitted, rows, n),
                TARGETS["docking"].command)
    return {"seeds": n, "fit": fitted, "rows": rows}


SCALE_SEEDS = 10


@target("scale", "python scripts/make_docs.py scale (simulation/experiments/scale.py)",
        "~4 min on 2 cores")
def make_scale(ctx: Context) -> dict[str, Any]:
    from simulation.experiments import scale
    from simulation.runner import replicate_seeds

    n = ctx.seeds(SCALE_SEEDS)
    seeds = replicate_seeds(20261207, n)
    rows = scale.measure(seeds, workers=ctx.workers,
                         sizes=scale.SIZES[:4] if ctx.toy else scale.SIZES)
    summary = scale.table(rows)
    checked = scale.checks(summary)
    command = TARGETS["scale"].command
    write_block(ctx, "docs/ODD.md", "scale", scale.markdown(summary, checked, n), command)
    png = ctx.out / "scale.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    scale.figure(summary, str(png))
    publish_image(ctx, png, "scale.png", command)
    return {"seeds": n, "checks": checked, "summary": summary}


@target("pairing", "python scripts/make_docs.py pairing (simulation/experiments/pairing.py, "
        "pairing_bound.py, pairing_causes.py, pairing_spread.py)", "~12 min on 2 cores")
def make_pairing(ctx: Context) -> dict[str, Any]:
    import subprocess

    from simulation.experiments import pairing, pairing_bound, pairing_causes, pairing_spread
    from simulation.runner import replicate_seeds

    n = ctx.seeds(PAIRING_SEEDS)
    seeds = replicate_seeds(20261206, n)  # fresh: no table or test uses this master seed
    # The runs go on past week 52 for the pairing over time; their counts at week 52 are
    # those of runs stopped there (tests/test_pairing_over_time.py).
    weekly = pairing.groups_by_week(pairing.SCENARIOS, seeds, workers=ctx.workers)
    outcomes = {name: counts[:, pairing.WEEK] for name, counts in weekly.items()}
    now = pairing.pairing(outcomes)
    tree = ctx.out / f"tree-{BEFORE_KEYED}"
    if not (tree / "simulation").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", BEFORE_KEYED], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    before = pairing.pairing(pairing.groups_at_tree(tree, pairing.SCENARIOS, seeds))
    cut = 18  # the first week after the infiltration, when the counterfactuals part
    floor = pairing.pairing({
        "baseline": outcomes["baseline"],  # the same runs as above
        "baseline, fresh numbers from week 18": pairing.groups_at(
            ["baseline"], seeds, workers=ctx.workers, fresh_from=cut - 1)["baseline"]})
    table = pairing.markdown(now, before, n)
    f = floor[0]
    table += (f"\n\nThe floor of pairing by random numbers alone: the baseline against itself "
              f"with the same state up to week {cut - 1} and fresh random numbers from week "
              f"{cut} on gives a correlation of {f['correlation']:.2f} (variance ratio "
              f"{f['variance_ratio']:.2f}): what pairing would give if the runs shared no "
              f"numbers once a condition parts them at week {cut}. \"Before\" is commit "
              f"{BEFORE_KEYED} (one generator for the whole run) on the same seeds.")
    doses = pairing.grant_doses(seeds, workers=ctx.workers)
    table += ("\n\nHow sharp pairing stays as the change grows: the baseline with its grant "
              "(size and budget) scaled, on the same seeds.\n\n" + pairing.doses_markdown(doses)
              + "\n\nA change too small to matter leaves most pairs of runs identical; the "
              "larger the change, the more residents found, join or wait in one run and not in "
              "the other, and the variance of the paired difference grows with it. So a small "
              "effect is measured with few seeds; what the paired runs of a large change share "
              "less is the change's own consequences, not the generator's.")
    table += ("\n\nPairing over time, on the same seeds and runs (correlation / variance "
              "ratio against `baseline`):\n\n" + pairing.over_time_markdown(weekly)
              + "\n\n" + pairing.over_time_reading(weekly))
    bounds = pairing_bound.bound(pairing.SCENARIOS, seeds, workers=ctx.workers,
                                 continuations=2 if ctx.toy else pairing_bound.CONTINUATIONS)
    best = [pairing_bound.summary(b, outcomes["baseline"], outcomes[b.scenario]) for b in bounds]
    table += "\n\n" + pairing_bound.markdown(best, now, n)
    parted = pairing_causes.causes(pairing.SCENARIOS, seeds, workers=ctx.workers)
    table += ("\n\n" + pairing_causes.markdown(parted) + "\n\n"
              + pairing_causes.reading(parted))
    spread = pairing_spread.spread(seeds, workers=ctx.workers)
    table += "\n\n" + pairing_spread.markdown(spread)
    write_block(ctx, "docs/experiments.md", "pairing", table, "python scripts/make_docs.py "
                "pairing")
    return {"seeds": n, "now": now, "before": before, "floor": floor, "bound": best,
            "doses": {k: v.tolist() for k, v in doses.items()}, "causes": parted,
            "spread": spread,
            "over_time": pairing.over_time(weekly)}


ORDER = ("params", "calibration", "run", "compare", "pairing", "scale", "docking", "funding",
         "discover", "morris", "assumptions", "sobol", "abc", "abc-sbc", "compare-posterior",
         "portfolio", "portfolio-speed", "speed")


def check(root: Path) -> dict[str, list[str]]:
    """Every marked block per document, and the targets that write each (no runs)."""
    found = {}
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        names = blocks(path.read_text(encoding="utf-8"))
        if names:
            found[str(path.relative_to(root))] = names
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"what to regenerate (default: all): {', '.join(ORDER)}")
    parser.add_argument("--skip", nargs="*", default=[], metavar="TARGET")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="out/docs", help="where results go (default %(default)s)")
    parser.add_argument("--root", default=str(ROOT),
                        help="the tree whose README.md and docs/ are rewritten")
    parser.add_argument("--toy", action="store_true",
                        help="tiny sizes: checks the machinery, publishes no real number")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--check", action="store_true",
                        help="list the marked blocks in the documents; run nothing")
    args = parser.parse_args(argv)
    if args.list:
        for name in ORDER:
            t = TARGETS[name]
            print(f"{name:<18} {t.command}\n{'':<18} ({t.cost})")
        return 0
    root = Path(args.root).resolve()
    if args.check:
        for document, names in check(root).items():
            print(f"{document}: {', '.join(names)}")
        return 0
    unknown = [t for t in [*args.targets, *args.skip] if t not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(ORDER)}")
    if args.toy and root == ROOT:
        parser.error("--toy would publish toy numbers: give --root, a copy of the docs")
    chosen = [t for t in (args.targets or ORDER) if t not in args.skip]
    out = Path(args.out)
    if not out.is_absolute():
        out = (root if args.toy else ROOT) / out
    out.mkdir(parents=True, exist_ok=True)
    log_path = root / "docs" / "provenance.json"
    from simulation.provenance import provenance

    for name in chosen:
        started = time.time()
        print(f"[make_docs] {name}: {TARGETS[name].command} ({TARGETS[name].cost})",
              flush=True)
        ctx = Context(root, out, args.workers, args.toy)
        details = TARGETS[name].make(ctx)
        # read just before writing: another make_docs may have finished other targets
        log = json.loads(log_path.read_text()) if log_path.exists() else {}
        log[name] = {**details, "files": ctx.record.get("files", []),
                     "seconds": round(time.time() - started, 1), "toy": args.toy,
                     "provenance": provenance()}
        log_path.write_text(json.dumps(log, indent=1, ensure_ascii=False, default=str) + "\n")
        print(f"[make_docs] {name}: done in {time.time() - started:.0f} s "
              f"({', '.join(log[name]['files'])})", flush=True)
    return 0


def copy_docs(target: Path) -> Path:
    """A copy of README.md and docs/ for a trial run (``--toy --root``)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "README.md", target / "README.md")
    shutil.copytree(ROOT / "docs", target / "docs", dirs_exist_ok=True)
    return target


if __name__ == "__main__":
    sys.exit(main())
