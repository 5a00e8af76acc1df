"""Every word Sprout shows, in English and Chinese: the event log's sentences and the
workshop page's labels, legends, messages and scenario titles.

Events are stored as data (:class:`Event`) and told in a language on demand; every other
text is looked up with :func:`t`, so the workshop page can switch language live. Each key
exists in both languages with the same ``{placeholders}`` (``tests/test_text.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .parameters import INTEREST_CATEGORIES
from .text_page import PAGE

LANGUAGES: tuple[str, ...] = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
    **PAGE,  # the workshop page (text_page.py)
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
    "animation_title": {"en": "{name} (seed {seed})", "zh": "{name}（随机种子 {seed}）"},
    "caption": {"en": "Week {week}: {text}", "zh": "第 {week} 周：{text}"},
    # --- the charts ---------------------------------------------------------------------
    "chart_states": {"en": "Residents by state", "zh": "居民状态"},
    "chart_groups": {"en": "Active groups", "zh": "活跃自组织数量"},
    "chart_hours": {"en": "Worker hours by activity", "zh": "社工工时（按活动）"},
    "chart_grants": {"en": "Micro-grants (yuan)", "zh": "小额资金（元）"},
    "axis_week": {"en": "week", "zh": "周"},
    # Short, so that at 1024 px the key stays on the title's line with the band's.
    "case_mark": {"en": "case: {groups} at week {week}",
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

SCENARIOS: dict[str, dict[str, str]] = {
    "baseline": {"en": "The Chengdu case", "zh": "成都案例"},
    "double_grant": {"en": "Double grants", "zh": "资金翻倍"},
    "grants_only": {"en": "Grants only", "zh": "只有资金"},
    "no_demonstrations": {"en": "No demonstrations", "zh": "没有示范分享"},
    "no_grants": {"en": "No grants", "zh": "没有资金"},
    "no_infiltration": {"en": "No infiltration", "zh": "没有下渗"},
    "one_month_infiltration": {"en": "One month of infiltration", "zh": "下渗一个月"},
    "no_pioneer_support": {"en": "No supported pioneer", "zh": "没有陪伴先行者"},
    "no_programme": {"en": "No programme", "zh": "没有项目"},
    "weak_community": {"en": "Weak community", "zh": "薄弱社区"},
    "no_personal_work": {"en": "No personal work by the workers", "zh": "社工不做一对一工作"},
    "fixed_meetings": {"en": "Life meetings on a timer", "zh": "生活会按固定时间召开"},
}
"""Titles of the scenario files shipped in ``scenarios/``; other files show their name."""

SCENARIO_NOTES_ZH: dict[str, str] = {
    "baseline": ("成都案例：四个月下渗（社工和网格员走进楼栋院落，成为居民熟悉的面孔），"
                 "随后培训会、私下答疑、先行者、自组织生活会和小额资金"),
    "double_grant": "每笔小额资金 2,000 元（预算翻倍）",
    "grants_only": "只有资金：没有下渗（走访混熟），也没有建立信任",
    "no_demonstrations": "没有自组织生活会，也没有示范者分享",
    "no_grants": "没有小额资金；下渗、建立信任和示范分享与案例相同",
    "no_infiltration": "没有下渗（社工不先走访、与居民混熟）：项目第 1 周就宣布资金支持",
    "one_month_infiltration": "下渗一个月而不是四个月",
    "no_pioneer_support": "社工宣讲、答疑、召开生活会，但不陪伴任何一位居民直到其行动",
    "no_programme": "同一个社区，没有社工也没有小额资金（计算新增自组织成本的参照）",
    "weak_community": "两委支持弱，邻里熟悉度低",
    "no_personal_work": "没有私下答疑、生活会上社工不答疑；仍陪伴一位先行者（其自组织不算居民"
                        "自发），其余与案例相同（用来判断哪些自组织是居民自发成立的）",
    "fixed_meetings": "自组织生活会在宣布资金支持后按固定时间召开，不等第一个居民行动成功",
}
"""Chinese descriptions of the shipped scenario files (English is in each file)."""


def t(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang``, with ``values`` filled in."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def scenario_title(name: str, lang: str) -> str:
    """A scenario's title for the picker; files without one show their name."""
    return SCENARIOS.get(name, {}).get(lang, name)


def scenario_note(name: str, description: str, lang: str) -> str:
    """A scenario's description in ``lang``; files without a translation keep their own."""
    if lang == "zh":
        return SCENARIO_NOTES_ZH.get(name, description)
    return description


INTEREST_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "dance": "dance",
        "singing": "singing",
        "qipao": "qipao",
        "photography": "photography",
        "repairs": "plumbing & electrical repairs",
        "elder_visits": "elder visiting",
        "neighbourhood_affairs": "neighbourhood affairs",
    },
    "zh": {
        "dance": "舞蹈",
        "singing": "合唱",
        "qipao": "旗袍",
        "photography": "摄影",
        "repairs": "水电维修志愿队",
        "elder_visits": "探望陪伴老人",
        "neighbourhood_affairs": "社区事务",
    },
}

