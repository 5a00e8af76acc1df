"""The event log: notable moments of a run, told in English or Chinese."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .parameters import INTEREST_CATEGORIES

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
        "repairs": "水电维修志愿",
        "elder_visits": "探望陪伴老人",
        "neighbourhood_affairs": "社区事务",
    },
}

ORIGIN_NAMES = {
    "en": {
        "initial": "existing",
        "pioneer": "the pioneer's",
        "worker": "worker-supported",
        "resident": "resident-initiated",
    },
    "zh": {
        "initial": "原有",
        "pioneer": "先行者的",
        "worker": "社工推动的",
        "resident": "居民自发的",
    },
}

LADDER = {
    "en": {1: "ran an activity", 2: "organised a festival event", 3: "linked outside resources"},
    "zh": {1: "办了一次活动", 2: "组织了节日社区活动", 3: "链接了外部资源"},
}

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "project_start": "The project starts: {workers} social workers begin visiting "
        "buildings{grid}.",
        "new_courtyard": "A social worker reaches courtyard {courtyard} for the first time.",
        "infiltration_end": "Infiltration ends: {buildings:.0%} of buildings reached, the "
        "needs of {known} residents known.",
        "training": "Training session: {attendees} residents hear that the project funds "
        "self-organised action.",
        "pioneer_chosen": "Workers choose a pioneer: a resident keen on {interest} held back "
        "by doubts; they give money and companionship.",
        "pioneer_acts": "The pioneer acts: a neighbourhood banquet (坝坝宴) founds a "
        "{interest} group.",
        "life_meeting": "Life meeting: {attendees} residents attend; {sharers} share their "
        "experience.",
        "life_meeting_quiet": "Life meeting: {attendees} residents attend; no one shares yet.",
        "ladder": "A demonstrator {step} and will tell the next life meeting.",
        "founded": "A {origin} {interest} group is founded (leader and {size} member(s)).",
        "grant": "A {amount:.0f}-yuan micro-grant goes to a {interest} group.",
        "reimbursed": "A {interest} group's advanced {amount:.0f} yuan is reimbursed.",
        "reimbursement_failed": "A {interest} group's reimbursement of {amount:.0f} yuan "
        "never arrives; doubts spread.",
        "dissolved": "A {interest} group dissolves ({cause}) after {age} weeks.",
        "registered": "A {interest} group of {size} registers as a formal social "
        "organisation.",
        "project_end": "The project ends: {groups} groups are active.",
        "contact": "A worker checks in with a {interest} group (post-project contact).",
    },
    "zh": {
        "project_start": "项目启动：{workers} 名社工开始走访楼栋{grid}。",
        "new_courtyard": "社工第一次走进 {courtyard} 号院落。",
        "infiltration_end": "下渗阶段结束：走访覆盖 {buildings:.0%} 的楼栋，了解了 {known} "
        "位居民的需求。",
        "training": "培训会：{attendees} 位居民得知项目可为自组织行动提供资金和能力支持。",
        "pioneer_chosen": "社工选定一位先行者：热心{interest}却心存顾虑的居民，给予资金与陪伴。",
        "pioneer_acts": "先行者行动了：一场坝坝宴，成立了一支{interest}队伍。",
        "life_meeting": "自组织生活会：{attendees} 位居民参加，{sharers} 人分享经验。",
        "life_meeting_quiet": "自组织生活会：{attendees} 位居民参加，暂无人分享。",
        "ladder": "一位示范者{step}，将在下次生活会上分享。",
        "founded": "一支{origin}{interest}队伍成立（负责人和 {size} 名成员）。",
        "grant": "一笔 {amount:.0f} 元小额资金拨给一支{interest}队伍。",
        "reimbursed": "一支{interest}队伍垫付的 {amount:.0f} 元已报销。",
        "reimbursement_failed": "一支{interest}队伍垫付的 {amount:.0f} 元未能报销，疑虑在扩散。",
        "dissolved": "一支{interest}队伍解散（{cause}），存续 {age} 周。",
        "registered": "一支 {size} 人的{interest}队伍登记注册为正式社会组织。",
        "project_end": "项目结束：{groups} 支自组织在运转。",
        "contact": "社工回访一支{interest}队伍（项目后联系）。",
    },
}

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
        if "origin" in data:
            data["origin"] = ORIGIN_NAMES[lang][data["origin"]]
        if "step" in data:
            data["step"] = LADDER[lang][data["step"]]
        if "cause" in data:
            data["cause"] = CAUSES[lang].get(data["cause"], data["cause"])
        if "grid" in data:
            data["grid"] = (
                (" with grid workers" if lang == "en" else "，网格员陪同") if data["grid"] else ""
            )
        return TEMPLATES[lang][self.kind].format(**data)

    def line(self, lang: str = "en") -> str:
        week = "Week" if lang == "en" else "第"
        suffix = "" if lang == "en" else " 周"
        return f"{week} {self.week:3d}{suffix}  {self.text(lang)}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
