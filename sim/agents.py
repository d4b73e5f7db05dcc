"""Member: a Mesa agent that is a view over one person's row in the state arrays.

Reading an attribute reads the arrays; setting one writes them, so a change made through a
Member is what the next day's phases see. A person may sit in several of the operator's groups
(P12); ``memberships`` gives a view per group seat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.state import ACTIVE, GONE, MUTED, STATUS_NAMES, TYPE_NAMES

if TYPE_CHECKING:
    from sim.model import CommunityModel


class Membership:
    """One seat of a person in one group (a view over a row of ``state.members``)."""

    def __init__(self, model: CommunityModel, row: int) -> None:
        self._m = model.state.members
        self._g = model.state.groups
        self.row = row

    group = property(lambda self: int(self._g.gid[self._m.group[self.row]]),
                     doc="the group's id within the run")
    fit = property(lambda self: float(self._m.fit[self.row]), doc="interest fit with the topic")
    attention = property(lambda self: float(self._m.attention[self.row]), doc="0-1")
    messages = property(lambda self: int(self._m.messages[self.row]), doc="posted in this group")
    degree = property(lambda self: int(self._m.degree[self.row]), doc="ties in this group")
    leader = property(lambda self: bool(self._m.leader[self.row]))
    status = property(lambda self: STATUS_NAMES[self._m.status[self.row]])
    join_day = property(lambda self: int(self._m.join_day[self.row]))

    @property
    def trust(self) -> float:
        """Trust in this group, 0-1."""
        return float(self._m.trust[self.row])

    @trust.setter
    def trust(self, value: float) -> None:
        self._m.trust[self.row] = np.clip(value, 0.0, 1.0)

    def __repr__(self) -> str:
        return f"Membership(group={self.group}, status={self.status}, messages={self.messages})"


class Member(mesa.Agent):
    """A person in the operator's groups: traits, trust in the owner, and their group seats."""

    def __init__(self, model: CommunityModel, row: int) -> None:
        super().__init__(model)
        self.row = row
        self._pe = model.state.people

    def _seats(self) -> np.ndarray:
        return np.asarray(self.model.seats_of(self.row), dtype=np.int64)

    @property
    def memberships(self) -> list[Membership]:
        """One view per group this person joined (including groups they left)."""
        return [Membership(self.model, int(r)) for r in self._seats()]

    @property
    def groups(self) -> list[int]:
        """Ids of the groups this person is in now."""
        return [s.group for s in self.memberships if s.status != "gone"]

    @property
    def status(self) -> str:
        """'active' if active in any group, 'muted' if present only muted, else 'gone'."""
        st = self.model.state.members.status[self._seats()]
        if (st == ACTIVE).any():
            return "active"
        return "muted" if (st == MUTED).any() else STATUS_NAMES[GONE]

    @property
    def messages(self) -> int:
        """Messages posted so far, in all groups."""
        return int(self._pe.messages[self.row])

    @property
    def ever_spoken(self) -> bool:
        return self.messages > 0

    @property
    def trust(self) -> float:
        """Trust in the owner (the brand), 0-1."""
        return float(self._pe.trust[self.row])

    @trust.setter
    def trust(self, value: float) -> None:
        self._pe.trust[self.row] = np.clip(value, 0.0, 1.0)

    @property
    def activity(self) -> float:
        """Base posting intensity, posts a day at full attention, fit and neutral trust."""
        return float(self._pe.activity[self.row])

    @activity.setter
    def activity(self, value: float) -> None:
        value = max(0.0, float(value))
        self._pe.activity[self.row] = value
        self.model.state.members.activity[self._seats()] = value  # each seat keeps a copy

    @property
    def kind(self) -> str:
        """'ordinary', 'spammer' or 'troublemaker'."""
        return TYPE_NAMES[self._pe.type[self.row]]

    @property
    def abcd(self) -> str:
        """P10's class: A able and willing, B willing not able, C able not willing, D neither."""
        able, willing = bool(self._pe.able[self.row]), bool(self._pe.willing[self.row])
        return "A" if able and willing else "B" if willing else "C" if able else "D"

    interest = property(lambda self: float(self._pe.interest[self.row]),
                        doc="position of the person's interest on the topic circle")
    city = property(lambda self: int(self._pe.city[self.row]))
    cohort = property(lambda self: int(self._pe.cohort[self.row]))
    converted = property(lambda self: bool(self._pe.converted[self.row]), doc="bought the product")

    def __repr__(self) -> str:
        return f"Member(id={self.unique_id}, {self.kind}, {self.status}, messages={self.messages})"
