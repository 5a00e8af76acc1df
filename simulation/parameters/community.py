"""The community: its size, buildings and courtyards, ties and committees."""

from __future__ import annotations

from dataclasses import dataclass

from ..registry import param
from .time import TimeParams


@dataclass(frozen=True, slots=True)
class CommunityParams(TimeParams):
    """Parameters of the community section (see ``simulation.parameters.Params``)."""

    n_residents: int = param(
        5000, "residents", 20, 1_000_000,
        "Population of the community.", "community", "assumption (a typical Chengdu "
        "community of 1,500-2,500 households)",
        label=("Residents: {value:,}", "社区人口：{value:,}"),
        control=(100, 20_000, 100))
    household_size: float = param(
        2.6, "residents", 1.0, 8.0,
        "Mean household size.", "community", "census (Chengdu urban mean 2.6)")
    households_per_building: int = param(
        24, "households", 2, 400,
        "Households in one building (楼栋).", "community", "assumption")
    buildings_per_courtyard: int = param(
        5, "buildings", 1, 100,
        "Buildings in one courtyard (院落).", "community", "assumption")
    neighbour_familiarity: float = param(
        0.7, "share 0-1", 0.0, 1.0,
        "How well neighbours know each other (邻里熟悉度); scales tie density within "
        "buildings and courtyards.", "community", "case (relatively high)",
        label=("Neighbour familiarity: {value:.2f}", "邻里熟悉度：{value:.2f}"),
        control=(0, 1, 0.05))
    committee_support: float = param(
        0.8, "share 0-1", 0.0, 1.0,
        "Backing of the two committees (两委); scales the legitimacy of workers and groups.",
        "community", "case (strong)",
        label=("Committee support: {value:.2f}", "两委支持度：{value:.2f}"),
        control=(0, 1, 0.05))
    building_ties: float = param(
        6.0, "ties per resident", 0.0, 50.0,
        "Mean ties to others in the same building at full familiarity.", "community")
    courtyard_ties: float = param(
        2.0, "ties per resident", 0.0, 50.0,
        "Mean ties to others in the same courtyard at full familiarity.", "community")
    interest_ties: float = param(
        1.0, "ties per resident", 0.0, 50.0,
        "Mean ties across the community to residents sharing an interest (public spaces).",
        "community")
    interest_categories: int = param(
        7, "categories", 1, 7,
        "How many interest types residents' needs spread over (dance, singing, qipao, "
        "photography, repairs, elder visits, neighbourhood affairs, in that order).",
        "community")
    network_file: str = param(
        "", "path", None, None,
        "Optional real network (GraphML or edge list); empty means generate one.",
        "community")
