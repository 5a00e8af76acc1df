"""The community: its size, buildings and courtyards, ties and committees."""

from __future__ import annotations

from ..registry import P, Section


class Community(Section, name="community"):
    n_residents: int = P(
        default=5000, unit="residents", low=20, high=1_000_000,
        source="assumption (a typical Chengdu community of 1,500-2,500 households)",
        meaning="Population of the community.",
        label_en="Residents: {value:,}", label_zh="社区人口：{value:,}",
        control=(100, 20_000, 100))
    household_size: float = P(
        default=2.6, unit="residents", low=1.0, high=8.0, source="census (Chengdu urban mean 2.6)",
        meaning="Mean household size.")
    households_per_building: int = P(
        default=24, unit="households", low=2, high=400,
        meaning="Households in one building (楼栋).")
    buildings_per_courtyard: int = P(
        default=5, unit="buildings", low=1, high=100,
        meaning="Buildings in one courtyard (院落).")
    neighbour_familiarity: float = P(
        default=0.7, unit="share 0-1", low=0.0, high=1.0, source="case (relatively high)",
        meaning="How well neighbours know each other (邻里熟悉度); scales tie density within "
                "buildings and courtyards.",
        label_en="Neighbour familiarity: {value:.2f}", label_zh="邻里熟悉度：{value:.2f}",
        control=(0, 1, 0.05))
    committee_support: float = P(
        default=0.8, unit="share 0-1", low=0.0, high=1.0, source="case (strong)",
        meaning="Backing of the two committees (两委); scales the legitimacy of workers and "
                "groups.",
        label_en="Committee support: {value:.2f}", label_zh="两委支持度：{value:.2f}",
        control=(0, 1, 0.05))
    building_ties: float = P(
        default=6.0, unit="ties per resident", low=0.0, high=50.0,
        meaning="Mean ties to others in the same building at full familiarity.")
    courtyard_ties: float = P(
        default=2.0, unit="ties per resident", low=0.0, high=50.0,
        meaning="Mean ties to others in the same courtyard at full familiarity.")
    interest_ties: float = P(
        default=1.0, unit="ties per resident", low=0.0, high=50.0,
        meaning="Mean ties across the community to residents sharing an interest (public "
                "spaces).")
    interest_categories: int = P(
        default=7, unit="categories", low=1, high=7,
        meaning="How many interest types residents' needs spread over (dance, singing, qipao, "
                "photography, repairs, elder visits, neighbourhood affairs, in that order).")
    network_file: str = P(
        default="", unit="path",
        meaning="Optional real network (GraphML or edge list); empty means generate one.")
