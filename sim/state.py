"""The state of a batch of runs, held in arrays (one per attribute), Starsim style.

Rows carry their run: every group, person, membership and invitation row holds the index of its run
in the batch, and per-run parameters are arrays read through that index (``p.shills[g_run]``). A
single run is a batch of one, so the Mesa model and the batched engine share every rule.

Tables grow by appending and never drop rows: a member who leaves keeps their row with status
``GONE``. New rows of a day are appended sorted by (run, a key that names them within their run),
so the rows of one run keep the same relative order whatever other runs share the batch, and every
per-group or per-run sum (``np.bincount`` adds in row order) is bit-for-bit the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from sim.params import Params
from sim.rng import key_of, run_keys

# membership status
ACTIVE, MUTED, GONE = 0, 1, 2
STATUS_NAMES = ("active", "muted", "gone")
# person type
ORDINARY, SPAMMER, TROUBLEMAKER = 0, 1, 2
TYPE_NAMES = ("ordinary", "spammer", "troublemaker")
# invitation source
LAUNCH, RECRUIT, REFERRAL = 0, 1, 2
# members.remove: a request applied at the end of the day
LEAVES, KICKED = 1, 2


class Table:
    """Columns of equal length that grow by appending; ``table.name`` is a view of the used rows."""

    def __init__(self, **dtypes: Any) -> None:
        self._cols = {name: np.zeros(16, dtype=dt) for name, dt in dtypes.items()}
        self.n = 0
        self._stale_tail = False  # rows past n hold old values (after keep), not zeros

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("_cols")
        if cols is None or name not in cols:
            raise AttributeError(name)
        view = cols[name][: self.n]
        self.__dict__[name] = view  # found directly next time, until the rows change (_forget)
        return view

    def _forget(self) -> None:
        """Drop the cached views (the rows or the buffers changed)."""
        d = self.__dict__
        for name in self._cols:
            d.pop(name, None)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in self._cols}  # no stale views

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __setattr__(self, name: str, value: Any) -> None:
        cols = self.__dict__.get("_cols")
        if cols is not None and name in cols:
            cols[name][: self.n] = value  # write through, so `table.x = ...` cannot detach a copy
        else:
            super().__setattr__(name, value)

    def __len__(self) -> int:
        return self.n

    def append(self, **values: np.ndarray) -> np.ndarray:
        """Append rows (every column not given is zero); returns the new rows' indices."""
        k = len(next(iter(values.values())))
        need = self.n + k
        self._forget()
        zero_tail = not self.__dict__.get("_stale_tail", True)  # unused rows are still zeros
        for name, col in self._cols.items():
            if need > col.size:
                grown = np.zeros(max(need, 2 * col.size), dtype=col.dtype)
                grown[: self.n] = col[: self.n]
                self._cols[name] = col = grown
            if name in values:
                col[self.n : need] = values[name]
            elif not zero_tail:
                col[self.n : need] = 0
        rows = np.arange(self.n, need)
        self.n = need
        return rows

    def keep(self, mask: np.ndarray) -> None:
        """Drop the rows where ``mask`` is False (used only for pending invitations)."""
        idx = np.flatnonzero(mask)  # found once for every column
        k = idx.size
        self._forget()
        for col in self._cols.values():
            col[:k] = col[idx]
        self.n = k
        self._stale_tail = True


_CATEGORICAL = {"shill_roles": ("newbie+expert", "newbie", "expert"),
                "troublemaker_policy": ("ignore", "private", "public"),
                "private_target": ("all", "A", "B", "C", "D")}


class Column:
    """One parameter over the runs of a batch.

    ``column[run]`` gives the values for rows whose runs are ``run``: a scalar when every run of
    the batch shares the value (the usual case in sweeps, and a large saving: no gather per row),
    else the gathered array. ``column.all`` is the array over runs. Comparing a column itself is
    refused, so that a forgotten ``.all`` fails loudly instead of comparing objects.
    """

    __slots__ = ("all", "same", "value")

    def __init__(self, values: np.ndarray) -> None:
        self.all = values
        self.same = bool(values.size) and bool(np.all(values == values[0]))
        self.value = values[0] if self.same else None

    def __getitem__(self, run: np.ndarray):
        return self.value if self.same else self.all[run]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self.all if dtype is None else self.all.astype(dtype)

    def _refuse(self, other):
        raise TypeError("compare a parameter's values through .all or [run], not the column")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = None


