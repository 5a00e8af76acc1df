"""Residents' own reach: demonstrations' stories travel through the community's channels.

The mechanism through which a community's size matters (docs/ODD.md, "How the model
scales"): stories reach the same share of residents however large the community, and what
they can do for a resident is bounded by the trust rule.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation import residents as resident_rules
from simulation.doubts import PEERS
from simulation.engine import Engine
from simulation.programme import Demonstrator

SMALL = {"n_residents": 1_000, "horizon_weeks": 0}


def _engine(**params) -> Engine:
    return Engine({**SMALL, **params}, seed=7)


def _demonstrator(engine: Engine, level: int = 3) -> None:
    """A demonstrator who has shared at a meeting, with an active group ``level`` rungs up."""
    leader = int(np.argmax(engine.population.initiative))
    group = engine.found(leader, "new")
    engine.programme.demonstrators.append(Demonstrator(leader, group.id, level))
    engine.programme.first_demonstration_week = engine.week


def test_stories_travel_only_while_demonstrators_share_during_the_project():
    engine = _engine()
    assert engine.programme.story_credibility() == 0.0  # nobody has demonstrated yet
    _demonstrator(engine, level=2)
    assert engine.programme.story_credibility() == pytest.approx(2 / 3)
    engine.world.week = engine.p.project_weeks  # the project, and its meetings, are over
    assert engine.programme.story_credibility() == 0.0


def test_a_story_makes_residents_aware_answers_doubts_and_lends_trust_within_the_trust_rule():
    engine = _engine(story_reach=1.0, story_weight=0.5, first_impression=0.0)
    pop, p = engine.population, engine.p
    outside = pop.group < 0
    before = pop.doubt.copy()
    # The workers are established in the first building only.
    depth = np.zeros(engine.community.n_buildings)
    depth[0] = 1.0
    resident_rules.hear_stories(engine.world, 1.0, depth)
    assert pop.aware[outside].all() and pop.heard_from_residents[outside].all()
    # Believed in full where the workers are established, as a stranger's elsewhere.
    belief = np.where(engine.community.building == 0, 1.0, p.stranger_effect)[outside]
    r = (p.story_weight * p.demo_doubt_reduction * belief)[:, None]
    expected = before[outside] * (1 - r * np.array([1.0, p.demo_legitimacy_share, 1.0]))
    assert np.allclose(pop.doubt[outside], expected)
    assert pop.doubts.relief(pop.founding_weights, np.flatnonzero(outside))[:, PEERS].min() > 0
    # Strangers to the workers gain trust, but no more than the trust rule's headroom.
    assert pop.trust[outside].min() > 0
    assert pop.trust[outside].max() <= pop.familiarity[outside].max() + p.trust_headroom + 1e-12


@pytest.mark.parametrize("n", [2_000, 20_000])
def test_stories_reach_the_same_share_of_residents_whatever_the_size(n):
    engine = Engine({"n_residents": n, "horizon_weeks": 0, "story_reach": 0.1}, seed=3)
    pop = engine.population
    outside = int((pop.group < 0).sum())
    resident_rules.hear_stories(engine.world, 1.0, np.zeros(engine.community.n_buildings))
    heard = int(pop.heard_from_residents.sum())
    # Binomial(outside, 0.1): within four standard deviations.
    assert abs(heard - 0.1 * outside) <= 4 * np.sqrt(outside * 0.1 * 0.9)


@pytest.mark.parametrize("reach", [0.0, 1.0])
def test_no_story_without_reach(reach):
    engine = _engine(story_reach=reach, first_impression=0.0)
    pop = engine.population
    aware, doubt, trust = pop.aware.copy(), pop.doubt.copy(), pop.trust.copy()
    resident_rules.hear_stories(engine.world, 1.0, np.ones(engine.community.n_buildings))
    changed = (pop.aware != aware) | (pop.doubt != doubt).any(axis=1) | (pop.trust != trust)
    outside = pop.group < 0
    assert not changed[~outside].any()  # members hear nothing new
    assert changed[outside].all() == (reach == 1.0)
    assert changed.any() == (reach > 0)


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_private_qa_gives_way_to_demonstrators_once_they_have_shared(share):
    """Before any demonstration the workers spend their free hours on private Q&A; after
    it, only ``qa_after_demonstrations`` of them (the rest goes to household visits)."""
    hours = {}
    for demonstrated in (False, True):
        engine = Engine({**SMALL, "qa_after_demonstrations": share, "infiltration_weeks": 0,
                         "life_meetings": False, "training_sessions": 0}, seed=11)
        pop = engine.population
        pop.aware[:] = pop.known[:] = True
        if demonstrated:
            engine.programme.first_demonstration_week = 0
        engine.step()
        hours[demonstrated] = engine.hours["qa"]
    assert hours[False] > 0
    assert hours[True] == pytest.approx(share * hours[False], abs=engine.p.visit_hours)
