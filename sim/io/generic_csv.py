"""The generic CSV event log: a header ``time,group,member,event`` and one event per line.

The ``member`` values are read as they are here and hashed with the user's salt afterwards, like
every importer's (:func:`sim.io.privacy.protect`): a CSV may hold names or phone numbers, and
already-anonymous ids (such as ``shared/data/slack-haskell-jp``'s) lose nothing by it. Times are
ISO 8601; a time without a zone is taken as UTC. Extra columns are ignored, fields are stripped of
surrounding spaces, blank lines are skipped and rows need not be in time order (they are sorted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.io.common import COLUMNS, EVENTS, expect, frame, iso_times, open_binary

NAME = "csv"


def sniff(path: Path, text: str) -> bool:
    """A ``.csv`` or ``.csv.gz`` file, or a first line naming at least two of the four columns."""
    if path.suffix.lower() == ".csv" or path.name.lower().endswith(".csv.gz"):
        return True
    first = text.split("\n", 1)[0]
    if "," not in first:
        return False
    names = {name.strip().strip('"') for name in first.split(",")}
    return len(names & set(COLUMNS)) >= 2


def read(path: Path) -> pd.DataFrame:
    """Read a generic CSV event log (gzip-compressed too, e.g. ``events.csv.gz``).

    Raises:
        UserError: missing columns, a short row, an empty group or member, a time that is not a
            date-time, an unknown event, or no messages; each names the line and the value.
    """
    cols: tuple[list[str], ...] = ([], [], [], [])
    lines: list[int] = []
    try:
        with io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                raise UserError(f"{path}: the file is empty; expected the header line "
                                f"{','.join(COLUMNS)} and one event per line")
            names = [h.strip() for h in header]
            missing = [c for c in COLUMNS if c not in names]
            if missing:
                raise UserError(f"{path}: line 1: missing column(s) {', '.join(missing)} in the "
                                f"header {','.join(names)!r}; expected the columns "
                                f"{','.join(COLUMNS)}")
            where = [names.index(c) for c in COLUMNS]
            width = max(where) + 1
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue  # blank lines are harmless, e.g. a trailing one
                expect(len(row) >= width, path, f"line {reader.line_num}", ",".join(row),
                       f"{len(names)} fields like the header {','.join(names)}")
                for col, i in zip(cols, where, strict=True):
                    col.append(row[i].strip())
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise UserError(f"{path}: line {reader.line_num}: not readable as CSV ({exc}); "
                        "expected comma-separated text") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text at byte {exc.start}; expected a CSV file"
                        ) from exc
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise UserError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    times, groups, members, events = cols
    _check_values(path, groups, lines, "group", lambda s: s != "", "a non-empty group name")
    _check_values(path, members, lines, "member", lambda s: s != "", "a non-empty member id")
    _check_values(path, events, lines, "event", lambda s: s.isin(EVENTS),
                  "one of " + ", ".join(EVENTS))
    time = iso_times(times, path, lambda i: f"line {lines[i]}, column time",
                     "an ISO 8601 date-time such as 2020-01-31T12:00:00Z")
    return frame(time, groups, members, events, path)


def _check_values(path: Path, values: list[str], lines: list[int], column: str,
                  ok: Callable[[pd.Series], pd.Series], expected: str) -> None:
    """Raise for the first value failing the vectorized test ``ok`` (a Series -> bool Series)."""
    bad = np.flatnonzero(~np.asarray(ok(pd.Series(values, dtype=object)), dtype=bool))
    if bad.size:
        more = f" ({bad.size - 1} more such lines)" if bad.size > 1 else ""
        expect(False, path, f"line {lines[bad[0]]}, column {column}", values[bad[0]],
               expected + more)
