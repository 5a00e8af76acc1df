"""The week's figures: one row of a run's weekly series, measured from the arrays.

The engine measures each week with :func:`measure` (numpy only); ``simulation.outputs``
turns the rows into tables and per-run figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .doubts import DOUBTS
from .groups import GroupRegistry
from .parameters import INTEREST_CATEGORIES
from .programme import GrantFund
from .state import State, World
from .workers import ACTIVITIES

SERIES: tuple[str, ...] = (
    "week", "in_project",
    "latent", "aware", "trusting", "acting", "leading",
    "active_groups", "founded", "dissolved", "registered",
    *(f"groups_{name}" for name in INTEREST_CATEGORIES),
    "grants_paid", "grants_awarded", "budget_left",
    *(f"hours_{a}" for a in ACTIVITIES), "hours_per_group",
    "mean_trust", "mean_doubt", "doubt_reimbursement", "doubt_legitimacy", "doubt_direction",
    "buildings_reached", "infiltration_depth", "needs_known", "cost", "contacts",
    "groups_mutual_aid", "groups_affairs",
)
"""Columns of the weekly series, in order."""


def measure(world: World, registry: GroupRegistry, fund: GrantFund, hours: dict[str, float],
            coverage: np.ndarray, depth: np.ndarray, cost: float, contacts: int
            ) -> dict[str, Any]:
    """The week's figures (one row of the weekly series)."""
    pop = world.population
    n_active = registry.n_active
    counts = pop.state_counts()
    by_interest = np.bincount([g.interest for g in registry.active],
                              minlength=len(INTEREST_CATEGORIES))
    # einsum adds the rows in order, as ``mean(axis=0)`` does, in a sixth of its time.
    doubts = np.einsum("ij->j", pop.doubt) / pop.n if pop.n else np.zeros(3)
    return {
        "week": world.week,
        "in_project": world.week <= world.params.project_weeks,
        **{s.name.lower(): int(c) for s, c in zip(State, counts)},
        "active_groups": n_active,
        "founded": registry.founded,
        "dissolved": registry.dissolved,
        "registered": registry.registered,
        **{f"groups_{name}": int(c) for name, c in zip(INTEREST_CATEGORIES, by_interest)},
        "grants_paid": fund.paid,
        "grants_awarded": fund.count,
        "budget_left": fund.budget,
        **{f"hours_{a}": hours[a] for a in ACTIVITIES},
        "hours_per_group": hours["accompaniment"] / n_active if n_active else 0.0,
        "mean_trust": float(pop.trust.mean()) if pop.n else 0.0,
        "mean_doubt": float(doubts.mean()),
        **{f"doubt_{name}": float(doubts[k]) for k, name in enumerate(DOUBTS)},
        "buildings_reached": (np.count_nonzero(coverage > 0) / coverage.size
                              if coverage.size else float("nan")),
        "infiltration_depth": float(depth.mean()) if depth.size else 0.0,
        "needs_known": np.count_nonzero(pop.known) / pop.n if pop.n else 0.0,
        "cost": cost + fund.paid,
        "contacts": contacts,
        # What the active groups are for (simulation.purposes), beyond recreation.
        "groups_mutual_aid": sum(g.purpose == "mutual_aid" for g in registry.active),
        "groups_affairs": sum(g.purpose == "affairs" for g in registry.active),
    }
