"""Slack workspace export: a folder with ``channels.json``, ``users.json`` and one folder per
channel holding one JSON file per day (``2020-01-31.json``, a list of messages).

Channels are those named in ``channels.json`` (and ``groups.json`` for private channels, when
present); each is a group. A message is an entry with a ``user`` and no subtype, or a subtype a
person posts (``thread_broadcast``, ``file_share``, ``me_message``); thread replies (``thread_ts``
other than ``ts``) are messages too. ``channel_join``/``group_join`` are joins and
``channel_leave``/``group_leave`` leaves. Skipped: edits and deletions (``message_changed``,
``message_deleted``: not new messages), ``bot_message``, entries with no ``user``, users marked
``is_bot`` in ``users.json`` (and Slackbot), hidden entries and other notices (topic, purpose,
pins). Time is ``ts`` (seconds since 1970, UTC, with microseconds). The member is the hashed user
id. Zipped exports are not read: unzip them first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sim.errors import UserError
from sim.io.common import Hasher, expect, frame, load_json

NAME = "slack"
MESSAGE_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})
JOIN_SUBTYPES = frozenset({"channel_join", "group_join"})
LEAVE_SUBTYPES = frozenset({"channel_leave", "group_leave"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_TS = re.compile(r"^(\d+)(?:\.(\d{1,9}))?$")


def sniff(path: Path) -> bool:
    """A folder holding ``channels.json``."""
    return path.is_dir() and (path / "channels.json").is_file()


def read(path: Path, salt: str) -> pd.DataFrame:
    """Read a Slack export folder.

    Raises:
        UserError: a damaged JSON file, a malformed entry (naming the file and entry), a listed
            channel without its folder, or no messages.
    """
    channels = _channels(path)
    bots = _bots(path)
    hasher = Hasher(salt)
    nanos: list[int] = []
    groups: list[str] = []
    members: list[str] = []
    events: list[str] = []
    for name in channels:
        folder = path / name
        if not folder.is_dir():
            raise UserError(f"{path / 'channels.json'}: channel {name!r} has no folder {folder}; "
                            "expected one folder per channel with one JSON file per day")
        for day in sorted(p for p in folder.iterdir() if _DAY.match(p.name)):
            entries = load_json(day)
            expect(isinstance(entries, list), day, "top level", type(entries).__name__,
                   "a list of messages")
            for i, entry in enumerate(entries):
                event = _event_of(day, i, entry, bots)
                if event is not None:
                    nanos.append(_nanos(day, i, entry.get("ts")))
                    groups.append(name)
                    members.append(hasher(str(entry["user"])))
                    events.append(event)
    time = pd.to_datetime(pd.Series(nanos, dtype="int64"), unit="ns", utc=True)
    return frame(time, groups, members, events, path)


def _channels(path: Path) -> list[str]:
    """Channel names from ``channels.json`` and, when present, ``groups.json``."""
    names: list[str] = []
    for file in (path / "channels.json", path / "groups.json"):
        if not file.is_file():
            continue
        listed = load_json(file)
        expect(isinstance(listed, list), file, "top level", type(listed).__name__,
               "a list of channels")
        for i, channel in enumerate(listed):
            ok = isinstance(channel, dict) and isinstance(channel.get("name"), str)
            expect(ok, file, f"channel {i}", channel, 'an object with a "name"')
            names.append(channel["name"])
    return names


def _bots(path: Path) -> set[str]:
    """User ids of bots (from ``users.json`` when present) and Slackbot."""
    bots = {"USLACKBOT"}
    file = path / "users.json"
    if file.is_file():
        users = load_json(file)
        expect(isinstance(users, list), file, "top level", type(users).__name__,
               "a list of users")
        bots |= {str(u.get("id")) for u in users if isinstance(u, dict) and u.get("is_bot")}
    return bots


def _event_of(day: Path, i: int, entry: object, bots: set[str]) -> str | None:
    """The event an entry of a day file stands for, or None when it is not one."""
    expect(isinstance(entry, dict), day, f"entry {i}", entry, "a JSON object (a message)")
    if entry.get("type", "message") != "message" or entry.get("hidden"):
        return None
    user = entry.get("user")
    if not user or user in bots:
        return None
    subtype = entry.get("subtype")
    if subtype in MESSAGE_SUBTYPES:
        return "message"
    if subtype in JOIN_SUBTYPES:
        return "join"
    if subtype in LEAVE_SUBTYPES:
        return "leave"
    return None  # bot_message, message_changed, message_deleted, topic, purpose, pins, ...


def _nanos(day: Path, i: int, ts: object) -> int:
    """Nanoseconds since 1970 of a Slack ``ts`` such as "1580428800.000200" (exact, no float)."""
    m = _TS.match(str(ts))
    expect(m is not None, day, f'entry {i}, key "ts"', ts,
           'seconds since 1970 like "1580428800.000200"')
    return int(m[1]) * 1_000_000_000 + int((m[2] or "0").ljust(9, "0"))
