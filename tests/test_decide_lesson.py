"""The lesson "where the playbook fails" runs the bundled playbook, and its rule is the one
`commsim discover` finds on a sweep of the playbook over group sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.batch import run_batch
from sim.decide.discover import discover, parse_condition
from sim.lessons.playbook_limits import CORE, PLAYBOOK
from sim.scenarios import load_scenario


def test_lesson_runs_the_bundled_playbook():
    """The lesson's playbook is scenarios/playbook.toml, value for value."""
    assert PLAYBOOK == load_scenario("playbook").overrides


def test_discover_finds_small_groups_where_the_playbook_leaves_no_core():
    """On a sweep of the playbook over 40 to 300 invited (3 replicates a size), the box for
    "fewer than CORE members posting on day 90" is an upper limit on the group's size, below
    200 (where the lesson says the playbook works) and above 60 (where it says it fails)."""
    sizes = np.linspace(40, 300, 27).astype(int)
    reps = 3
    params = [{**PLAYBOOK, "group_size": int(s)} for s in sizes for _ in range(reps)]
    seeds = [r for _ in sizes for r in range(reps)]
    runs = run_batch(params, seeds, 90, summary=True).runs
    runs["group_size"] = np.repeat(sizes, reps)
    cond = parse_condition(f"active_members_d90 < {CORE}", runs, "sweep")
    d = discover(runs, ["group_size"], cond, np.repeat(np.arange(sizes.size), reps), "sweep",
                 resamples=0, with_cart=False)
    (limit,) = d.box.limits
    assert limit.name == "group_size" and limit.low is None
    assert 60 < limit.high < 200
    assert d.box.density > 0.5 and isinstance(d.trajectory, pd.DataFrame)
