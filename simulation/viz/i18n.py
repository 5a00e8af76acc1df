"""Every word the workshop shows, in English and Chinese.

The event sentences come from the model (``Event.text(lang)``); everything else on screen
— controls, legends, axis labels, messages — is looked up here with :func:`t`, so the
language can switch live.
"""

from __future__ import annotations

from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
    # --- page ---------------------------------------------------------------------------
    "title": {"en": "Sprout workshop: how self-organised groups sprout",
              "zh": "萌芽工作坊：社区自组织如何生长"},
    "switch_language": {"en": "中文", "zh": "English"},
    "run_card": {"en": "Run", "zh": "运行"},
    "conditions_card": {"en": "Conditions", "zh": "条件设置"},
    "play": {"en": "Play", "zh": "播放"},
    "pause": {"en": "Pause", "zh": "暂停"},
    "step": {"en": "Step", "zh": "单步"},
    "reset": {"en": "Reset", "zh": "重置"},
    "speed": {"en": "Speed", "zh": "速度"},
    "speed_option": {"en": "{n} weeks per second", "zh": "每秒 {n} 周"},
    "speed_max": {"en": "as fast as possible", "zh": "尽可能快"},
    "scenario": {"en": "Scenario", "zh": "情景"},
    "compare": {"en": "Side by side", "zh": "并排对比"},
    "compare_with": {"en": "Right-hand scenario", "zh": "右侧情景"},
    "compare_note": {"en": "The right-hand run keeps these conditions and the seed, and "
                              "changes what its scenario file changes.",
                     "zh": "右侧运行沿用这些条件和随机种子，只改变其情景文件所改变的设置。"},
    "seed": {"en": "Seed", "zh": "随机种子"},
    "pending": {"en": "Changes apply when you press Reset.",
                "zh": "修改将在点击“重置”后生效。"},
    "week": {"en": "Week {week}", "zh": "第 {week} 周"},
    "phase_infiltration": {"en": "infiltration", "zh": "下渗阶段"},
    "phase_programme": {"en": "programme", "zh": "项目实施"},
    "phase_after": {"en": "after the project", "zh": "项目结束后"},
    "timing": {"en": "Last update: model step {model:.0f} ms, drawing {draw:.0f} ms.",
               "zh": "最近一次更新：模型计算 {model:.0f} 毫秒，绘图 {draw:.0f} 毫秒。"},
    "finished": {"en": "The run has reached its last week.", "zh": "本次运行已到最后一周。"},
    "events": {"en": "What happens", "zh": "事件记录"},
    "no_events": {"en": "Nothing has happened yet: press Play or Step.",
                  "zh": "尚无事件：请点击“播放”或“单步”。"},
    "figures": {"en": "{residents:,} residents · {groups} active groups · {acting:,} acting · "
                      "{grants:,.0f} yuan granted",
                "zh": "{residents:,} 位居民 · {groups} 支活跃自组织 · {acting:,} 人参与 · "
                      "已拨付 {grants:,.0f} 元"},
    "error": {"en": "These conditions cannot be run: {error}", "zh": "无法按这些条件运行：{error}"},
    # --- messages about extreme conditions ---------------------------------------------
    "warn_no_workers": {"en": "No social workers: the programme does not run; only the "
                                "existing groups live on.",
                        "zh": "没有社工：项目不会开展，只有原有队伍继续活动。"},
    "warn_infiltration_whole": {"en": "Infiltration lasts the whole project: the grants are "
                                        "never announced.",
                                "zh": "下渗阶段占满整个项目期：资金支持始终没有宣布。"},
    "warn_no_grant": {"en": "No micro-grant can be paid: the grant is zero or larger than "
                              "the budget.",
                      "zh": "无法拨付小额资金：单笔金额为零或超过总预算。"},
    "warn_large": {"en": "A community of {n:,} residents: each week takes longer to draw.",
                   "zh": "{n:,} 位居民的社区：每周的绘图会更慢。"},
    "warn_demos_without_meetings": {"en": "Demonstrators share at life meetings: without "
                                            "meetings they have nowhere to speak.",
                                    "zh": "示范者在生活会上分享：没有生活会，他们无处分享。"},
    # --- the map ------------------------------------------------------------------------
    "map_title": {"en": "{name} — week {week}", "zh": "{name} —— 第 {week} 周"},
    "worker": {"en": "social worker", "zh": "社工"},
    "workers_elsewhere": {"en": "workers at meetings, Q&A and groups",
                          "zh": "社工在开会、答疑、陪伴队伍"},
    "leader": {"en": "group leader (lines: members)", "zh": "队伍负责人（连线：成员）"},
    "depth": {"en": "infiltration depth", "zh": "下渗深度"},
    "interests": {"en": "groups by interest", "zh": "队伍类型"},
    "courtyard": {"en": "courtyard", "zh": "院落"},
    "animation_title": {"en": "{name} (scenario {scenario}, seed {seed})",
                        "zh": "{name}（情景 {scenario}，随机种子 {seed}）"},
    # --- the charts ---------------------------------------------------------------------
    "chart_states": {"en": "Residents by state", "zh": "居民状态"},
    "chart_groups": {"en": "Active groups", "zh": "活跃自组织数量"},
    "chart_hours": {"en": "Worker hours by activity", "zh": "社工工时（按活动）"},
    "chart_grants": {"en": "Micro-grants (yuan)", "zh": "小额资金（元）"},
    "axis_week": {"en": "week", "zh": "周"},
    "case_mark": {"en": "case: {groups} groups at week {week}",
                  "zh": "案例：第 {week} 周 {groups} 支"},
    "project_end": {"en": "project ends", "zh": "项目结束"},
    "grants_paid": {"en": "paid out", "zh": "已拨付"},
    "budget_left": {"en": "budget left", "zh": "剩余预算"},
}

