"""Plain words and units for every outcome, shared by the terminal tables, the report, the app
and the PNGs: an operator reads "members at the end", not ``members_final``.

``LABELS`` maps an outcome's code name (a column of ``runs.parquet`` or ``daily.parquet``) to its
words and unit; :func:`heading` gives "words (unit)" for a table or an axis, :func:`small_print`
the code name for the footnote a user needs for ``--outcome`` or an experiment's ``outcomes``. A
new outcome gets a line here (a test fails until it has one). No imports beyond the standard
library: the command line's start stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """How an outcome is shown: its words, its unit, and whether it is a share shown as %."""

    words: str
    unit: str
    share: bool = False  # a 0-1 share, shown as a percentage

    def heading(self) -> str:
        return f"{self.words} ({self.unit})" if self.unit else self.words


def _share(words: str) -> Label:
    return Label(words, "%", share=True)


LABELS: dict[str, Label] = {
    # per-run outcomes (runs.parquet)
    "days": Label("days simulated", "days"),
    "invited": Label("people invited", "people"),
    "lifetime": Label("group lifetime: days until it fell silent", "days"),
    "lifetime_censored": _share("groups still active when the run ended"),
    "active_day_30": _share("groups still active on day 30"),
    "active_day_60": _share("groups still active on day 60"),
    "active_day_90": _share("groups still active on day 90"),
    "active_day_180": _share("groups still active on day 180"),
    "time_to_silence": Label("days until the group fell silent", "days"),
    "silent": _share("runs fallen silent"),
    "retention_d90": _share("activity kept at day 90, of its peak"),
    "peak_day": Label("day of peak activity", "day"),
    "peak_messages": Label("peak activity (7-day mean)", "messages/day"),
    "total_messages": Label("messages over the run", "messages"),
    "members_final": Label("members at the end", "members"),
    "joined": Label("members who joined", "members"),
    "churned": Label("members who left", "members"),
    "ever_spoken_share_final": _share("members who have ever spoken, at the end"),
    "ever_spoken_share_d14": _share("members who have ever spoken, day 14"),
    "ever_spoken_share_d90": _share("members who have ever spoken, day 90"),
    "members_d90": Label("members on day 90", "members"),
    "active_members_d30": Label("members who posted on day 30", "members"),
    "active_members_d90": Label("members who posted on day 90", "members"),
    "mean_trust_final": Label("mean trust at the end", "0 to 1"),
    "top10_share": _share("messages by the most active tenth of members"),
    "gini": Label("inequality of messages (Gini)", "0 = equal, 1 = one voice"),
    "lurker_share": _share("members who never posted"),
    "engaged_members": Label("members with 3+ messages in 90 days", "members"),
    "rarely_share": _share("members posting 0-2 messages in 90 days"),
    "sometimes_share": _share("members posting 3-29 messages in 90 days"),
    "a_lot_share": _share("members posting 30+ messages in 90 days"),
    "tie_density": _share("pairs of members with a tie"),
    "conversions": Label("people who bought the product", "people"),
    "revenue": Label("revenue", "yuan"),
    "cost": Label("operator's cost", "yuan"),
    "return_on_cost": Label("return on cost: (revenue - cost) / cost", "yuan per yuan"),
    # daily outcomes (daily.parquet); the shared names above read the same by day
    "members": Label("members present", "members"),
    "people": Label("people in at least one group", "people"),
    "active_members": Label("members who posted that day", "members"),
    "messages": Label("messages that day", "messages"),
    "ever_spoken_share": _share("members who have ever spoken"),
    "mean_trust": Label("mean trust", "0 to 1"),
    "muted": Label("members who muted the group", "members"),
    "kicked": Label("members removed by the operator (moderation, skipped check-ins)", "members"),
    "questions": Label("questions asked that day", "questions"),
    "answered": Label("questions answered that day", "questions"),
    "shill_messages": Label("messages by shill accounts that day", "messages"),
    "spam_messages": Label("spam ads that day", "messages"),
    "groups": Label("groups run", "groups"),
    "day": Label("day since launch", "day"),
}

# short column headings for terminal tables, where width is scarce (unit included)
SHORT: dict[str, str] = {
    "members_final": "members at end", "ever_spoken_share_final": "ever spoken %",
    "silent": "silent runs %", "time_to_silence": "days to silence",
    "total_messages": "messages", "revenue": "revenue yuan", "cost": "cost yuan",
    "joined": "joined", "churned": "left", "members": "members", "active_members": "posted",
    "messages": "messages", "ever_spoken_share": "ever spoken %", "mean_trust": "trust 0-1",
    "members_d90": "members day 90", "active_members_d30": "posted day 30",
    "active_members_d90": "posted day 90", "mean_trust_final": "trust 0-1",
    "retention_d90": "kept day 90 %", "invited": "invited", "lifetime": "lifetime days",
    "active_day_30": "active day 30 %", "active_day_60": "active day 60 %",
    "active_day_90": "active day 90 %", "active_day_180": "active day 180 %",
}

_SUFFIX = re.compile(r"^(?P<base>.+?)_(?:d(?P<day>\d+)|(?P<final>final))$")


def label(name: str) -> Label:
    """The label of an outcome; one not in the table is read from its name (``x_d30``: "x, day
    30"), so a new column still shows words rather than underscores."""
    if name in LABELS:
        return LABELS[name]
    match = _SUFFIX.match(name)
    if match and match["base"] in LABELS:
        base = LABELS[match["base"]]
        when = f"day {int(match['day'])}" if match["day"] else "at the end"
        return Label(f"{base.words}, {when}", base.unit, base.share)
    return Label(name.replace("_", " "), "")


def words(name: str) -> str:
    """The outcome in words, without its unit."""
    return label(name).words


def heading(name: str) -> str:
    """The outcome in words with its unit: 'members at the end (members)'."""
    return label(name).heading()


def short(name: str) -> str:
    """A short heading with its unit for a narrow terminal column."""
    return SHORT.get(name) or heading(name)


def small_print(names: list[str] | tuple[str, ...]) -> str:
    """A footnote mapping the words shown to the code names a user types (--outcome, outcomes)."""
    return "code names: " + "; ".join(f"{short(n)} = {n}" for n in names)


def value(name: str, x: float, decimals: int = 1) -> str:
    """A value with its unit: 42.0 % for shares, '1,234 yuan' otherwise; '-' when missing."""
    if x is None or x != x:
        return "-"
    lab = label(name)
    if lab.share:
        return f"{100 * x:.{decimals}f} %"
    unit = f" {lab.unit}" if lab.unit and not lab.unit[0].isdigit() else ""
    return f"{x:,.{decimals}f}{unit}"