ORIGIN_NAMES = {
    "en": {
        "initial": "existing",
        "pioneer": "the pioneer's",
        "new": "new",
    },
    "zh": {
        "initial": "原有",
        "pioneer": "先行者的",
        "new": "新的",
    },
}

LADDER = {
    "en": {1: "ran an activity", 2: "organised a festival event", 3: "linked outside resources"},
    "zh": {1: "办了一次活动", 2: "组织了节日社区活动", 3: "链接了外部资源"},
}

PURPOSE_TEXT = {
    "en": {"mutual_aid": "takes on mutual help (repairs, visits to elders) besides its own "
                         "activities",
           "affairs": "turns to the community's problems"},
    "zh": {"mutual_aid": "在自身活动之外开始做邻里互助（维修、探望老人）",
           "affairs": "开始关心社区的公共问题"},
}

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "project_start": "The project starts: {workers_begin} visiting buildings{grid}.",
        "new_courtyard": "A social worker reaches courtyard {courtyard} for the first time.",
        "infiltration_end": "Infiltration ends: {buildings:.0%} of buildings reached, the "
        "needs of {known_residents} known.",
        "training": "Training session with {attendance}: they hear that the project funds "
        "self-organised action.",
        "pioneer_chosen": "Workers choose a pioneer: a resident keen on {interest} held back "
        "by doubts; they give money and companionship.",
        "pioneer_acts": "The pioneer acts: a neighbourhood banquet (坝坝宴) founds "
        "{a_group}.",
        "life_meeting": "Life meeting with {attendance}; {sharers_share} experience.",
        "life_meeting_quiet": "Life meeting with {attendance}; no demonstrator yet, so the "
        "workers answer the questions themselves.",
        "pioneer_gives_up": "The pioneer, keen on {interest}, has not acted after weeks of "
        "support and steps back; the workers will look for another.",
        "pioneer_group_ended": "The pioneer's group has ended with no one else to show a "
        "real case; the workers look for a new pioneer.",
        "festival": "{A_group} runs a community festival event.",
        "sponsor": "{A_group} links outside resources: a sponsor comes in.",
        "ladder": "A demonstrator {step} and will tell the next life meeting.",
        "founded": "{founded_group} is founded (leader and {members}).",
        "grant": "A {amount:.0f}-yuan micro-grant goes to {a_group}.",
        "reimbursed": "{A_group}'s advanced {amount:.0f} yuan is reimbursed.",
        "reimbursement_failed": "{A_group}'s reimbursement of {amount:.0f} yuan "
        "never arrives; doubts spread.",
        "dissolved": "{A_group} dissolves ({cause}) after {age_weeks}.",
        "registered": "{A_group} of {members} registers as a formal social organisation.",
        "project_end": "The project ends: {groups_active}.",
        "contact": "{A_group} asks the workers for help; a worker comes (post-project "
        "contact).",
        "grant_unavailable": "{A_group} applies for a micro-grant, but the project has "
        "ended: no grant comes.",
        "purpose": "{A_group} {purpose_text}.",
        "private_visits": "Private Q&A: {visit_count} about residents' doubts this week.",
    },
    "zh": {
        "project_start": "项目启动：{workers_begin}走访楼栋{grid}。",
        "new_courtyard": "社工第一次走进 {courtyard} 号院落。",
        "infiltration_end": "下渗阶段结束：走访覆盖 {buildings:.0%} 的楼栋，了解了 "
        "{known_residents}的需求。",
        "training": "培训会（{attendance}参加）：居民得知项目可为自组织行动提供资金和能力支持。",
        "pioneer_chosen": "社工选定一位先行者：热心{interest}却心存顾虑的居民，给予资金与陪伴。",
        "pioneer_acts": "先行者行动了：一场坝坝宴，成立了{a_group}。",
        "life_meeting": "自组织生活会：{attendance}参加，{sharers_share}经验。",
        "life_meeting_quiet": "自组织生活会：{attendance}参加，尚无示范者，由社工亲自答疑。",
        "pioneer_gives_up": "热心{interest}的先行者经过数周陪伴仍未行动，暂且退出；"
        "社工将另寻先行者。",
        "pioneer_group_ended": "先行者的队伍已停止活动，又无人可现身说法；社工另寻先行者。",
        "festival": "{A_group}组织了一场节日社区活动。",
        "sponsor": "{A_group}链接到外部资源：有赞助进来了。",
        "ladder": "一位示范者{step}，将在下次生活会上分享。",
        "founded": "{founded_group}成立（负责人和 {members}）。",
        "grant": "一笔 {amount:.0f} 元小额资金拨给{a_group}。",
        "reimbursed": "{A_group}垫付的 {amount:.0f} 元已报销。",
        "reimbursement_failed": "{A_group}垫付的 {amount:.0f} 元未能报销，疑虑在扩散。",
        "dissolved": "{A_group}解散（{cause}），存续 {age_weeks}。",
        "registered": "{A_group}（{members}）登记注册为正式社会组织。",
        "project_end": "项目结束：{groups_active}在运转。",
        "contact": "{A_group}向社工求助，社工上门（项目后联系）。",
        "grant_unavailable": "{A_group}申请小额资金，但项目已经结束，没有资金了。",
        "purpose": "{A_group}{purpose_text}。",
        "private_visits": "私下答疑：本周 {visit_count}，解答居民的顾虑。",
    },
}
"""Event sentences. Counts and groups are phrased per language by :func:`_phrases`, so
English gets its articles and plurals right ("an elder visiting group", "1 member")."""

