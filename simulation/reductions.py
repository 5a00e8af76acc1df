"""Parameter sets that reduce the model to classic models, for tests and teaching.

``CONTAGION`` switches off the programme (no workers, no grants, no meetings), doubts,
founding, dropout, members' recruiting, residents' reluctance to take part and interests
(one interest), and keeps every group alive: what is left is the joining rule, a pure
threshold contagion on the network. With it,

    CommunityModel(network=G, rng=seed, thresholds=array, threshold_kind="count",
                   initial_actors=[0], **CONTAGION)

is Granovetter's (1978) riot model with count thresholds, or with ``"fraction"`` Watts's
(2002) cascade model; the number acting is ``acting + leading`` in the weekly series.
"""

from __future__ import annotations

from typing import Any

CONTAGION: dict[str, Any] = {
    "n_workers": 0,
    "grant_budget": 0.0,
    "life_meetings": False,
    "demonstrations": False,
    "pioneer_support": False,
    "training_sessions": 0,
    "doubt_reimbursement": 0.0,
    "doubt_legitimacy": 0.0,
    "doubt_direction": 0.0,
    "doubt_sd": 0.0,
    "peer_doubt_effect": 0.0,
    "found_rate": 0.0,
    "founding_core": 0,  # a resident who acts alone recruits nobody
    "interest_categories": 1,
    "initial_groups": 0,
    "min_group_size": 1,
    "dropout_rate": 0.0,
    "join_need_power": 0.0,  # group life suits everyone
    "recruit_reach": 0.0,  # nobody is brought in but by their neighbours acting
    "leader_exit_rate": 0.0,
    "activity_base": 1.0,  # every group meets every week: none stops
    "threshold_sd": 0.0,
    "project_weeks": 400,
    "horizon_weeks": 0,
}
"""The model as a pure threshold contagion (see the module docstring)."""
