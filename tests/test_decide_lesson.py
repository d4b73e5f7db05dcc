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


def test_discover_finds_no_size_where_the_playbook_keeps_a_core():
    """On a sweep of the playbook over 40 to 300 invited (3 replicates a size), fewer than CORE
    members post on day 90 in at least 9 runs in 10, so `commsim discover` finds the condition
    nearly everywhere and no limit on the group's size (96% of runs at issue 12's defaults).
    Before those defaults it found an upper limit between 60 and 200; now talk is a sparse
    trickle and few members post on any one day at any size, so the lesson's contrast of 60
    with 200 invited is a difference of shares, not a size rule."""
    sizes = np.linspace(40, 300, 27).astype(int)
    reps = 3
    params = [{**PLAYBOOK, "group_size": int(s)} for s in sizes for _ in range(reps)]
    seeds = [r for _ in sizes for r in range(reps)]
    runs = run_batch(params, seeds, 90, summary=True).runs
    runs["group_size"] = np.repeat(sizes, reps)
    cond = parse_condition(f"active_members_d90 < {CORE}", runs, "sweep")
    assert cond.evaluate(runs).mean() >= 0.9
    d = discover(runs, ["group_size"], cond, np.repeat(np.arange(sizes.size), reps), "sweep",
                 resamples=0, with_cart=False)
    assert not d.box.limits
    assert d.box.density >= 0.9 and isinstance(d.trajectory, pd.DataFrame)
