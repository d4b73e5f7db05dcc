"""DiscordChatExporter JSON: ``{"guild", "channel": {"id", "name"}, "messages": [...]}``.

One file is one channel (one group); a folder of such files is several groups (other files there
are ignored). Files of one channel id, as DiscordChatExporter writes when it splits a long export
into parts, form one group. The group is the channel's name, with its id added when two channels
share a name. Message ``type`` ``Default`` and ``Reply`` are messages and ``GuildMemberJoin`` a
join of its author; other types (pins, thread notices, calls) are skipped, as are authors marked
``isBot``. Times are ISO 8601 with an offset and are turned into UTC. The member is the hashed
author id; texts are never read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.errors import UserError
from sim.io.common import Hasher, expect, frame, head, iso_times, load_json, unique_names

NAME = "discord"
EVENT_OF_TYPE = {"Default": "message", "Reply": "message", "GuildMemberJoin": "join"}


def sniff(doc: object) -> bool:
    """A JSON object with ``guild``, ``channel`` and a ``messages`` list."""
    return (isinstance(doc, dict) and "guild" in doc and isinstance(doc.get("channel"), dict)
            and isinstance(doc.get("messages"), list))


def files_in(path: Path) -> list[Path]:
    """The JSON files in a folder whose beginning looks like a DiscordChatExporter export."""
    if not path.is_dir():
        return []
    found = []
    for file in sorted(path.glob("*.json")):
        text = head(file, 4096).lstrip()
        if text.startswith("{") and '"guild"' in text and '"channel"' in text:
            found.append(file)
    return found


def read(path: Path, salt: str, doc: object | None = None) -> pd.DataFrame:
    """Read one DiscordChatExporter file (``doc`` is it parsed, when at hand) or a folder of them.

    Raises:
        UserError: a damaged file, a message without author id or time, or no messages.
    """
    if path.is_dir():
        files = files_in(path)
        if not files:
            raise UserError(f"{path}: no DiscordChatExporter JSON files in this folder; "
                            'expected *.json files starting with {"guild": ..., "channel": ...}')
        docs = [(file, load_json(file)) for file in files]
    else:
        docs = [(path, load_json(path) if doc is None else doc)]
    channels = []
    for file, one in docs:
        expect(sniff(one), file, "top level", type(one).__name__,
               'a DiscordChatExporter export with "guild", "channel" and "messages"')
        channels.append((str(one["channel"].get("name") or one["channel"].get("id")),
                         str(one["channel"].get("id"))))
    names = unique_names(channels)
    hasher = Hasher(salt)
    stamps: list[str] = []
    where: list[tuple[Path, object]] = []
    groups: list[str] = []
    members: list[str] = []
    events: list[str] = []
    for (file, one), (_, channel_id) in zip(docs, channels, strict=True):
        for i, msg in enumerate(one["messages"]):
            expect(isinstance(msg, dict), file, f"message {i}", msg, "a JSON object")
            event = EVENT_OF_TYPE.get(msg.get("type"))
            author = msg.get("author")
            if event is None or (isinstance(author, dict) and author.get("isBot")):
                continue
            ok = isinstance(author, dict) and author.get("id") is not None
            expect(ok, file, f'message {msg.get("id", i)}, key "author"', author,
                   'an object with an "id"')
            stamps.append(str(msg.get("timestamp")))
            where.append((file, msg.get("id", i)))
            groups.append(names[channel_id])
            members.append(hasher(str(author["id"])))
            events.append(event)
    time = iso_times(stamps, path,
                     lambda i: f'file {where[i][0].name}, message {where[i][1]}, key "timestamp"',
                     'an ISO 8601 time like "2020-01-31T12:00:00.000+00:00"')
    return frame(time, groups, members, events, path)
