"""Who takes part in group life, members bringing in their courtyard, and founding that
slows where a need is already met: the rules that keep a small community from ending up
all in groups while a town grows more (docs/ODD.md, "How the model scales")."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import groups as group_rules
from simulation import residents as resident_rules
from simulation.engine import Engine


def test_group_life_suits_a_share_that_rises_with_need():
    engine = Engine({"n_residents": 20_000, "horizon_weeks": 0}, seed=5)
    pop, p = engine.population, engine.p
    # Beta(2, 2) needs and need**1.5: E = B(3.5, 2) / B(2, 2) = 0.381.
    assert pop.takes_part.mean() == pytest.approx(0.381, abs=0.015)
    strong, weak = pop.need > 0.7, pop.need < 0.3
    assert pop.takes_part[strong].mean() > 2 * pop.takes_part[weak].mean()
    everyone = Engine({"n_residents": 2_000, "horizon_weeks": 0, "join_need_power": 0.0},
                      seed=5).population.takes_part
    assert everyone.all() and p.join_need_power > 0


def test_only_residents_group_life_suits_ever_join_a_group():
    engine = Engine({"n_residents": 1_000, "horizon_weeks": 0}, seed=2)
    engine.run(52)
    pop = engine.population
    members = (pop.group >= 0) & ~pop.leads
    founded = np.array([g.origin != "initial" for g in engine.groups.groups])
    joined = members & founded[np.maximum(pop.group, 0)]
    assert joined.sum() > 50  # groups did grow
    assert pop.takes_part[joined].all()


def _one_group(engine: Engine) -> tuple[int, int]:
    """A new group led by the keenest resident; its courtyard and interest."""
    pop = engine.population
    leader = int(np.argmax(pop.initiative))
    engine.found(leader, "new")
    return int(engine.community.courtyard[leader]), int(pop.interest[leader])


def test_a_need_met_is_a_share_of_the_courtyards_demand_and_slows_founding():
    engine = Engine({"n_residents": 2_000, "horizon_weeks": 0, "initial_groups": 0}, seed=4)
    pop, world = engine.population, engine.world
    assert (resident_rules.served(world) == 0).all()
    court, interest = _one_group(engine)
    niche = (engine.community.courtyard == court) & (pop.interest == interest)
    group = engine.groups.active[0]
    for r in np.flatnonzero(niche & pop.takes_part & (pop.group < 0)):
        engine.groups.add_member(group, int(r))
    served = resident_rules.served(world)
    assert (served[niche] == 1.0).all()  # every taker of that interest there is in a group
    assert (served[~niche] == 0.0).all()  # other courtyards and interests untouched
    # With the demand met nobody there founds, however ready; elsewhere founding goes on.
    pop.aware[:] = True
    pop.trust[:] = 1.0
    pop.doubt[:] = 0.0
    for _ in range(20):
        founders, _ = resident_rules.founders(world, lambda who: np.ones(who.size), None)
        assert not niche[founders].any()
        if founders.size:
            break
    assert founders.size > 0


@pytest.mark.parametrize("reach", [0.0, 1.0])
def test_members_bring_in_their_courtyards_residents_of_the_same_interest(reach):
    engine = Engine({"n_residents": 2_000, "horizon_weeks": 0, "initial_groups": 0,
                     "recruit_reach": reach}, seed=6)
    pop = engine.population
    court, interest = _one_group(engine)
    pop.referral[:] = -1
    group_rules.recruit(engine.world, engine.groups)
    niche = (engine.community.courtyard == court) & (pop.interest == interest) & (pop.group < 0)
    pointed = pop.referral >= 0
    assert not pointed[~niche].any()  # nobody of another interest or courtyard
    assert pointed[niche].all() == (reach == 1.0) and pointed.any() == (reach > 0)
