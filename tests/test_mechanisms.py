"""Each mechanism does what the model description says it does."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import groups as group_rules
from simulation import workers as worker_rules
from simulation.model import CommunityModel
from simulation.programme import Demonstrator
from simulation.residents import Resident
from simulation.state import State

SMALL = {"n_residents": 600, "horizon_weeks": 0}


def test_visit_raises_familiarity_and_reveals_needs():
    model = CommunityModel(rng=3, **SMALL)
    pop = model.population
    assert pop.familiarity.max() == 0 and not pop.known.any()
    worker = model.workers.to_list()[0]
    used = worker.infiltrate(10.0, set())
    assert used > 0
    building = worker.building
    lo, hi = model.community.building_start[building], model.community.building_start[building + 1]
    inside = np.zeros(pop.n, dtype=bool)
    inside[lo:hi] = True
    visited_households = np.flatnonzero(model.outreach.household_visited)
    assert visited_households.size > 0
    visited = np.isin(model.community.household, visited_households)
    assert (pop.familiarity[visited] > 0).all()
    # Apart from a courtyard gathering, nobody outside the building is touched.
    court = model.community.courtyard[lo]
    elsewhere = model.community.courtyard != court
    assert pop.familiarity[elsewhere].max() == 0
    assert pop.known[visited].any()
    assert not pop.known[elsewhere].any()


def test_grid_worker_company_makes_visits_count_more():
    gains = []
    for grid in (True, False):
        model = CommunityModel(rng=3, grid_worker_accompaniment=grid, **SMALL)
        model.workers.to_list()[0].infiltrate(10.0, set())
        gains.append(model.population.familiarity.sum())
    assert gains[0] > gains[1]


def _meeting_model(demonstrations: bool) -> CommunityModel:
    model = CommunityModel(rng=5, demonstrations=demonstrations, **SMALL)
    pop = model.population
    pop.aware[:] = True
    pop.trust[:] = 0.3
    pop.familiarity[:] = 0.5
    prog = model.programme
    prog.first_meeting_week = model.week
    leader = int(np.argmax(pop.initiative))
    group = model._found(leader, "pioneer")
    if demonstrations:
        prog.demonstrators.append(Demonstrator(leader, group.id, level=3))
    return model


@pytest.mark.parametrize("demonstrations", [True, False])
def test_life_meeting_lowers_doubts_most_with_a_demonstrator(demonstrations):
    model = _meeting_model(demonstrations)
    pop = model.population
    before = pop.doubt.copy()
    trust_before = pop.trust.copy()
    model.programme.life_meeting()
    changed = np.flatnonzero((pop.doubt != before).any(axis=1))
    assert changed.size > 0
    drop = (before[changed] - pop.doubt[changed]).mean(axis=0)
    if demonstrations:
        # Reimbursement and direction doubts fall: the demonstrator shows a real case.
        assert drop[0] > 0.05 and drop[2] > 0.05
        assert (pop.inspiration[changed] > 0).all()
    else:
        assert drop[0] == 0 and drop[2] == 0
        assert pop.inspiration.max() == 0
    assert (pop.trust[changed] >= trust_before[changed]).all()


def test_private_qa_settles_doubts_only_with_familiarity():
    model = CommunityModel(rng=2, **SMALL)
    pop = model.population
    who = np.arange(40)
    pop.aware[who] = True
    pop.known[who] = True
    pop.familiarity[:20] = 0.9
    pop.familiarity[20:40] = 0.0
    before = pop.doubt.copy()
    worker_rules.private_qa(model.world, list(model.workers), 40 * model.p.visit_hours)
    drop_familiar = (before[:20] - pop.doubt[:20]).mean()
    drop_stranger = (before[20:40] - pop.doubt[20:40]).mean()
    assert drop_familiar > 2 * drop_stranger > 0
    assert pop.trust[20:40].max() == 0  # strangers do not come to trust a visitor
    assert pop.trust[:20].min() > 0


def test_trust_cannot_run_far_ahead_of_familiarity():
    model = CommunityModel(rng=2, **SMALL)
    pop = model.population
    who = np.arange(50)
    pop.familiarity[who] = 0.2
    for _ in range(30):
        pop.raise_trust(who, 0.9)
    assert pop.trust[who].max() <= 0.2 + model.p.trust_headroom + 1e-9


def test_hearing_the_offer_from_strangers_raises_doubts():
    model = CommunityModel(rng=2, first_impression=0.5, **SMALL)
    pop = model.population
    pop.familiarity[:100] = 1.0
    before = pop.doubt.copy()
    pop.hear_of_project(np.arange(200))
    assert np.allclose(pop.doubt[:100], before[:100])
    assert (pop.doubt[100:200, :2] >= before[100:200, :2]).all()
    assert (pop.doubt[100:200, :2] - before[100:200, :2]).mean() > 0.1
    assert pop.aware[:200].all() and not pop.aware[200:].any()


def test_pioneer_is_supported_until_acting_and_founds_the_first_group():
    model = CommunityModel(rng=4, n_residents=1500, horizon_weeks=0)
    weeks = model.p.infiltration_weeks + model.p.pioneer_support_weeks + 1
    model.run_for(weeks)
    prog = model.programme
    assert prog.pioneer is not None
    assert prog.pioneer_group is not None
    group = model.groups.groups[prog.pioneer_group]
    assert group.origin == "pioneer" and group.leader == prog.pioneer
    assert model.population.states()[prog.pioneer] == State.LEADING
    assert any(e.kind == "pioneer_acts" for e in model.events)


def test_grants_are_paid_after_the_delay_and_never_overspent():
    model = CommunityModel(rng=4, n_residents=1500, grant_budget=3000.0, grant_size=1000.0,
                           reimbursement_delay_weeks=6, horizon_weeks=0)
    model.run_for(52)
    fund = model.programme.fund
    failed = sum(e.kind == "reimbursement_failed" for e in model.events)
    assert fund.count - failed <= 3  # money of a failed reimbursement returns to the budget
    assert fund.budget >= 0
    assert fund.paid <= 3000.0
    grants = [e for e in model.events if e.kind == "grant"]
    paid = [e for e in model.events if e.kind == "reimbursed"]
    assert len(grants) == fund.count
    assert paid, "with reliability 0.95 and three grants, some reimbursement is paid"
    assert paid[0].week - grants[0].week == 6


def _group_with_members(model: CommunityModel):
    pop = model.population
    leader = int(np.argmax(pop.initiative))
    group = model.groups.found(leader, 0, "resident")
    for r in np.flatnonzero((pop.interest == group.interest) & (pop.group < 0))[:6]:
        model.groups.add_member(group, int(r))
    return group


def test_unreliable_reimbursement_raises_members_doubts():
    model = CommunityModel(rng=4, n_residents=600, horizon_weeks=0)
    pop = model.population
    group = _group_with_members(model)
    members = np.array(sorted(group.members))
    outsiders = np.flatnonzero(pop.group < 0)
    pop.doubt[:, 0] = 0.2
    cohesion = group.cohesion
    assert model.fund.award(group, 0, 0, pays=False)
    model.programme.reimburse()
    assert model.fund.paid == 0
    assert (pop.doubt[members, 0] > 0.2 + 0.1).all()  # half the way back to full doubt
    assert (pop.doubt[outsiders, 0] == 0.2).all()
    assert group.cohesion < cohesion
    assert any(e.kind == "reimbursement_failed" for e in model.events)


def test_failed_reimbursement_returns_money_to_the_budget():
    model = CommunityModel(rng=4, n_residents=600, horizon_weeks=0, grant_budget=2000.0)
    group = _group_with_members(model)
    assert model.fund.award(group, 0, 0, pays=False)
    assert model.fund.budget == 1000.0
    model.programme.reimburse()
    assert model.fund.budget == 2000.0


def test_groups_need_less_accompaniment_as_they_mature():
    model = CommunityModel(rng=1, n_residents=600, horizon_weeks=0)
    leader = int(np.argmax(model.population.initiative))
    group = group_rules.found(model.world, model.groups, leader, "worker", reserved=None)
    model.groups.groups = [group]
    group.maturity = 0.0
    young = worker_rules.accompany(model.world, model.groups, 100.0)
    group.maturity = 0.8
    mature = worker_rules.accompany(model.world, model.groups, 100.0)
    assert mature < young


def test_no_one_acts_with_nobody_to_follow():
    """Without workers, grants or seed groups, nobody founds or joins anything."""
    model = CommunityModel(rng=1, n_residents=800, n_workers=0, grant_budget=0.0,
                           initial_groups=0, horizon_weeks=0)
    model.run_for(52)
    assert len(model.groups) == 0
    assert model.population.state_counts()[State.LATENT] == 800


def test_resident_agents_read_the_population_rows():
    model = CommunityModel(rng=3, n_residents=800, horizon_weeks=0)
    model.run_for(40)
    states = model.population.states()
    residents = model.agents_by_type[Resident]
    assert len(residents) == model.population.n
    assert [int(r.state) for r in residents] == states.tolist()
    assert {int(s) for s in states} >= {State.LATENT, State.ACTING, State.LEADING}
