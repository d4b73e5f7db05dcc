"""CommunityModel: the Mesa face of one run.

It holds a batch of one in the shared engine, so its rules are the batched engine's rules line
for line; ``Member`` agents are views over the arrays. Its seed goes through Mesa: the run's
counter-based random numbers are keyed by the first draw of Mesa's seeded ``self.rng``, so
``CommunityModel(seed=s)`` and ``run_batch(..., seeds=[s])`` give identical numbers.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim import engine, outcomes
from sim.agents import Member
from sim.params import Params, resolve, to_dict


class CommunityModel(mesa.Model):
    """An operator's chat groups and their members; one ``step()`` is one day.

    Args:
        seed: the run's seed (Mesa's). Runs with the same seed and parameters are identical.
        days: if given, ``running`` turns False after this many days (for ``run_model``).
        **params: any parameter of ``sim.params.Params`` (e.g. ``n_groups``, ``group_size``,
            ``entry_fee``, ``shills``, ``content_every``, ``commercial_every``).
    """

    def __init__(self, seed: int | None = None, days: int | None = None, **params: Any) -> None:
        super().__init__(seed=seed)
        self.params: Params = resolve(params, source="CommunityModel")
        run_seed = int(self.rng.integers(0, 2**63 - 1, dtype=np.int64))
        self.state = engine.new_state([self.params], np.array([run_seed], dtype=np.uint64))
        self.days = days
        self.today: dict[str, Any] = {}
        self._group_days: list[pd.DataFrame] = []
        self._daily_rows: list[dict[str, Any]] = []
        self._member_of_row: list[Member] = []
        self._seats: dict[int, list[int]] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={col: (lambda m, c=col: m.today[c]) for col in outcomes.DAILY_COLUMNS})
        self.running = True

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return self.state.day

    def step(self) -> None:
        """One day: the engine's phases (sim/engine.py), new members as agents, the records."""
        daily, groups = engine.step(self.state, record_groups=True)
        self.today = {k: v[0].item() for k, v in daily.items()}
        self._daily_rows.append({"day": self.state.day - 1, **self.today})
        self._group_days.append(pd.DataFrame({"day": self.state.day - 1, **groups})
                                .drop(columns="run"))
        self._add_new_members()
        self.datacollector.collect(self)
        if self.days is not None and self.state.day >= self.days:
            self.running = False

    def _add_new_members(self) -> None:
        m = self.state.members
        for person in range(len(self._member_of_row), self.state.people.n):
            self._member_of_row.append(Member(self, person))
        for row in range(sum(len(v) for v in self._seats.values()), m.n):
            self._seats.setdefault(int(m.person[row]), []).append(row)

    def seats_of(self, person_row: int) -> list[int]:
        """Membership rows of a person (one per group they joined)."""
        return self._seats.get(person_row, [])

    def members_in(self, group: int = 0) -> list[Member]:
        """Members present in one group (by its id in this run)."""
        st = self.state
        rows = np.flatnonzero(st.present() & (st.groups.gid[st.members.group] == group))
        return [self._member_of_row[p] for p in st.members.person[rows]]

    def ties_in(self, group: int = 0) -> list[tuple[int, int]]:
        """Ties between present members of one group, as pairs of agent unique ids."""
        st, t = self.state, self.state.ties
        m = st.members
        gid = st.groups.gid[m.group]
        keep = st.present()[t.a] & st.present()[t.b] & (gid[t.a] == group) & (gid[t.b] == group)
        return [(self._member_of_row[m.person[a]].unique_id,
                 self._member_of_row[m.person[b]].unique_id)
                for a, b in zip(t.a[keep], t.b[keep])]

    @property
    def daily(self) -> pd.DataFrame:
        """The model-level outcomes of every day so far, one row a day."""
        return pd.DataFrame(self._daily_rows)

    @property
    def group_daily(self) -> pd.DataFrame:
        """Per-group outcomes of every day so far (columns ``day``, ``group``, ...)."""
        return pd.concat(self._group_days, ignore_index=True) if self._group_days else \
            pd.DataFrame()

    def summary(self) -> dict[str, Any]:
        """Per-run outcomes so far: time to silence, Gini, lurker share, return on cost, ..."""
        daily = self.daily.assign(run=0)
        return outcomes.summarize_runs(daily, self.state).iloc[0].drop("run").to_dict()

    def resolved_params(self) -> dict[str, Any]:
        """The full parameter set of this run."""
        return to_dict(self.params)