CAUSES = {
    "en": {
        "too small": "too few members",
        "no successor": "leader left, no successor",
        "inactive": "stopped meeting",
    },
    "zh": {
        "too small": "成员过少",
        "no successor": "负责人离开且无人接替",
        "inactive": "长期停止活动",
    },
}


UNITS: dict[str, tuple[str, str, str]] = {
    "member": ("member", "members", "名成员"),
    "resident": ("resident", "residents", "位居民"),
    "week": ("week", "weeks", "周"),
    "visit": ("visit", "visits", "次家访"),
    "month": ("month", "months", "个月"),
}
"""Counted things: English singular, English plural, Chinese measure word and noun."""


def count(n: float, unit: str, lang: str) -> str:
    """``n`` things: "1 member", "3 members", "3 名成员"."""
    one, many, zh = UNITS[unit]
    if lang == "en":
        return f"{n:,} {one if n == 1 else many}"
    return f"{n:,} {zh}"


def article(phrase: str, capital: bool = False) -> str:
    """ "a dance group", "an elder visiting group"."""
    word = "an" if phrase[:1].lower() in "aeiou" else "a"
    return f"{word.capitalize() if capital else word} {phrase}"


def _phrases(data: dict[str, Any], lang: str) -> dict[str, str]:
    """The counted and grouped phrases the templates use, in ``lang``."""
    en = lang == "en"
    out: dict[str, str] = {}
    if "interest" in data:
        group = f"{data['interest']} group" if en else f"一支{data['interest']}队伍"
        out["a_group"] = article(group) if en else group
        out["A_group"] = article(group, capital=True) if en else group
        if "origin" in data:
            origin = ORIGIN_NAMES[lang][data["origin"]]
            if not en:
                out["founded_group"] = f"一支{origin}{data['interest']}队伍"
            elif data["origin"] == "pioneer":
                out["founded_group"] = f"The pioneer's {group}"
            else:
                out["founded_group"] = article(f"{origin} {group}", capital=True)
    if "size" in data:
        out["members"] = count(data["size"], "member", lang)
    if "attendees" in data:
        out["attendance"] = count(data["attendees"], "resident", lang)
    if "sharers" in data:
        n = data["sharers"]
        out["sharers_share"] = (f"{n:,} shares their" if n == 1 else f"{n:,} share their") \
            if en else f"{n:,} 人分享"
    if "workers" in data:
        n = data["workers"]
        out["workers_begin"] = (f"{n} social worker begins" if n == 1 else
                                f"{n} social workers begin") if en else f"{n} 名社工开始"
    if "known" in data:
        out["known_residents"] = count(data["known"], "resident", lang)
    if "age" in data:
        out["age_weeks"] = count(data["age"], "week", lang)
    if "groups" in data:
        n = data["groups"]
        out["groups_active"] = (f"{n} group is active" if n == 1 else
                                f"{n} groups are active") if en else f"{n} 支自组织"
    if "visits" in data:
        n = data["visits"]
        out["visit_count"] = count(n, "visit", lang)
    return out


@dataclass
class Event:
    """Something notable that happened in a week."""

    week: int
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The event as a sentence in ``lang`` ("en" or "zh")."""
        data = dict(self.data)
        if "interest" in data and isinstance(data["interest"], int):
            data["interest"] = INTEREST_NAMES[lang][INTEREST_CATEGORIES[data["interest"]]]
        if "step" in data:
            data["step"] = LADDER[lang][data["step"]]
        if "cause" in data:
            data["cause"] = CAUSES[lang].get(data["cause"], data["cause"])
        if "purpose" in data:
            data["purpose_text"] = PURPOSE_TEXT[lang][data["purpose"]]
        if "grid" in data:
            data["grid"] = (
                (" with grid workers" if lang == "en" else "，网格员陪同") if data["grid"] else ""
            )
        return TEMPLATES[lang][self.kind].format(**data, **_phrases(data, lang))

    def line(self, lang: str = "en") -> str:
        week = "Week" if lang == "en" else "第"
        suffix = "" if lang == "en" else " 周"
        return f"{week} {self.week:3d}{suffix}  {self.text(lang)}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
