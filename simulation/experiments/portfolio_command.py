"""``sprout portfolio FILE [--search]``: evaluate a foundation's allocation, or search for
allocations within its budget and staff, and write the board's brief."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from ..errors import UsageError, dask_type, integer, out_path, workers_type

OUTPUTS = ("portfolio.json", "evaluation.md", "evaluation.csv", "front.csv", "candidates.csv",
           "recommended.toml", "brief.en.html", "brief.zh.html", "brief.en.pdf", "brief.zh.pdf",
           "figure.en.png", "figure.zh.png", "runs")
"""What ``sprout portfolio`` writes into its folder (``runs/``: every community's stored
runs, one sweep results folder per community, stage and design)."""


def register(subparsers: Any) -> None:
    """Add ``sprout portfolio`` to the command line."""
    parser = subparsers.add_parser(
        "portfolio", help="a foundation's portfolio: evaluate an allocation, or --search",
        description="Evaluate the allocation of a portfolio file (every community, and the "
                    "total, under posterior draws × paired seeds), or with --search find "
                    "allocations within its budget and staff (a Pareto front of cost, groups "
                    "alive two years on and stall risk, robust over the posterior), and write "
                    "a one-page brief (HTML and PDF, English and Chinese). Runs are stored as "
                    "they finish: a killed command completes when run again.",
        epilog="portfolio files: experiments/portfolio_example.toml (illustrative); the format "
               "is in docs/portfolio.md")
    parser.add_argument("file", help="portfolio file (a path, or a name in experiments/)")
    parser.add_argument("--search", action="store_true",
                        help="search the levers left as lists instead of evaluating fixed ones")
    parser.add_argument("--within-domain", action="store_true",
                        help="offer the search only options inside the calibrated domain "
                             "(default: offer all and flag those outside)")
    count = integer(1, 10_000, "a count")
    parser.add_argument("--draws", type=count, metavar="D",
                        help="posterior draws (default: the file's [evaluation] or [search])")
    parser.add_argument("--seeds", type=count, metavar="R", help="seeds per draw (likewise)")
    parser.add_argument("--nfe", type=integer(100, 1_000_000, "a number of evaluations"),
                        help="the optimiser's evaluations with --search (default: the file's)")
    parser.add_argument("--workers", type=workers_type(), metavar="N",
                        help="processes (or Dask LocalCluster workers); default: cores")
    parser.add_argument("--dask", type=dask_type(), metavar="ADDRESS|local",
                        help="run on a Dask cluster ('local' or a scheduler's address)")
    parser.add_argument("--out", type=out_path(), metavar="DIR",
                        help="output folder (default: out/portfolio/NAME)")
    parser.add_argument("--no-pdf", action="store_true", help="write the brief as HTML only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=cmd_portfolio)


def _command(args: argparse.Namespace) -> str:
    """The command as a reader would retype it: paths under the working folder relative to
    it (a brief should not carry the analyst's home folder)."""
    parts = ["sprout", "portfolio", _shown(args.file)]
    for flag in ("search", "within_domain", "no_pdf"):
        if getattr(args, flag):
            parts.append("--" + flag.replace("_", "-"))
    for option in ("draws", "seeds", "nfe", "out"):
        if getattr(args, option) is not None:
            value = getattr(args, option)
            parts += ["--" + option, _shown(value) if option == "out" else str(value)]
    return " ".join(shlex.quote(p) for p in parts)


def _shown(path: object) -> str:
    try:
        return str(Path(str(path)).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def cmd_portfolio(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ..folders import check_outputs_of
    from . import portfolio as pf
    from . import portfolio_figures as pfig

    portfolio = pf.load(args.file)
    if args.search:
        if not portfolio.searchable:
            raise UsageError(f"{portfolio.path}: every lever is fixed, so there is nothing to "
                             "search; list values for a lever (e.g. n_workers = [0, 1, 2, 3]) "
                             "or leave out --search")
        changes = {k: v for k, v in (("draws", args.draws), ("seeds", args.seeds),
                                     ("nfe", args.nfe)) if v is not None}
        portfolio = replace(portfolio, search=replace(portfolio.search, **changes))
    else:
        if portfolio.searchable:
            left = sorted({f"{c.name}: {', '.join(c.choices)}" for c in portfolio.communities
                           if c.choices})
            raise UsageError(f"{portfolio.path}: levers left to the search ({left[0]}"
                             f"{' …' if len(left) > 1 else ''}); fix them to evaluate an "
                             "allocation, or add --search")
        if args.nfe is not None:
            raise UsageError("--nfe goes with --search")
        if args.within_domain:
            raise UsageError("--within-domain goes with --search")
        changes = {k: v for k, v in (("draws", args.draws), ("seeds", args.seeds))
                   if v is not None}
        portfolio = replace(portfolio, evaluation=replace(portfolio.evaluation, **changes))
        choice, _ = pfig.fixed_choice(portfolio)
        staff = sum(int(c.levers.get("n_workers", 0)) for c in portfolio.communities)
        if staff > portfolio.staff:
            raise UsageError(f"{portfolio.path}: portfolio.staff: the allocation needs {staff} "
                             f"social workers; {portfolio.staff} are available")
    out = Path(args.out or Path("out") / "portfolio" / portfolio.name)
    check_outputs_of(out, OUTPUTS, "portfolio.json", ("portfolio", "sprout_version"),
                     "portfolio")
    out.mkdir(parents=True, exist_ok=True)
    from .. import __version__

    # Marks the folder as a portfolio's before anything else is written: a command stopped
    # half-way leaves a folder Sprout recognises as its own and completes when run again.
    pfig.write_json(out / "portfolio.json", {
        "portfolio": {"name": portfolio.name, "file": portfolio.path}, "status": "running",
        "sprout_version": __version__})
    args.on_interrupt = (f"the runs finished so far are kept in {out}/runs/; run the same "
                         "command again to complete them")
    workers = args.workers or os.cpu_count() or 1
    if args.search:
        return _search(args, portfolio, out, workers)
    return _evaluate(args, portfolio, out, workers)


def _evaluate(args: argparse.Namespace, portfolio: Any, out: Path, workers: int) -> int:
    from . import portfolio_figures as pfig
    from . import portfolio_runs as pr

    choice, options = pfig.fixed_choice(portfolio)
    frame, stats = pr.simulate(portfolio, "evaluate", options, portfolio.evaluation,
                               out / "runs", workers, args.dask, not args.quiet)
    table, checks = pfig.figures(portfolio, frame, choice, options)
    chosen = {c.name: options[c.name][0] for c in portfolio.communities}
    domain = pfig.domain_notes(portfolio, chosen)
    text = pfig.markdown(table, checks, portfolio, portfolio.evaluation, options, choice)
    (out / "evaluation.md").write_text(text + "\n", encoding="utf-8")
    table.to_csv(out / "evaluation.csv", index=False)
    return _finish(args, portfolio, out, table, checks, options, choice, domain, stats.__dict__,
                   len(frame), text, None, None)


def _search(args: argparse.Namespace, portfolio: Any, out: Path, workers: int) -> int:
    from . import portfolio as pf
    from . import portfolio_figures as pfig
    from . import portfolio_search as ps

    result = ps.search(portfolio, out / "runs", workers, args.dask, not args.quiet,
                       args.within_domain)
    result.front.to_csv(out / "front.csv", index=False)
    if result.candidates.empty or result.recommended is None:
        raise UsageError(f"{portfolio.path}: no allocation within the budget "
                         f"({portfolio.budget:,.0f} yuan, 95th percentile of cost), the staff "
                         f"({portfolio.staff}) and the stall-risk ceiling "
                         f"({portfolio.search.max_stall_risk:g}) was found; see {out}/front.csv")
    result.candidates.to_csv(out / "candidates.csv", index=False)
    levers = ps.chosen_levers(result, result.recommended)
    (out / "recommended.toml").write_text(ps.allocation_toml(
        portfolio, levers, f"The allocation `{_command(args)}` recommends; evaluate it on "
        "fresh seeds with `sprout portfolio` on this file."), encoding="utf-8")
    choice = result.choice(result.recommended)
    table, checks = pfig.figures(portfolio, result.recheck_frame, choice, result.recheck_options)
    domain = pfig.domain_notes(portfolio, levers)
    settings = pf.Settings(portfolio.search.recheck_draws, portfolio.search.recheck_seeds)
    text = pfig.markdown(table, checks, portfolio, settings, result.recheck_options, choice)
    (out / "evaluation.md").write_text(
        "Recommended allocation, re-checked on fresh draws and seeds:\n\n" + text + "\n",
        encoding="utf-8")
    table.to_csv(out / "evaluation.csv", index=False)
    s = portfolio.search
    search = {"nfe": f"{result.timing['nfe']:,}", "sd": s.draws, "ss": s.seeds,
              "q": s.percentile, "n": len(result.candidates),
              "rd": s.recheck_draws, "rs": s.recheck_seeds, "cap": s.max_stall_risk}
    runs = (result.timing["search_runs"]["planned"] + result.timing["recheck_runs"]["planned"])
    return _finish(args, portfolio, out, table, checks, result.recheck_options, choice, domain,
                   result.timing, runs, text, result, search)


def _finish(args: argparse.Namespace, portfolio: Any, out: Path, table: Any, checks: dict,
            options: dict, choice: dict, domain: dict, timing: dict, runs: int, text: str,
            result: Any, search: dict | None) -> int:
    from .. import __version__
    from ..provenance import provenance
    from . import portfolio as pf
    from . import portfolio_brief as brief
    from . import portfolio_figures as pfig

    command = _command(args)
    robust = checks["groups_robust"]
    written = []
    pdf_problem = None
    for lang in ("en", "zh"):
        figure = out / f"figure.{lang}.png"
        if result is not None:
            brief.frontier_figure(result, portfolio, figure, lang)
        else:
            brief.allocation_figure(table, figure, lang)
        page = brief.brief_html(lang, portfolio, table, checks, options, choice, figure.name,
                                command, runs, domain, search, robust)
        path = out / f"brief.{lang}.html"
        path.write_text(page, encoding="utf-8")
        written.append(path.name)
        if not args.no_pdf:
            pdf_problem = brief.write_pdf(path, out / f"brief.{lang}.pdf") or pdf_problem
            if (out / f"brief.{lang}.pdf").exists():
                written.append(f"brief.{lang}.pdf")
    meta = {"portfolio": {"name": portfolio.name, "file": portfolio.path,
                          "file_sha256": portfolio.file_sha256, "seed": portfolio.seed,
                          "illustrative": portfolio.illustrative},
            "command": command, "mode": "search" if search else "evaluate",
            "checks": checks, "domain": domain, "timing": timing,
            "allocation": {c: pfig.describe_option(options[c][k]) if k >= 0 else pf.NOT_FUNDED
                           for c, k in choice.items()},
            "sprout_version": __version__, "provenance": provenance()}
    pfig.write_json(out / "portfolio.json", meta)
    if not args.quiet:
        print(text)
        print()
    for line in brief.finding(table, checks, portfolio, domain, robust, bool(search),
                              out / "brief.en.html"):
        print(line)
    print(f"Wrote {out}/ ({', '.join(['evaluation.md', 'evaluation.csv', *written])}"
          f"{', candidates.csv, front.csv, recommended.toml' if search else ''}, portfolio.json)")
    if pdf_problem:
        print(f"note: no PDF brief: {pdf_problem}", file=sys.stderr)
    return 0
