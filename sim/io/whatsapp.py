"""WhatsApp text export (``_chat.txt`` from iOS, ``WhatsApp Chat with X.txt`` from Android).

A message starts a line with a date and time, in one of two styles, then ``Name: text``::

    [31/12/2023, 23:59:59] Name: text        (iOS; 12h times like "11:59:59 PM" also read)
    12/31/23, 11:59 PM - Name: text          (Android, 12h)
    31/12/2023, 23:59 - Name: text           (Android, 24h)

Lines without that prefix continue the previous message (they add no event). The invisible marks
(U+200E and other direction marks) and narrow no-break spaces are removed before matching; a
leading "~" that newer exports put before non-contacts is dropped from names.

Day/month order is decided once per file: year-first when the first field has four digits; else
day-first when any first field is above 12; else month-first when any second field is above 12;
else month-first for 12-hour files (US style) and day-first for 24-hour ones. Times are the
exporting phone's local time without a zone and are taken as UTC.

System lines (no ``Name:``): "X joined ..." and "X created group ..." are joins of X, "X added Y
and Z" joins of Y and Z, "X left" a leave of X, "X removed Y" a leave of Y; the rest (encryption
notice, subject and icon changes, ...) is skipped. Only English system lines are understood; in
other languages joins and leaves are lost but messages are read. The exporting user appears as
"You" in system lines but by name in messages, so those are two members. The group is the file's
stem without "WhatsApp Chat with "/"WhatsApp Chat - " (for ``_chat.txt``: the folder's name),
unless ``group`` is given. Names are hashed; texts are never kept.

The iOS export shared as a folder (``_chat.txt`` beside the photos and voice notes) is read
through its ``_chat.txt``; shared as a ``.zip`` of that folder, the ``_chat.txt`` (or the only
``.txt``) inside is read without unpacking anything, and the group is the zip's name.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from sim.errors import UserError
from sim.io.common import Hasher, expect, frame, read_text

NAME = "whatsapp"
IOS_CHAT = "_chat.txt"
LRM = "\u200e"  # kept until a line is classified: iOS puts it before system texts
_MARKS = dict.fromkeys(map(ord, "\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                "\ufeff"))
_MARKS.update({0x202F: " ", 0x00A0: " "})
_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
_HEADERS = (re.compile(rf"^{LRM}*\[(?P<date>{_DATE}),?\s(?P<time>{_TIME})\]\s?(?P<rest>.*)$"),
            re.compile(rf"^{LRM}*(?P<date>{_DATE}),?\s(?P<time>{_TIME})\s[-\u2013]\s(?P<rest>.*)$"))
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s?(?:([AaPp])\.?\s?[Mm]\.?)?$")
_SYSTEM = (  # (pattern naming the member(s) "who", event); the first that matches wins
    (re.compile(r"^(?P<who>.+?) joined(?: using .*| from .*| via .*)?$"), "join"),
    (re.compile(r"^(?P<who>.+?) created (?:the )?group\b.*$"), "join"),
    (re.compile(r"^.+? added (?!this group)(?P<who>.+)$"), "join"),
    (re.compile(r"^(?P<who>.+?) left$"), "leave"),
    (re.compile(r"^.+? removed (?!this group)(?P<who>.+)$"), "leave"),
    (re.compile(r"^(?P<who>.+?) (?:was|were) removed$"), "leave"),
)
_ENCRYPTION = re.compile(r"^(?:Messages and calls are end-to-end encrypted|Messages to this "
                         r"(?:group|chat)(?: and calls)? are now secured)")
_AND = re.compile(r",\s*|\s+and\s+")
_PREFIXES = ("WhatsApp Chat with ", "WhatsApp Chat - ")


def _clean(line: str) -> str:
    return line.translate(_MARKS).rstrip("\r")


def _match(line: str) -> re.Match[str] | None:
    for pattern in _HEADERS:
        m = pattern.match(line)
        if m:
            return m
    return None


def sniff(text: str) -> bool:
    """The first non-empty line starts with a WhatsApp date and time."""
    for line in text.split("\n"):
        line = _clean(line).strip()
        if line:
            return _match(line) is not None
    return False


def _zip_chat(archive: zipfile.ZipFile) -> str | None:
    """The chat's member name in a zipped export: ``_chat.txt``, or the only ``.txt`` file."""
    names = [n for n in archive.namelist() if not n.endswith("/")]
    chats = [n for n in names if n.rsplit("/", 1)[-1] == IOS_CHAT]
    texts = [n for n in names if n.lower().endswith(".txt")]
    return chats[0] if chats else texts[0] if len(texts) == 1 else None


def is_zip(path: Path) -> bool:
    """A ``.zip`` file holding a WhatsApp chat (``_chat.txt`` or a single ``.txt``)?"""
    if path.suffix.lower() != ".zip" or not path.is_file():
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return _zip_chat(archive) is not None
    except (OSError, zipfile.BadZipFile):
        return False


def _zip_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            name = _zip_chat(archive)
            if name is None:
                raise UserError(f"{path}: no {IOS_CHAT} (nor a single .txt file) in the zip; "
                                "expected a zipped WhatsApp export")
            data = archive.read(name)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UserError(f"{path}: not a readable zip file ({exc}); expected a zipped WhatsApp "
                        "export") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: {name} is not UTF-8 text at byte {exc.start}; expected a "
                        "UTF-8 text export") from exc


