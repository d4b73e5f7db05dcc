"""What every importer shares: the event table, the salt and hashing, JSON and text reading.

The event table has the columns ``time`` (tz-aware UTC), ``group``, ``member`` and ``event`` (one of
:data:`EVENTS`), sorted by time (stable, so events of one second keep their order in the export).

Privacy: members are stored as salted hashes (:func:`hash_member`) and message texts are never
read into the table. The salt stays on the user's machine (:func:`load_salt`), so the same person
gets the same hash across imports by one user, and nobody without the salt can test a guessed
name or id against the hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError

COLUMNS = ("time", "group", "member", "event")
EVENTS = ("message", "join", "leave")
SALT_ENV = "COMMSIM_SALT"
TIME_DTYPE = "datetime64[ns, UTC]"
HASH_HEX = 12  # 48 bits: collisions stay unlikely (< 1e-4) below ~100,000 members


def default_salt_path() -> Path:
    """``~/.config/commsim/salt`` (``$XDG_CONFIG_HOME`` is respected when set)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "commsim" / "salt"


def load_salt(path: str | os.PathLike[str] | None = None) -> str:
    """Return the salt used to hash member ids, creating it on first use.

    The order is: the file ``path`` when given, else the ``COMMSIM_SALT`` environment variable
    (the salt itself), else the file ``~/.config/commsim/salt``. A missing file is created with 32
    random hex characters, readable by its owner only.

    Args:
        path: A salt file to read (or create) instead of the environment and the default file.

    Returns:
        The salt, stripped of surrounding whitespace.

    Raises:
        UserError: The salt file or ``COMMSIM_SALT`` is empty, or the file cannot be read/created.
    """
    if path is None:
        env = os.environ.get(SALT_ENV)
        if env is not None:
            if not env.strip():
                raise UserError(f"environment variable {SALT_ENV} is set but empty; "
                                "expected the salt (any non-empty text) or leave it unset")
            return env.strip()
    file = Path(path) if path is not None else default_salt_path()
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two imports starting at once must not write two different salts.
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise UserError(f"salt file {file}: cannot create it ({exc.strerror}); "
                        f"expected a writable place or set {SALT_ENV}") from exc
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(16) + "\n")
    try:
        salt = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"salt file {file}: cannot read it ({exc}); expected a text file") from exc
    if not salt:
        raise UserError(f"salt file {file} is empty; expected the salt (any non-empty text) "
                        "or delete the file to have a new one made")
    return salt


def hash_member(salt: str, member_id: str) -> str:
    """First :data:`HASH_HEX` hex digits of sha256(salt + id)."""
    return hashlib.sha256((salt + member_id).encode("utf-8")).hexdigest()[:HASH_HEX]


class Hasher:
    """Hash member ids with one salt, caching each id (exports repeat the same few ids)."""

    def __init__(self, salt: str) -> None:
        self._salt = salt
        self._seen: dict[str, str] = {}

    def __call__(self, member_id: str) -> str:
        """The salted hash of ``member_id``."""
        out = self._seen.get(member_id)
        if out is None:
            out = self._seen[member_id] = hash_member(self._salt, member_id)
        return out


def iso_times(values: list[str], path: Path, where: Callable[[int], str],
              expected: str = "an ISO 8601 date-time") -> pd.DatetimeIndex:
    """Parse ISO 8601 strings to UTC at once (a time without a zone is taken as UTC).

    Raises:
        UserError: naming the first value that is not a date-time, and where it is.
    """
    # A time without a zone is marked UTC first: pandas (2.3) otherwise gives it the offset of an
    # earlier value with one (09:00 after a +02:00 row became 07:00 UTC).
    text = pd.Series(values, dtype=object).astype(str).str.strip()
    naive = ~text.str.contains(r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$", regex=True) & \
        text.str.contains(r"\d[T ]\d", regex=True)
    text = text.where(~naive, text + "+00:00")
    times = pd.to_datetime(pd.Index(text, dtype=object), utc=True, format="ISO8601",
                           errors="coerce")
    bad = np.flatnonzero(times.isna())
    if bad.size:
        more = f" ({bad.size - 1} more such values)" if bad.size > 1 else ""
        expect(False, path, where(int(bad[0])), values[bad[0]], expected + more)
    return times.as_unit("ns")


def frame(time: pd.DatetimeIndex | pd.Series, groups: list[str], members: list[str],
          events: list[str], source: Path) -> pd.DataFrame:
    """Build the event table from parallel columns: sorted, typed, and holding messages.

    Raises:
        UserError: The export holds no message at all.
    """
    df = pd.DataFrame({"time": pd.Series(time).astype(TIME_DTYPE).reset_index(drop=True),
                       "group": pd.Series(groups, dtype=str),
                       "member": pd.Series(members, dtype=str),
                       "event": pd.Series(events, dtype=str)})
    return finish(df, source)


def finish(df: pd.DataFrame, source: Path | str) -> pd.DataFrame:
    """Sort by time (stable), type the columns and refuse a table without messages."""
    n_messages = int((df["event"] == "message").sum())
    if n_messages == 0:
        others = f" (only {len(df)} join/leave events)" if len(df) else ""
        raise UserError(f"{source}: the export contains no messages{others}; "
                        "expected at least one message")
    df = df.sort_values("time", kind="stable").reset_index(drop=True)
    df["time"] = df["time"].astype(TIME_DTYPE)
    for col in ("group", "member", "event"):
        df[col] = df[col].astype(str)
    return df[list(COLUMNS)]


def load_json(path: Path) -> object:
    """Parse a JSON file, turning a truncated or damaged file into a clear UserError."""
    try:
        with path.open(encoding="utf-8-sig") as f:
            return json.load(f)
    except json.JSONDecodeError as exc:
        # A string cut off always runs to the end of the file (a raw newline fails earlier).
        at_end = exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "is truncated (it ends in the middle of the JSON)" if at_end else "is damaged"
        raise UserError(f"{path} {what}: invalid JSON at line {exc.lineno} column {exc.colno} "
                        f"({exc.msg}); expected a complete JSON export, export it again") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text at byte {exc.start}; expected a JSON export"
                        ) from exc
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror})") from exc


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a byte order mark is dropped)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text at byte {exc.start}; "
                        "expected a UTF-8 text export") from exc
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror})") from exc


def head(path: Path, size: int = 65536) -> str:
    """The first ``size`` bytes of a file as text (bad bytes replaced), for format detection."""
    try:
        with path.open("rb") as f:
            data = f.read(size)
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror})") from exc
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def expect(cond: bool, path: Path, where: str, value: object, expected: str) -> None:
    """Raise a UserError naming the file, the place, the value and what was expected."""
    if not cond:
        shown = repr(value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise UserError(f"{path}: {where}: got {shown}; expected {expected}")


def unique_names(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Map each (name, id) to a group name: the name, or "name (id)" when names clash."""
    ids_by_name: dict[str, set[str]] = {}
    for name, ident in pairs:
        ids_by_name.setdefault(name, set()).add(ident)
    return {ident: (name if len(ids_by_name[name]) == 1 else f"{name} ({ident})")
            for name, ident in pairs}
