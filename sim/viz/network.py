"""One group's members and the ties between them, drawn with a layout that stays put.

Each member gets a place on a sunflower spiral the first time they are drawn, in order of
arrival, and keeps it: between two days only colours, sizes and lines change, so a learner sees
who starts to speak and who gets to know whom.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.model import CommunityModel

GOLDEN = math.pi * (3 - math.sqrt(5))  # the sunflower's angle between successive seeds
COLORS = {"lurker": "#c7c7c7", "speaker": "#ff7f0e", "muted": "#9ecae1", "tie": "#1f77b4"}


def place(positions: dict[int, tuple[float, float]], uid: int, capacity: int
          ) -> tuple[float, float]:
    """The member's fixed place; a newcomer takes the next seat of the spiral."""
    if uid not in positions:
        k = len(positions)
        r = math.sqrt((k + 0.5) / max(capacity, 1))
        positions[uid] = (r * math.cos(k * GOLDEN), r * math.sin(k * GOLDEN))
    return positions[uid]


def group_snapshot(model: CommunityModel, group: int = 0) -> dict[str, np.ndarray]:
    """Positions, kinds and message counts of a group's present members, and its ties."""
    if not hasattr(model, "positions"):  # VizModel has one; a plain CommunityModel gets one
        model.positions = {}
    positions = model.positions
    capacity = int(model.params.group_size * 1.2)
    members = model.members_in(group)
    xy, kind, msgs = [], [], []
    for m in members:
        seat = [s for s in m.memberships if s.group == group and s.status != "gone"]
        said = seat[0].messages if seat else 0
        muted = bool(seat) and seat[0].status == "muted"
        xy.append(place(positions, m.unique_id, capacity))
        kind.append("muted" if muted else "speaker" if said > 0 else "lurker")
        msgs.append(said)
    where = {m.unique_id: i for i, m in enumerate(members)}
    ties = [(where[a], where[b]) for a, b in model.ties_in(group) if a in where and b in where]
    return {"xy": np.array(xy, dtype=float).reshape(-1, 2), "kind": np.array(kind, dtype=object),
            "messages": np.array(msgs, dtype=float), "ties": np.array(ties, dtype=int)
            .reshape(-1, 2)}


WORDS = {"lurker": "never spoken", "muted": "muted the group", "speaker": "has spoken"}


def draw_group(model: CommunityModel, group: int = 0) -> Figure:
    """A matplotlib figure of one group: speakers orange, lurkers grey, muted blue, ties as lines.
    """
    snap = group_snapshot(model, group)
    xy, kind = snap["xy"], snap["kind"]
    fig = Figure(figsize=(5.5, 5.5), dpi=90)
    ax = fig.subplots()
    if len(snap["ties"]):
        ax.add_collection(LineCollection(xy[snap["ties"]], colors=COLORS["tie"], linewidths=0.6,
                                         alpha=0.5, zorder=1))
    sizes = 12 + 10 * np.sqrt(snap["messages"])
    for k in ("lurker", "muted", "speaker"):
        mask = kind == k
        ax.scatter(xy[mask, 0], xy[mask, 1], s=sizes[mask], c=COLORS[k], edgecolors="#555",
                   linewidths=0.3, zorder=2, label=f"{WORDS[k]} ({int(mask.sum())})")
    reach = max(1.05, float(np.abs(xy).max()) + 0.05) if len(xy) else 1.05
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axis("off")
    spoke = float(np.mean(snap["messages"] > 0)) if len(xy) else 0.0
    ax.set_title(f"group {group}, day {model.day}: {len(xy)} members, {spoke:.0%} have spoken, "
                 f"{len(snap['ties'])} ties between members (lines)", fontsize=9)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8,
              frameon=False)
    return fig