def group_name(path: Path) -> str:
    """The group name a file's name implies (see the module docstring)."""
    stem = path.stem if path.stem != "_chat" else path.resolve().parent.name
    for prefix in _PREFIXES:
        if stem.startswith(prefix):
            return stem[len(prefix):]
    return stem


def read(path: Path, salt: str, group: str | None = None) -> pd.DataFrame:
    """Read a WhatsApp text export.

    Raises:
        UserError: an impossible date or time (naming the line), dates that fit neither
            day/month order, or no messages.
    """
    group = group or group_name(path)
    text = _zip_text(path) if path.suffix.lower() == ".zip" else read_text(path)
    heads: list[tuple[int, str, str, str]] = []  # (line number, date, time, rest)
    for number, line in enumerate(text.split("\n"), start=1):
        m = _match(_clean(line))
        if m:
            heads.append((number, m["date"], m["time"], m["rest"]))
    if not heads:
        raise UserError(f"{path}: no line starts with a WhatsApp date and time; the export "
                        "contains no messages (expected lines like '31/12/2023, 23:59 - Name: "
                        "text')")
    order = _date_order(path, heads)
    hasher = Hasher(salt)
    seconds: list[int] = []
    members: list[str] = []
    events: list[str] = []
    for number, date, clock, rest in heads:
        pairs = _events_of(rest.strip())
        if pairs:
            second = _seconds(path, number, date, clock, order)
        for who, event in pairs:
            seconds.append(second)
            members.append(hasher(who))
            events.append(event)
    time = pd.to_datetime(pd.Series(seconds, dtype="int64"), unit="s", utc=True)
    return frame(time, [group] * len(events), members, events, path)


def _date_order(path: Path, heads: list[tuple[int, str, str, str]]) -> str:
    """'ymd', 'dmy' or 'mdy' for the whole file (rules in the module docstring)."""
    fields = [re.split(r"[./-]", date) for _, date, _, _ in heads]
    if len(fields[0][0]) == 4:
        return "ymd"
    first = next((h for h, f in zip(heads, fields, strict=True) if int(f[0]) > 12), None)
    second = next((h for h, f in zip(heads, fields, strict=True) if int(f[1]) > 12), None)
    if first and second:
        raise UserError(f"{path}: dates fit neither day/month order: line {first[0]} has "
                        f"{first[1]!r} (day first) but line {second[0]} has {second[1]!r} "
                        "(month first); expected one date style in the whole file")
    if first:
        return "dmy"
    if second:
        return "mdy"
    twelve_hour = any(re.search(r"[AaPp]\.?\s?[Mm]\.?$", clock) for _, _, clock, _ in heads)
    return "mdy" if twelve_hour else "dmy"


def _seconds(path: Path, number: int, date: str, clock: str, order: str) -> int:
    """Seconds since 1970 of one line's date and time, taken as UTC."""
    parts = [int(p) for p in re.split(r"[./-]", date)]
    year, month, day = {"ymd": (0, 1, 2), "dmy": (2, 1, 0), "mdy": (2, 0, 1)}[order]
    year, month, day = parts[year], parts[month], parts[day]
    year += 2000 if year < 100 else 0
    m = _CLOCK.match(clock)
    hour, minute, sec = int(m[1]), int(m[2]), int(m[3] or 0)
    if m[4]:
        expect(1 <= hour <= 12, path, f"line {number}", clock, "a 12-hour time (hour 1 to 12)")
        hour = hour % 12 + (12 if m[4] in "Pp" else 0)
    try:
        when = datetime(year, month, day, hour, minute, sec, tzinfo=UTC)
    except ValueError:
        when = None
    expect(when is not None, path, f"line {number}", f"{date}, {clock}",
           f"a valid date and time (read as {order.upper()})")
    return int(when.timestamp())


def _events_of(rest: str) -> list[tuple[str, str]]:
    """(member name, event) pairs of a line's text after the date: a message or a system line.

    iOS writes some system lines as messages of the group itself, their text starting with U+200E
    ("Club: \u200eAnn joined ..."); those and the encryption notice are system lines too.
    """
    plain = rest.replace(LRM, "").strip()
    if _ENCRYPTION.match(plain):
        return []
    name, sep, text = rest.partition(": ")
    if not sep and rest.endswith(":"):
        name, sep = rest[:-1], ":"  # a message whose text starts on the next line
    # A sender name has no quotes; system lines that quote a subject may contain ": ".
    if sep and _name(name) and len(name) <= 80 and not any(q in name for q in "\"“”"):
        text = text.strip()
        if text.startswith(LRM):
            system = _system(text.replace(LRM, "").strip())
            if system is not None:
                return system
        if _ENCRYPTION.match(text.replace(LRM, "")):
            return []
        return [(_name(name), "message")]
    return _system(plain) or []


def _system(text: str) -> list[tuple[str, str]] | None:
    """The joins or leaves a system text stands for; None when it is not one of them."""
    for pattern, event in _SYSTEM:
        m = pattern.match(text)
        if m:
            return [(_name(who), event) for who in _AND.split(m["who"]) if _name(who)]
    return None


def _name(raw: str) -> str:
    return raw.replace(LRM, "").strip().lstrip("~").strip()