class RunParams:
    """Every parameter as a :class:`Column` over the runs of a batch (categorical ones as codes)."""

    def __init__(self, params: list[Params]) -> None:
        # read each distinct parameter set once (runs of a sweep often share one) and spread the
        # values over the runs; the arrays are those of np.asarray over every run's values
        distinct: dict[int, int] = {}
        which = np.array([distinct.setdefault(id(p), len(distinct)) for p in params],
                         dtype=np.int64)
        firsts = list({id(p): p for p in params}.values())
        for name in Params.model_fields:
            values = [getattr(p, name) for p in firsts]
            if name in _CATEGORICAL:
                values = [_CATEGORICAL[name].index(v) for v in values]
            setattr(self, name, Column(np.asarray(values)[which]))

    def __getattr__(self, name: str) -> Column:  # for type checkers; real attrs set above
        raise AttributeError(name)


def ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., c-1 for each count c, concatenated: the slot of each repeated row."""
    counts = np.asarray(counts, dtype=np.int64)
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def per_row(value, n: int) -> np.ndarray:
    """A parameter value (scalar or per-row array) as an array of ``n`` rows."""
    return np.broadcast_to(value, (n,))


@dataclass
class State:
    """Everything that changes during a batch of runs."""

    params: list[Params]
    seeds: np.ndarray  # uint64, one per run
    day: int = 0
    p: RunParams = field(init=False)
    groups: Table = field(init=False)
    people: Table = field(init=False)
    members: Table = field(init=False)
    invites: Table = field(init=False)
    ties: Table = field(init=False)
    index_keys: np.ndarray = field(init=False)  # launch invitees met so far: key_of(run, key),
    index_rows: np.ndarray = field(init=False)  # sorted, and their person rows

    def __post_init__(self) -> None:
        self.p = RunParams(self.params)
        self.run_keys = run_keys(self.seeds)  # what every draw is keyed by (sim/rng.py)
        n = len(self.params)
        self.groups = Table(run=np.int64, gid=np.int64, topic=np.float64, launch_day=np.int64,
                            stimulus=np.float64, shills_live=np.int64, parent=np.int64,
                            city=np.int64, vitality=np.float64)
        self.people = Table(run=np.int64, key=np.uint64, activity=np.float64, type=np.int8,
                            able=np.bool_, willing=np.bool_, wtp=np.float64, city=np.int64,
                            cohort=np.int64, interest=np.float64, trust=np.float64,
                            messages=np.int64, converted=np.bool_,
                            friend=np.bool_,  # on the operator's friend list (P11)
                            invited_to=np.int64,  # 1 + the group row last re-invited to
                            bought=np.int64)  # day + 1 of the last purchase, 0 = never
        self.members = Table(run=np.int64, group=np.int64, person=np.int64, key=np.uint64,
                             kind=np.int8, activity=np.float64, quiet_planted=np.float64,
                             fit=np.float64, trust=np.float64, attention=np.float64,
                             habit=np.float64, commit=np.float64, status=np.int8,
                             join_day=np.int64, leave_day=np.int64, messages=np.int64,
                             today=np.int64, quarter=np.int64, posted=np.bool_,
                             seen_until=np.int64, degree=np.int64, leader=np.bool_,
                             calmed=np.bool_, remove=np.int8, retired=np.bool_,
                             checked_in=np.int64,  # day + 1 of the last check-in (P26)
                             first_post=np.int64, rivaled=np.bool_,
                             last_post=np.int64)  # day + 1 of the first and last post, 0 = never
                             # (kept only when members are recorded: sim/records.py)
        self.invites = Table(run=np.int64, group=np.int64, key=np.uint64, person_key=np.uint64,
                             day=np.int64, source=np.int8, topic=np.float64, city=np.int64,
                             cohort=np.int64, referrer=np.int64)
        self.ties = Table(a=np.int64, b=np.int64)
        self.tie_keys = np.zeros(0, dtype=np.int64)  # a * 2**31 + b of every tie, sorted
        self._sizes: np.ndarray | None = None  # group_sizes() cache
        self.index_keys = np.zeros(0, dtype=np.uint64)
        self.index_rows = np.zeros(0, dtype=np.int64)
        # per-run counters (cumulative)
        self.run_cost = np.zeros(n)
        self.run_revenue = np.zeros(n)
        self.run_churned = np.zeros(n, dtype=np.int64)
        self.run_kicked = np.zeros(n, dtype=np.int64)
        self.run_joined = np.zeros(n, dtype=np.int64)
        self.run_invited = np.zeros(n, dtype=np.int64)  # invitations sent (outcomes: invited)
        self.run_groups = np.zeros(n, dtype=np.int64)  # groups made so far (next local id)
        self.run_conversions = np.zeros(n, dtype=np.int64)
        # the day's aggregates, written by one phase and read by later ones the same day
        empty = np.zeros(0)
        self.messages_today = empty  # per group, members' messages (posting)
        self.posters_today = empty  # per group, members who posted (posting)
        self.spam_today = empty  # per group, spammers' ads (posting)
        self.questions_today = empty  # per group (replies)
        self.answered_today = empty  # per group (replies)
        self.attended = np.zeros(0, dtype=bool)  # per member, at an offline event today (ties)
        self.fights_today = empty  # per group, public arguments (trust)
        self.group_tally = np.zeros((6, 0))  # per group sums of the day (outcomes)

    def find_people(self, run: np.ndarray, key: np.ndarray) -> np.ndarray:
        """Person rows of launch invitees already met, by (run, person key); -1 if not met."""
        found = np.full(run.size, -1, dtype=np.int64)
        if self.index_keys.size and run.size:
            wanted = key_of(run, key)
            pos = np.minimum(np.searchsorted(self.index_keys, wanted), self.index_keys.size - 1)
            row = self.index_rows[pos]
            hit = (self.index_keys[pos] == wanted) & (self.people.run[row] == run) & \
                (self.people.key[row] == key)  # exact, not only the hash
            found[hit] = row[hit]
        return found

    def remember_people(self, rows: np.ndarray) -> None:
        """Add people rows to the index of launch invitees met."""
        if rows.size == 0:
            return
        wanted = key_of(self.people.run[rows], self.people.key[rows])
        pos = np.searchsorted(self.index_keys, wanted)
        self.index_keys = insert_sorted(self.index_keys, pos, wanted)
        self.index_rows = insert_sorted(self.index_rows, pos, rows)

    @property
    def n_runs(self) -> int:
        return len(self.params)

    def present(self) -> np.ndarray:
        """Mask of memberships still in their group (active or muted)."""
        return self.members.status != GONE

    def group_sizes(self) -> np.ndarray:
        """Members present in each group (read-only; counted once until membership changes)."""
        if self._sizes is None or self._sizes.size != self.groups.n:
            m = self.members
            self._sizes = _present_per_group(m.group, m.status, self.groups.n)  # one pass
            self._sizes.flags.writeable = False
        return self._sizes

    def members_changed(self) -> None:
        """Call after anyone joins, leaves or moves group: group sizes must be counted again."""
        self._sizes = None


@njit(cache=True)
def _present_per_group(group, status, n_groups):
    """``np.bincount(group[status != GONE], minlength=n_groups)`` in one pass."""
    out = np.zeros(n_groups, dtype=np.int64)
    for i in range(group.size):
        if status[i] != GONE:
            out[group[i]] += 1
    return out


def insert_sorted(arr: np.ndarray, pos: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.insert(arr, pos, values)`` for a flat ``arr``, in one compiled merge when ``pos`` is
    in order (as from ``np.searchsorted`` of sorted values); numpy's own otherwise."""
    pos = np.asarray(pos, dtype=np.int64)
    values = np.asarray(values).astype(arr.dtype, copy=False)
    if arr.ndim != 1 or pos.ndim != 1 or values.shape != pos.shape or \
            (pos.size > 1 and bool(np.any(pos[1:] < pos[:-1]))) or \
            (pos.size and (pos[0] < 0 or pos[-1] > arr.size)):
        return np.insert(arr, pos, values)
    return _merge_insert(arr, pos, values)


@njit(cache=True)
def _merge_insert(arr, pos, values):
    out = np.empty(arr.size + values.size, dtype=arr.dtype)
    src = 0
    for j in range(values.size):  # values[j] goes before arr[pos[j]], after earlier values
        p = pos[j]
        out[src + j:p + j] = arr[src:p]
        out[p + j] = values[j]
        src = p
    out[src + values.size:] = arr[src:]
    return out