STATES: dict[str, tuple[str, ...]] = {
    "en": ("latent", "aware", "trusting", "acting", "leading"),
    "zh": ("潜在", "知晓", "信任", "参与", "带领"),
}
"""Names of ``simulation.residents.State`` codes 0-4."""

ACTIVITIES: dict[str, dict[str, str]] = {
    "en": {"infiltration": "infiltration visits", "qa": "private Q&A",
           "pioneer": "pioneer support", "accompaniment": "accompanying groups",
           "meetings": "training and life meetings"},
    "zh": {"infiltration": "下渗走访", "qa": "私下答疑", "pioneer": "陪伴先行者",
           "accompaniment": "陪伴队伍", "meetings": "培训会与生活会"},
}
"""Names of ``simulation.workers.ACTIVITIES``."""

PARAMETERS: dict[str, dict[str, str]] = {
    "infiltration_weeks": {"en": "Infiltration: {value} months",
                           "zh": "下渗时长：{value} 个月"},
    "n_workers": {"en": "Social workers: {value}", "zh": "社工人数：{value}"},
    "grid_worker_accompaniment": {"en": "Grid workers accompany visits",
                                  "zh": "网格员陪同走访"},
    "grant_size": {"en": "Grant size: {value:,.0f} yuan", "zh": "单笔资金：{value:,.0f} 元"},
    "grant_budget": {"en": "Grant budget: {value:,.0f} yuan",
                     "zh": "资金总预算：{value:,.0f} 元"},
    "training_sessions": {"en": "Training sessions: {value}", "zh": "培训会：{value} 场"},
    "life_meetings": {"en": "Life meetings", "zh": "自组织生活会"},
    "demonstrations": {"en": "Demonstrators share", "zh": "示范者分享"},
    "committee_support": {"en": "Committee support: {value:.2f}",
                          "zh": "两委支持度：{value:.2f}"},
    "neighbour_familiarity": {"en": "Neighbour familiarity: {value:.2f}",
                              "zh": "邻里熟悉度：{value:.2f}"},
    "n_residents": {"en": "Residents: {value:,}", "zh": "社区人口：{value:,}"},
}
"""Labels of the trainer's controls; ``{value}`` is the control's current value."""

SCENARIOS: dict[str, dict[str, str]] = {
    "baseline": {"en": "The Chengdu case", "zh": "成都案例"},
    "double_grant": {"en": "Double grants", "zh": "资金翻倍"},
    "grants_only": {"en": "Grants only", "zh": "只有资金"},
    "no_demonstrations": {"en": "No demonstrations", "zh": "没有示范分享"},
    "no_grants": {"en": "No grants", "zh": "没有资金"},
    "no_infiltration": {"en": "No infiltration", "zh": "没有下渗"},
    "one_month_infiltration": {"en": "One month of infiltration", "zh": "下渗一个月"},
    "weak_community": {"en": "Weak community", "zh": "薄弱社区"},
}
"""Titles of the scenario files shipped in ``scenarios/``; other files show their name."""

SCENARIO_NOTES_ZH: dict[str, str] = {
    "baseline": "成都案例：四个月下渗，随后培训会、私下答疑、先行者、自组织生活会和小额资金",
    "double_grant": "每笔小额资金 2,000 元（预算翻倍）",
    "grants_only": "只有资金：没有下渗，也没有建立信任",
    "no_demonstrations": "没有自组织生活会，也没有示范者分享",
    "no_grants": "没有小额资金；下渗、建立信任和示范分享与案例相同",
    "no_infiltration": "没有下渗：项目第 1 周就宣布资金支持",
    "one_month_infiltration": "下渗一个月而不是四个月",
    "weak_community": "两委支持弱，邻里熟悉度低",
}
"""Chinese descriptions of the shipped scenario files (English is in each file)."""


def t(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang``, with ``values`` filled in."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def parameter_label(name: str, lang: str, value: Any = None) -> str:
    """The label of a control, showing its current value."""
    return PARAMETERS[name][lang].format(value=value)


def scenario_title(name: str, lang: str) -> str:
    """A scenario's title for the picker; files without one show their name."""
    return SCENARIOS.get(name, {}).get(lang, name)


def scenario_note(name: str, description: str, lang: str) -> str:
    """A scenario's description in ``lang``; files without a translation keep their own."""
    if lang == "zh":
        return SCENARIO_NOTES_ZH.get(name, description)
    return description
