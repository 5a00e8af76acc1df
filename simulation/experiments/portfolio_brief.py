"""A portfolio's one-page brief for a board, in English and Chinese (HTML, and PDF through
Debian's Chromium driven by playwright, as the browser tests drive it), its figure, and
the finding in three lines for the terminal.

The brief says: the recommended (or evaluated) allocation, the frontier figure, what it
buys with its interval, what it assumes (calibrated on one case; which conditions of this
portfolio lie outside the calibrated domain), and how it was made (command, commit).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..provenance import line as provenance_line
from . import portfolio as pf
from . import portfolio_figures as pfig

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CJK_FONT = "WenQuanYi Micro Hei"

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Portfolio brief: {name}",
        "illustrative": (
            "ILLUSTRATIVE — invented communities, for showing the method; not a plan for real"
            " places."),
        "recommend": "Recommended allocation",
        "evaluated": "Allocation evaluated",
        "buys": "What it buys",
        "assumes": "What it assumes",
        "made": "How it was made",
        "community": "Community",
        "allocation": "Allocation",
        "groups": "Groups alive two years on",
        "added": "Added vs no programme",
        "cost": "Cost (yuan)",
        "stall": "Stall chance",
        "total": "Total",
        "not_funded": "not funded",
        "buys_text": (
            "<b>{groups}</b> groups alive two years on ({glow}–{ghigh} in 95% of realisations),"
            " <b>{added}</b> more than without a programme, for <b>{cost}</b> yuan ({clow}–{chig"
            "h}): <b>{icer}</b> yuan per additional group [95% bootstrap interval]. In all"
            " but the least favourable tenth of the posterior's worlds: at least <b>{robust}</b>"
            " groups. Funded communities that stall (fewer than 10 new groups in the first"
            " year): {stall} on average. Budget {budget} yuan: 95th percentile of cost {p95}"
            " ({budget_ok}); staff {staff_used} of {staff} social workers."),
        "within": "within budget",
        "over": "OVER budget",
        "assumes_text": (
            "The model is calibrated on one documented case, a Chengdu community of about"
            " 5,000 residents (3 groups grew to 31 in a year with 3 social workers); its behavio"
            "ural parameters are drawn from the stored ABC posterior ({posterior}). Every"
            " community is assumed to respond like that case, given its own conditions; communit"
            "ies are independent places, sharing only the state of the world (the posterior"
            " draw). Costs are the model's own: worker hours at the registry's hourly cost,"
            " grants paid, training sessions and life meetings, to two years after the project."),
        "outside": (
            "Outside the calibrated domain (nothing in the case speaks for these): {items}."),
        "inside": "Every funded community lies inside the calibrated domain.",
        "made_text": (
            "<code>{command}</code> — {runs} simulated runs; intervals: mean (range of 95%"
            " of realisations: posterior draws × seeds) unless marked. {provenance}"),
        "search_text": (
            "Search: EMA Workbench <code>optimize</code> (ε-NSGA-II, {nfe} evaluations) over"
            " each community's options on {sd} draws × {ss} seed(s); objectives: mean cost,"
            " the {q}th percentile over posterior draws of groups alive two years on, the"
            " the expected share of funded communities that stall; constraints:"
            " 95th percentile of cost within budget, workers within staff{cap}. The {n} candidates"
            " shown were re-run on fresh draws and seeds ({rd} × {rs}); the recommendation"
            " is the one keeping most groups in the {q}th-percentile world within budget and"
            " staff."),
        "fig_x": "mean total cost to two years on (thousand yuan)",
        "fig_y": "groups alive two years on\n({q}th percentile over posterior draws)",
        "fig_front": "front (search seeds)",
        "fig_cands": "re-checked on fresh seeds",
        "fig_rec": "recommended",
        "fig_budget": "budget",
        "fig_title": "Cost against lasting groups",
        "fig_stall": "stall risk",
    },
    "zh": {
        "title": "资助组合简报：{name}",
        "illustrative": "示意 —— 虚构的社区，仅用于展示方法，并非针对真实社区的方案。",
        "recommend": "建议的资源分配",
        "evaluated": "所评估的资源分配",
        "buys": "能换来什么",
        "assumes": "前提与假设",
        "made": "如何得出",
        "community": "社区",
        "allocation": "分配",
        "groups": "两年后仍活跃的自组织",
        "added": "比无项目多出",
        "cost": "成本（元）",
        "stall": "停滞概率",
        "total": "合计",
        "not_funded": "不资助",
        "buys_text": (
            "两年后仍活跃的自组织 <b>{groups}</b> 支（95% 的情形在 {glow}–{ghigh} 之间）"
            "，比无项目多 <b>{added}</b> 支；成本 <b>{cost}</b> 元（{clow}–{chigh}）：每"
            "多一支自组织 <b>{icer}</b> 元［95% 自助法区间］。在后验分布中除最不利的十分"
            "之一以外的情形下：至少 <b>{robust}</b> 支。受资助社区中停滞（第一年新成立不"
            "足 10 支）的平均数：{stall}。预算 {budget} 元：成本的第 95 百分位数为 {p95}"
            "（{budget_ok}）；社工 {staff_used} / {staff} 人。"),
        "within": "在预算内",
        "over": "超出预算",
        "assumes_text": (
            "模型只在一个有记录的案例上校准：成都一个约 5,000 居民的社区（3 名社工，一年"
            "内自组织由 3 支增至 31 支）；行为参数取自存储的 ABC 后验分布（{posterior}）"
            "。假设每个社区在其自身条件下的反应与该案例相同；社区之间相互独立，只共享“世"
            "界的状态”（同一后验抽样）。成本为模型自身的核算：按登记的时薪计算的社工工时"
            "、已支付的小额资助、培训会与生活会，计至项目结束后两年。"),
        "outside": "超出校准范围（案例无法为其作证）：{items}。",
        "inside": "所有受资助社区都在校准范围之内。",
        "made_text": (
            "<code>{command}</code> —— 共 {runs} 次模拟；除另有说明外，区间为均值（后验抽"
            "样 × 随机种子中 95% 情形的范围）。{provenance}"),
        "search_text": (
            "搜索：EMA Workbench <code>optimize</code>（ε-NSGA-II，{nfe} 次评估），在 {sd}"
            " 个后验抽样 × {ss} 个种子上比较每个社区的选项；目标：平均成本、两年后活跃自"
            "组织数在后验抽样上的第 {q} 百分位数、受资助社区停滞比例的期望值；"
            "约束：成本第 95 百分位数不超预算，社工不超现有人数{cap}。图中 {n} 个候选方案在新"
            "的抽样与种子（{rd} × {rs}）上重新运行；建议方案是在预算和人员内、第 {q} 百分"
            "位情形下保留自组织最多的一个。"),
        "fig_x": "至项目后两年的平均总成本（千元）",
        "fig_y": "两年后活跃自组织数\n（后验第 {q} 百分位）",
        "fig_front": "帕累托前沿（搜索种子）",
        "fig_cands": "在新种子上复核",
        "fig_rec": "建议方案",
        "fig_budget": "预算",
        "fig_title": "成本与持久自组织",
        "fig_stall": "停滞风险",
    },
}


def _n(x: float, digits: int = 1) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:,.{digits}f}"


def _money(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:,.0f}"


def frontier_figure(result: Any, portfolio: pf.Portfolio, path: Path, lang: str) -> Path:
    """Mean cost against robust groups: the optimiser's front (search seeds) in grey, the
    re-checked candidates coloured by stall risk, the recommended one starred, the budget."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plots import save

    t = TEXT[lang]
    with matplotlib.rc_context({"font.family": ["sans-serif", CJK_FONT],
                                "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=130)
        q = portfolio.search.percentile
        front = result.front
        ax.scatter(front["cost"] / 1000, front["groups_robust"], s=14, color="0.75",
                   label=t["fig_front"])
        c = result.candidates
        points = ax.scatter(c["cost"] / 1000, c["groups_robust"], s=46, c=c["stall_risk"],
                            cmap="RdYlGn_r", vmin=0, vmax=max(0.3, float(c["stall_risk"].max())),
                            edgecolors="black", linewidths=0.6, label=t["fig_cands"], zorder=3)
        if result.recommended is not None:
            r = c.iloc[result.recommended]
            ax.scatter([r["cost"] / 1000], [r["groups_robust"]], s=260, marker="*",
                       facecolors="none", edgecolors="tab:blue", linewidths=1.6,
                       label=t["fig_rec"], zorder=4)
        ax.axvline(portfolio.budget / 1000, color="tab:red", ls="--", lw=1, label=t["fig_budget"])
        fig.colorbar(points, ax=ax, label=t["fig_stall"])
        ax.set_xlabel(t["fig_x"], fontsize=8)
        ax.set_ylabel(t["fig_y"].format(q=q), fontsize=8)
        ax.set_title(t["fig_title"], fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
        return save(fig, path)


def allocation_figure(table: pd.DataFrame, path: Path, lang: str) -> Path:
    """For an evaluated allocation: each funded community's added groups against its cost,
    with the range of 95% of realisations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plots import save

    t = TEXT[lang]
    rows = table[(table["community"] != "total") & table["funded"]]
    with matplotlib.rc_context({"font.family": ["sans-serif", CJK_FONT],
                                "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=130)
        x, y = rows["cost_total"] / 1000, rows["added_groups"]
        ax.errorbar(x, y, yerr=[y - rows["added_groups_low"], rows["added_groups_high"] - y],
                    fmt="o", color="tab:blue", ecolor="0.6", capsize=2)
        for _, r in rows.iterrows():
            ax.annotate(r["community"], (r["cost_total"] / 1000, r["added_groups"]), fontsize=6,
                        xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel(t["fig_x"], fontsize=8)
        ax.set_ylabel(t["added"], fontsize=8)
        ax.grid(alpha=0.3)
        return save(fig, path)


def _allocation_rows(table: pd.DataFrame, options: Mapping[str, Sequence[Mapping[str, Any]]],
                     choice: Mapping[str, int], lang: str) -> str:
    t = TEXT[lang]
    out = []
    rows = table[table["community"] != "total"]
    if len(rows) > MAX_ROWS:  # the funded first, most groups first; the rest in one line
        ranked = rows.sort_values(["funded", "groups_horizon"], ascending=False)
        shown = ranked.head(MAX_ROWS - 1)
        rest = len(rows) - len(shown)
        table = pd.concat([shown, table[table["community"] == "total"]])
        more = (f"… and {rest} more communities (evaluation.md)" if lang == "en"
                else f"…… 另有 {rest} 个社区（见 evaluation.md）")
    else:
        more = ""
    for _, r in table.iterrows():
        name = r["community"]
        if name == "total" and more:
            out.append(f"<tr><td colspan='6'><small>{more}</small></td></tr>")
        if name == "total":
            label, allocation = f"<b>{t['total']}</b>", ""
            stall = _n(r["stalled_communities"])
        else:
            o = choice[name]
            label = html.escape(name)
            allocation = (html.escape(pfig.describe_option(options[name][o], lang)) if o >= 0
                          and pf.funded(options[name][o]) else t["not_funded"])
            stall = "-" if not math.isfinite(r["stall"]) else f"{r['stall']:.0%}"
        out.append(
            f"<tr><td>{label}</td><td>{allocation}</td>"
            f"<td>{_n(r['groups_horizon'])} <small>{_range(r)}</small></td>"
            f"<td>{_n(r['added_groups'])}</td><td>{_money(r['cost_total'])}</td>"
            f"<td>{stall}</td></tr>")
    return "\n".join(out)


MAX_ROWS = 16
"""Communities listed in the brief's table at most (a larger portfolio: the rest in a line)."""


def _range(r: Any) -> str:
    low, high = _n(r["groups_horizon_low"], 0), _n(r["groups_horizon_high"], 0)
    return "" if low == high else f"({low}–{high})"


CSS = """
@page { size: A4; margin: 11mm 12mm; }
body { font-family: 'Noto Sans', 'DejaVu Sans', 'WenQuanYi Micro Hei', sans-serif;
       font-size: 8.6pt; line-height: 1.32; color: #222; max-width: 190mm; margin: auto; }
h1 { font-size: 14pt; margin: 0 0 2mm; } h2 { font-size: 10pt; margin: 3mm 0 1mm;
     border-bottom: 1px solid #bbb; }
.flag { background: #fff3cd; border: 1px solid #e0c060; padding: 1mm 2mm; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 7.6pt; }
td, th { border-bottom: 1px solid #ddd; padding: 0.6mm 1.2mm; text-align: left; }
img { width: 118mm; display: block; margin: 1mm auto; }
code { font-size: 7.4pt; } small { color: #666; } .made { font-size: 7.2pt; color: #444; }
"""


def brief_html(lang: str, portfolio: pf.Portfolio, table: pd.DataFrame,
               checks: Mapping[str, Any], options: Mapping[str, Sequence[Mapping[str, Any]]],
               choice: Mapping[str, int], figure: str, command: str, runs: int,
               domain: Mapping[str, Sequence[str]], search: Mapping[str, Any] | None,
               robust: float) -> str:
    """The one-page brief in ``lang`` ("en" or "zh")."""
    t = TEXT[lang]
    total = table[table["community"] == "total"].iloc[0]
    outside_names = sorted({item.split(" ", 1)[0] for v in domain.values() for item in v})
    counted = {n: sum(any(i.startswith(n + " ") for i in v) for v in domain.values())
               for n in outside_names}
    bounds = {}
    from .domain import domain as calibrated

    for n in outside_names:
        low, high = calibrated()[n]
        bounds[n] = f"{low:g}" if low == high else f"{low:g}–{high:g}"
    outside = (t["outside"].format(items="; ".join(
        f"<code>{n}</code> ({counted[n]} "
        f"{('community' if counted[n] == 1 else 'communities') if lang == 'en' else '个社区'}; "
        f"{'calibrated' if lang == 'en' else '校准值'} {bounds[n]})" for n in outside_names))
        if outside_names else t["inside"])
    buys = t["buys_text"].format(
        groups=_n(total["groups_horizon"]), glow=_n(total["groups_horizon_low"], 0),
        ghigh=_n(total["groups_horizon_high"], 0), added=_n(total["added_groups"]),
        cost=_money(total["cost_total"]), clow=_money(total["cost_total_low"]),
        chigh=_money(total["cost_total_high"]), icer=html.escape(str(total["icer_text"])),
        robust=_n(robust), stall=_n(total["stalled_communities"]),
        budget=_money(portfolio.budget), p95=_money(checks["cost_p95"]),
        budget_ok=t["within"] if checks["within_budget"] else t["over"],
        staff_used=checks["staff_used"], staff=checks["staff"])
    made = t["made_text"].format(command=html.escape(command), runs=f"{runs:,}",
                                 provenance=html.escape(provenance_line()))
    if search:
        cap = float(search.get("cap", 1.0))
        ceiling = ("" if cap >= 1 else f", stall risk at most {cap:.0%}" if lang == "en"
                   else f"，停滞风险不超过 {cap:.0%}")
        made = t["search_text"].format(**{**search, "cap": ceiling}) + " " + made
    flag = f"<p class='flag'>{t['illustrative']}</p>" if portfolio.illustrative else ""
    heading = t["recommend"] if search else t["evaluated"]
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<title>{html.escape(t['title'].format(name=portfolio.name))}</title><style>{CSS}</style></head>
<body>
<h1>{html.escape(t['title'].format(name=portfolio.name))}</h1>
{flag}
<h2>{heading}</h2>
<table><tr><th>{t['community']}</th><th>{t['allocation']}</th><th>{t['groups']}</th>
<th>{t['added']}</th><th>{t['cost']}</th><th>{t['stall']}</th></tr>
{_allocation_rows(table, options, choice, lang)}
</table>
<img src="{html.escape(figure)}" alt="frontier">
<h2>{t['buys']}</h2><p>{buys}</p>
<h2>{t['assumes']}</h2><p>{t['assumes_text'].format(posterior=html.escape(pfig._rel(portfolio.posterior)))}
{outside}</p>
<h2>{t['made']}</h2><p class="made">{made}</p>
</body></html>
"""


def write_pdf(html_path: Path, pdf_path: Path) -> str | None:
    """Print ``html_path`` to a one-page A4 PDF with Chromium; the reason if it cannot."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (scripts/bootstrap.sh --dev installs it)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed (the test extra)"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(html_path.resolve().as_uri())
            for scale in (1.0, 0.92, 0.84, 0.76, 0.68, 0.6):  # one page: shrink if needed
                page.pdf(path=str(pdf_path), format="A4", print_background=True,
                         prefer_css_page_size=True, scale=scale)
                if pdf_pages(pdf_path) <= 1:
                    break
            browser.close()
    except Exception as err:  # noqa: BLE001 - a PDF is a convenience: say why, keep the HTML
        return f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    return None


def pdf_pages(path: Path) -> int:
    """How many pages a PDF written by Chromium has (its page objects)."""
    data = path.read_bytes()
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def finding(table: pd.DataFrame, checks: Mapping[str, Any], portfolio: pf.Portfolio,
            domain: Mapping[str, Sequence[str]], robust: float, searched: bool,
            brief: Path) -> list[str]:
    """The finding in three lines: the allocation, what it buys, what it assumes."""
    total = table[table["community"] == "total"].iloc[0]
    funded = checks["funded"]
    outside = sorted({item.split(" ", 1)[0] for v in domain.values() for item in v})
    what = "Recommended" if searched else "Allocation"
    tag = " [ILLUSTRATIVE portfolio]" if portfolio.illustrative else ""
    return [
        f"{what}{tag}: fund {len(funded)} of {len(portfolio.communities)} communities with "
        f"{checks['staff_used']} of {portfolio.staff} social workers; cost "
        f"{total['cost_total']:,.0f} yuan (95th percentile {checks['cost_p95']:,.0f}; budget "
        f"{portfolio.budget:,.0f}, {'within' if checks['within_budget'] else 'OVER'}).",
        f"Buys {total['groups_horizon']:.1f} groups alive two years on (95% of realisations "
        f"{total['groups_horizon_low']:.0f}–{total['groups_horizon_high']:.0f}; at least "
        f"{robust:.1f} in the {portfolio.search.percentile}th-percentile posterior world), "
        f"+{total['added_groups']:.1f} vs no programme at {total['icer_text']} yuan per "
        f"additional group; {total['stalled_communities']:.1f} funded communities stall on "
        "average.",
        "Assumes every community responds like the one calibrated Chengdu case"
        + (f"; outside its calibrated domain: {', '.join(outside)}" if outside else "")
        + f". Brief: {brief}",
    ]
