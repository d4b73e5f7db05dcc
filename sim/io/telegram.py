"""Telegram Desktop JSON export (``result.json``): one chat, or a full export of all chats.

* One chat: ``{"name", "type", "id", "messages": [...]}``. Any chat type is read: the user chose it.
* Full export: ``{"chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}}``. Only group
  chats (types with "group" in them) are read, from both lists; personal chats, bots, channels and
  saved messages are not chat groups and are skipped.

Events: ``type: "message"`` is a message by ``from_id`` (else ``from``); an edited message is still
one entry. Service entries: ``invite_members``, ``join_group_by_link``, ``join_group_by_request``
and ``create_group`` are joins, ``remove_members`` is a leave (Telegram writes a member who leaves
as removing themselves), each for every name in ``members`` when present, else for ``actor_id``.
Other service entries (pins, title changes, calls) are skipped. ``members`` holds display names,
not ids: a name that belongs to exactly one ``from_id``/``actor_id`` in the chat is mapped to that
id, so a member's join and messages get the same hash; other names are hashed as they are.

Time: ``date_unixtime`` when present, else ``date``, which is the exporting computer's local time
without a zone and is taken as UTC (so such times may be off by the user's UTC offset). The group
is the chat's name, with its id added when two chats share a name. Texts are never read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.io.common import Hasher, expect, frame, unique_names

NAME = "telegram"
JOIN_ACTIONS = frozenset({"invite_members", "join_group_by_link", "join_group_by_request",
                          "create_group"})
LEAVE_ACTIONS = frozenset({"remove_members"})


def sniff(doc: object) -> bool:
    """A JSON object with a ``messages`` list (and no Discord ``guild``), or ``chats.list``."""
    if not isinstance(doc, dict):
        return False
    if isinstance(doc.get("messages"), list) and "guild" not in doc:
        return True
    chats = doc.get("chats")
    return isinstance(chats, dict) and isinstance(chats.get("list"), list)


def read(path: Path, doc: object, salt: str) -> pd.DataFrame:
    """Turn a parsed Telegram export into the event table.

    Raises:
        UserError: a malformed chat or message (naming the chat and message id), or no messages.
    """
    expect(isinstance(doc, dict), path, "top level", type(doc).__name__,
           'a JSON object with "messages" or "chats"')
    if "chats" in doc:
        chats = []
        for key in ("chats", "left_chats"):
            section = doc.get(key) or {}
            expect(isinstance(section, dict) and isinstance(section.get("list", []), list),
                   path, f'key "{key}"', section, 'an object with a "list" of chats')
            chats += [c for c in section.get("list", [])
                      if isinstance(c, dict) and "group" in str(c.get("type", ""))]
        if not chats:
            raise UserError(f"{path}: the full export contains no group chats (only personal "
                            "chats, bots or channels); expected at least one group chat")
    else:
        chats = [doc]
    names = unique_names([(str(c.get("name") or f"chat {c.get('id')}"), str(c.get("id")))
                          for c in chats])
    hasher = Hasher(salt)
    seconds: list[int] = []
    groups: list[str] = []
    members: list[str] = []
    events: list[str] = []
    for chat in chats:
        group = names[str(chat.get("id"))]
        messages = chat.get("messages")
        expect(isinstance(messages, list), path, f'chat "{group}", key "messages"', messages,
               "a list of messages")
        ids_by_name = _ids_by_name(messages)
        for msg in messages:
            who_events = _events_of(path, group, msg, ids_by_name)
            if who_events:
                second = _seconds(path, group, msg)
            for who, event in who_events:
                seconds.append(second)
                groups.append(group)
                members.append(hasher(who))
                events.append(event)
    time = pd.to_datetime(np.asarray(seconds, dtype=np.int64), unit="s", utc=True)
    return frame(time, groups, members, events, path)


def _seconds(path: Path, group: str, msg: dict) -> int:
    """Seconds since 1970 (UTC) of an entry: ``date_unixtime``, else ``date`` taken as UTC."""
    where = f'chat "{group}", message {msg.get("id")}'
    stamp = msg.get("date_unixtime")
    if stamp is not None:
        expect(str(stamp).isdigit(), path, f'{where}, key "date_unixtime"', stamp,
               "whole seconds since 1970")
        return int(stamp)
    try:
        when = datetime.fromisoformat(str(msg.get("date")))
    except ValueError:
        when = None
    expect(when is not None, path, f'{where}, key "date"', msg.get("date"),
           'a date-time like "2023-12-31T23:59:59" (or a "date_unixtime")')
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # export's local time, zone unknown: see above
    return int(when.timestamp())


def _ids_by_name(messages: list) -> dict[str, str]:
    """Display names used by exactly one id in this chat, mapped to that id."""
    seen: dict[str, set[str]] = {}
    for msg in messages:
        if not isinstance(msg, dict):
            continue
        for name_key, id_key in (("from", "from_id"), ("actor", "actor_id")):
            name, ident = msg.get(name_key), msg.get(id_key)
            if name and ident:
                seen.setdefault(str(name), set()).add(str(ident))
    return {name: next(iter(ids)) for name, ids in seen.items() if len(ids) == 1}


def _events_of(path: Path, group: str, msg: object,
               ids_by_name: dict[str, str]) -> list[tuple[str, str]]:
    """The (member id, event) pairs that one export entry stands for (often none)."""
    expect(isinstance(msg, dict), path, f'chat "{group}", a message', msg, "a JSON object")
    kind = msg.get("type")
    if kind == "message":
        who = msg.get("from_id") or msg.get("from")
        expect(bool(who), path, f'chat "{group}", message {msg.get("id")}', msg.get("from_id"),
               'a sender in "from_id" or "from"')
        return [(str(who), "message")]
    if kind != "service":
        return []
    action = msg.get("action")
    if action in JOIN_ACTIONS:
        event = "join"
    elif action in LEAVE_ACTIONS:
        event = "leave"
    else:
        return []
    listed = [m for m in msg.get("members") or [] if m]
    if listed:
        return [(ids_by_name.get(str(m), str(m)), event) for m in listed]
    actor = msg.get("actor_id") or msg.get("actor")
    expect(bool(actor), path, f'chat "{group}", service message {msg.get("id")}', actor,
           'members in "members" or an "actor_id"')
    return [(str(actor), event)]
