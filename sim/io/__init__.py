"""Importers of real chat groups: exports of several apps turned into one event table.

The event table (a pandas DataFrame) has the columns ``time`` (tz-aware UTC), ``group``,
``member`` and ``event`` (``message``, ``join`` or ``leave``), sorted by time. It is what
:mod:`sim.measure` measures and what calibration compares the model with.

Formats (:data:`FORMATS`), each described in its module's docstring:

* ``csv``: the generic event log (:mod:`sim.io.generic_csv`); its members are hashed too.
* ``telegram``: Telegram Desktop JSON export, one chat or a full export.
* ``whatsapp``: WhatsApp text export (iOS and Android styles; the iOS folder holding
  ``_chat.txt`` and media files, or a ``.zip`` of it).
* ``slack``: Slack workspace export folder.
* ``discord``: DiscordChatExporter JSON file, or a folder of them.

Privacy: on import every member name or id is replaced by a salted hash (first 12 hex digits of
sha256(salt + id)), and so is every group or chat name unless ``keep_group_names`` (phone
numbers in kept names are hashed all the same: :mod:`sim.io.privacy`); message texts are never
read into the table. The salt stays with the user (:func:`load_salt`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from sim.errors import UserError, closest
from sim.io import discord, generic_csv, slack, telegram, whatsapp
from sim.io.common import COLUMNS, EVENTS, finish, head, load_json, load_salt
from sim.io.privacy import protect

__all__ = ["FORMATS", "detect_format", "import_events", "load_salt", "protect", "read_events",
           "read_export", "write_events"]

FORMATS = ("csv", "telegram", "whatsapp", "slack", "discord")
_NEEDS = {  # what each format looks like, for the message when nothing fits
    "csv": "a .csv file with the header time,group,member,event",
    "telegram": 'a Telegram Desktop result.json with "messages" or "chats"',
    "whatsapp": "a WhatsApp .txt export whose lines start with a date and time (or a folder "
                "or .zip holding _chat.txt)",
    "slack": "a Slack export folder with channels.json",
    "discord": 'a DiscordChatExporter .json with "guild" and "channel", or a folder of them',
}


def _nothing_fits(path: Path, why: str) -> UserError:
    tried = "; ".join(f"{name}: {needs}" for name, needs in _NEEDS.items())
    return UserError(f"{path}: {why}, so it is in no known format. Tried {', '.join(FORMATS)} "
                     f"({tried})")


def _detect(path: Path) -> tuple[str, object | None]:
    """The format of ``path`` and, for JSON files, the parsed document (parsed only once)."""
    if not path.exists():
        raise UserError(f"{path}: no such file or folder; expected a chat export")
    if path.is_dir():
        if slack.sniff(path):
            return "slack", None
        if discord.files_in(path):
            return "discord", None
        if (path / whatsapp.IOS_CHAT).is_file():
            return "whatsapp", None
        raise _nothing_fits(path, f"this folder has no channels.json, no Discord JSON files "
                                  f"and no {whatsapp.IOS_CHAT}")
    if whatsapp.is_zip(path):
        return "whatsapp", None
    text = head(path)
    # WhatsApp before JSON: an iOS export starts with "[", like a JSON list.
    if whatsapp.sniff(text):
        return "whatsapp", None
    if generic_csv.sniff(path, text):
        return "csv", None
    if text.lstrip()[:1] in ("{", "["):
        doc = load_json(path)  # a truncated export fails here, with a message saying so
        if discord.sniff(doc):
            return "discord", doc
        if telegram.sniff(doc):
            return "telegram", doc
        raise _nothing_fits(path, "this JSON file is neither a Telegram nor a Discord export")
    raise _nothing_fits(path, "its beginning matches none of the formats")


def detect_format(path: str | os.PathLike[str]) -> str:
    """Tell which export format a file or folder is in.

    Args:
        path: A file or folder.

    Returns:
        One of :data:`FORMATS`.

    Raises:
        UserError: The path is missing, is truncated JSON, or fits no format (the message lists
            the formats tried and what each looks like).
    """
    return _detect(Path(path).expanduser())[0]


def import_events(path: str | os.PathLike[str], fmt: str | None = None, salt: str | None = None,
                  group: str | None = None, keep_group_names: bool = False) -> pd.DataFrame:
    """Read a chat export into the event table, with members and groups hashed and no texts.

    Args:
        path: The export's file or folder.
        fmt: One of :data:`FORMATS`; detected from the content when None.
        salt: The salt for hashing members and groups; :func:`load_salt` when None.
        group: The group name for a WhatsApp chat (default: taken from the file name); the other
            formats name their groups themselves.
        keep_group_names: keep group and chat names as they are (phone numbers in them are
            hashed all the same); by default they are hashed like members.

    Returns:
        The event table: ``time`` (UTC), ``group``, ``member``, ``event``, sorted by time.

    Raises:
        UserError: An unknown format, a file that is not in the format, damaged content or an
            export without messages; the message names the file, the place and the value.
    """
    path = Path(path).expanduser()
    if salt is None:
        salt = load_salt()
    elif not salt:
        raise UserError("the salt is empty; expected a non-empty salt (or none, to use the "
                        "user's salt file)")
    events, fmt = read_export(path, fmt, salt, group)
    return protect(events, salt, keep_group_names, hash_members=fmt == "csv")


def read_export(path: Path, fmt: str | None, salt: str, group: str | None = None
                ) -> tuple[pd.DataFrame, str]:
    """A chat export's events with members hashed (except a generic CSV's) and group names as
    they are found, and its format: :func:`sim.io.privacy.protect` must follow before anything
    is written."""
    doc = None
    if fmt is None:
        fmt, doc = _detect(path)
    elif fmt not in FORMATS:
        raise UserError(f"format {fmt!r} is unknown{closest(fmt, FORMATS)}; expected one of "
                        f"{', '.join(FORMATS)}")
    elif not path.exists():
        raise UserError(f"{path}: no such file or folder; expected a {fmt} export")
    if fmt == "whatsapp" and path.is_dir() and (path / whatsapp.IOS_CHAT).is_file():
        path = path / whatsapp.IOS_CHAT  # the iOS folder: _chat.txt beside the media files
    if fmt != "discord" and path.is_dir() != (fmt == "slack"):  # discord reads both
        kind = "a folder" if path.is_dir() else "a file"
        raise UserError(f"{path} is {kind}; expected {_NEEDS[fmt]}")
    if fmt == "csv":
        return generic_csv.read(path), fmt
    if fmt == "whatsapp":
        return whatsapp.read(path, salt, group), fmt
    if fmt == "slack":
        return slack.read(path, salt), fmt
    if fmt == "discord":
        return discord.read(path, salt, doc), fmt
    return telegram.read(path, load_json(path) if doc is None else doc, salt), fmt


def _check(df: pd.DataFrame, source: Path) -> pd.DataFrame:
    """Check an event table's columns and values; return it typed and sorted."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(missing)}; expected the columns "
                        f"{', '.join(COLUMNS)}")
    time = df["time"]
    if not isinstance(time.dtype, pd.DatetimeTZDtype):
        raise UserError(f"{source}: column time has type {time.dtype}; expected "
                        "tz-aware date-times (UTC)")
    bad = ~df["event"].isin(EVENTS)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise UserError(f"{source}: row {row}, column event: got {df['event'].iloc[row]!r}; "
                        f"expected one of {', '.join(EVENTS)}")
    for col in ("group", "member"):
        empty = df[col].isna() | (df[col].astype(str) == "")
        if empty.any():
            row = int(empty.to_numpy().nonzero()[0][0])
            raise UserError(f"{source}: row {row}, column {col} is empty; expected a name or id")
    if time.isna().any():
        row = int(time.isna().to_numpy().nonzero()[0][0])
        raise UserError(f"{source}: row {row}, column time is empty; expected a date-time")
    df = df[list(COLUMNS)].copy()
    df["time"] = time.dt.tz_convert("UTC")
    return finish(df, source)


