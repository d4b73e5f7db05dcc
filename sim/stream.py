"""Parquet tables too large to hold in memory: merged and read chunk by chunk.

A sweep's daily table has one row per run and day (30,000 runs of 180 days: 5.4 million rows,
about 1 GB in memory); merging its chunk files in memory, or loading it whole for a report, needs
memory that grows with the number of runs. Here the chunk files are merged one slice at a time
into row groups of a fixed size, and read back one row group at a time, so memory stays bounded
by a chunk and a row group (docs/performance.md, "Memory").

The merged file is byte for byte the one ``pandas.concat(...).sort_values(...).to_parquet(...)``
writes: the same pandas types, the same schema and metadata, and row groups of pyarrow's default
size, each written from one contiguous table (tests/test_stream.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

ROW_GROUP = 1024 * 1024  # rows per row group: pyarrow's default, what pandas' to_parquet writes


def merge_sorted(parts: Sequence[tuple[Path, Sequence[Sequence[int]]]], out: Path,
                 keys: Sequence[str], row_group: int = ROW_GROUP,
                 progress: Callable[[int], None] | None = None) -> int:
    """Merge chunk files into one Parquet file sorted by ``keys``, holding one chunk at a time.

    Args:
        parts: each chunk's file and the half-open ranges ``[lo, hi)`` of the first key it holds
            (as the manifest records them); ranges of different chunks do not overlap.
        out: the file to write.
        keys: the sort keys, the first being the one the ranges are of (``run_id``); together
            they are unique, so the order is the same as a stable sort of all rows.
        row_group: rows per row group.
        progress: called with 1 after each slice is written.

    Returns:
        The number of rows written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    segments = sorted((int(lo), int(hi), i) for i, (_, ranges) in enumerate(parts)
                      for lo, hi in ranges)
    loaded: tuple[int, pd.DataFrame, np.ndarray] | None = None
    buffer: list[pd.DataFrame] = []
    buffered = written = 0
    writer = None

    def flush(frame: pd.DataFrame) -> None:
        nonlocal writer, written
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(out, table.schema, compression="snappy")
        elif not table.schema.equals(writer.schema, check_metadata=True):
            raise RuntimeError(f"{out}: the chunk files' columns differ ({table.schema} against "
                               f"{writer.schema})")
        writer.write_table(table, row_group_size=row_group)
        written += len(frame)

    try:
        for lo, hi, i in segments:
            if loaded is None or loaded[0] != i:
                frame = pd.read_parquet(parts[i][0])
                frame = frame.sort_values(list(keys), kind="stable").reset_index(drop=True)
                loaded = (i, frame, frame[keys[0]].to_numpy())
            _, frame, first = loaded
            a, b = np.searchsorted(first, [lo, hi], side="left")
            buffer.append(frame.iloc[a:b])
            buffered += int(b - a)
            while buffered >= row_group:
                whole = pd.concat(buffer, ignore_index=True)
                buffer.clear()
                flush(whole.iloc[:row_group])
                rest = whole.iloc[row_group:].reset_index(drop=True).copy()
                del whole  # the written rows go now, not at the next row group
                buffer, buffered = [rest], buffered - row_group
            if progress:
                progress(1)
        if buffered or writer is None:
            whole = (pd.concat(buffer, ignore_index=True) if buffer
                     else pd.read_parquet(parts[0][0]).iloc[:0] if parts else pd.DataFrame())
            flush(whole)
    finally:
        if writer is not None:
            writer.close()
    return written


def row_groups(files: Sequence[Path], columns: Sequence[str] | None = None,
               ) -> Iterator[pd.DataFrame]:
    """The rows of Parquet files, one row group at a time (only ``columns``, when given)."""
    import pyarrow.parquet as pq

    for path in files:
        with pq.ParquetFile(path) as source:
            for k in range(source.num_row_groups):
                yield source.read_row_group(k, columns=list(columns) if columns else None
                                            ).to_pandas()