def write_events(df: pd.DataFrame, out_path: str | os.PathLike[str]) -> None:
    """Write an event table to Parquet: to a temporary file first, then renamed into place, so
    a crash never leaves a half-written file.

    Args:
        df: The event table.
        out_path: The Parquet file to write; its folder is created when missing.

    Raises:
        UserError: The table lacks columns or has bad values, or the file cannot be written.
    """
    from sim.files import write_with

    out = Path(out_path).expanduser()
    df = _check(df, out)
    write_with(out, lambda tmp: df.to_parquet(tmp, index=False))


def read_events(path: str | os.PathLike[str], keep_group_names: bool = False,
                salt: str | None = None) -> pd.DataFrame:
    """Read an event table written by :func:`write_events` (Parquet) or a generic CSV log.

    Args:
        path: A ``.parquet`` file (recognized by its content too) or a generic CSV file.
        keep_group_names: for a CSV log, keep its group names (else hashed, as on import).
        salt: for a CSV log, the salt that hashes its members and groups (default:
            :func:`load_salt`). A Parquet table was protected when it was imported.

    Returns:
        The event table, sorted by time.

    Raises:
        UserError: The file is missing, unreadable, or not a valid event table.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(f"{path}: no such file; expected an event table (.parquet or .csv)")
    with path.open("rb") as f:
        is_parquet = f.read(4) == b"PAR1"
    if not is_parquet:
        events = generic_csv.read(path)
        return protect(events, salt or load_salt(), keep_group_names, hash_members=True)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise UserError(f"{path}: not a readable Parquet file ({exc}); "
                        "expected an event table written by commsim") from exc
    return _check(df, path)
