"""Open a results folder for analysis: its manifest, its runs and days, and where each run sits.

A complete folder has ``runs.parquet`` and ``daily.parquet``. An unfinished one (interrupted,
failed or still running) has only the chunks listed in its manifest under ``parts/``: those can be
read with ``partial=True``, and the error raised without it says what is there and what is not.
"""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError, closest
from sim.outcomes import RUN_COLUMNS
from sim.store import DAILY, MANIFEST, MARKER, PARTS, RUNS, SCHEMA_VERSION, file_digest

MAX_LISTED = 6  # missing cells named in a message before "and N more"


@dataclass
class Results:
    """The runs of a results folder, labelled by scenario and design point.

    Attributes:
        path: the folder.
        manifest: its manifest.json.
        runs: one row per run, with ``point`` (the design point's index) added.
        daily: run_id, day and the daily outcomes, when held in memory; None when they stay in
            ``daily_files`` (read a row group at a time: :mod:`sim.report.daily`).
        missing: a sentence on the runs not there (empty when complete).
        daily_files: the Parquet files of the daily outcomes (when ``daily`` is None).
    """

    path: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    daily: pd.DataFrame | None
    missing: str = ""
    daily_files: list[Path] = field(default_factory=list)
    _experiment: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._experiment = self.manifest.get("experiment") or {}

    @property
    def experiment(self) -> dict[str, Any]:
        """The resolved experiment recorded in the manifest."""
        return self._experiment

    @property
    def scenarios(self) -> list[str]:
        """Scenario names in experiment order."""
        return list(self.experiment.get("scenarios") or sorted(self.runs["scenario"].unique()))

    @property
    def baseline(self) -> str:
        """The experiment's baseline scenario."""
        return self.experiment.get("baseline") or self.scenarios[0]

    @property
    def varied(self) -> list[str]:
        """The varied parameters (columns of ``runs``), in file order."""
        return [k for k in (self.experiment.get("vary") or {}) if k in self.runs]

    @property
    def sampled(self) -> list[str]:
        """Varied parameters given as ranges (sampled), not lists of levels."""
        vary = self.experiment.get("vary") or {}
        return [k for k in self.varied if isinstance(vary[k], dict)]

    @property
    def points(self) -> list[dict[str, Any]]:
        """The design points, in order."""
        return list(self.experiment.get("points") or [{}])

    @property
    def days(self) -> int:
        """Run length in days."""
        return int(self.experiment.get("days") or self.runs["days"].max())

    @property
    def complete(self) -> bool:
        """Are all the runs of the experiment here?"""
        return not self.missing

    def point_label(self, index: int) -> str:
        """``entry_fee=99, shills=2`` for design point ``index`` ('' without a design)."""
        point = self.points[index] if index < len(self.points) else {}
        return ", ".join(f"{k}={fmt_value(v)}" for k, v in point.items())

    def cell_label(self, scenario: str, index: int) -> str:
        """``daily_digest, entry_fee=99``: a scenario at a design point."""
        label = self.point_label(index)
        return f"{scenario}, {label}" if label else scenario


def fmt_value(value: Any) -> str:
    """A parameter value, short: 99.0 -> 99, 0.123456 -> 0.1235, True -> true."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.0f}" if value == round(value) else f"{value:.4g}"
    return str(value)


def open_results(path: str | Path, partial: bool = False) -> Results:
    """Read a results folder.

    Args:
        path: the folder written by ``commsim sweep`` or ``commsim run``.
        partial: accept an unfinished sweep and read the chunks it finished.

    Raises:
        UserError: no such folder, not a results folder, an unreadable manifest, or an unfinished
            sweep without ``partial`` (the message says what is there and what is missing).
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: no such results folder (make one with: commsim sweep "
                        "EXPERIMENT --out FOLDER)")
    if not path.is_dir():
        raise UserError(f"{path} is a file, not a results folder")
    if not (path / MANIFEST).is_file():
        raise UserError(f"{path} is not a commsim results folder: it has no {MANIFEST}")
    manifest = _manifest(path)
    if manifest.get("status") == "complete" and (path / RUNS).is_file() \
            and (path / DAILY).is_file():
        _check_digests(path, manifest)
        runs = _table(path / RUNS, RUN_KEYS)  # the daily table stays on disk: it can be large
        daily = [path / DAILY]
        _check_tables(path, manifest, runs, _daily_keys(daily), complete=True)
        return Results(path, manifest, _with_points(runs, manifest), None, daily_files=daily)
    runs, daily, chunks = _read_parts(path, manifest)
    _check_tables(path, manifest, runs, _daily_keys(daily), complete=False)
    missing = _missing(path, manifest, runs, chunks)
    if not partial:
        raise UserError(f"{missing}; resume the sweep with: {_resume_command(path, manifest)}; "
                        "or pass --partial to use the runs that are there")
    if runs.empty:
        raise UserError(f"{missing}: there is nothing to analyse yet")
    return Results(path, manifest, _with_points(runs, manifest), None, missing=missing,
                   daily_files=daily)


RUN_KEYS = ("run_id", "scenario", "replicate", "seed")
DAILY_KEYS = ("run_id", "day")


def _manifest(path: Path) -> dict[str, Any]:
    """The manifest of a results folder, checked for what the analysis reads from it."""
    file = path / MANIFEST
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UserError(f"{file}: unreadable manifest ({err})") from None
    if not isinstance(manifest, dict):
        raise UserError(f"{file}: expected a JSON object as commsim writes it, found a "
                        f"{type(manifest).__name__}: {path} is not a commsim results folder")
    if manifest.get("kind") == "optimize":  # written by commsim optimize (sim/decide/output.py)
        raise UserError(f"{path} holds a commsim optimize search, not a sweep: its page is "
                        f"{path / 'optimize.html'}; to compare its plans run: commsim sweep "
                        f"{path / 'plans' / 'plans.toml'}")
    if not isinstance(manifest.get(MARKER), int):
        raise UserError(f"{path} is not a commsim results folder: its {MANIFEST} has no "
                        f"'{MARKER}' key (made by another program, or by a commsim older than "
                        f"this check: if commsim made it, add \"{MARKER}\": {SCHEMA_VERSION} to "
                        "its manifest)")
    if manifest[MARKER] > SCHEMA_VERSION:
        raise UserError(f"{path} has results schema {manifest[MARKER]}, newer than this "
                        f"commsim's {SCHEMA_VERSION}: update commsim to read it")
    experiment = manifest.get("experiment")
    problem = None
    if not isinstance(experiment, dict):
        problem = "'experiment' is not a table"
    elif not isinstance(experiment.get("scenarios"), list) or not experiment["scenarios"] \
            or not all(isinstance(x, str) for x in experiment["scenarios"]):
        problem = "'experiment.scenarios' is not a list of scenario names"
    elif not isinstance(experiment.get("points", [{}]), list) \
            or not all(isinstance(x, dict) for x in experiment.get("points") or [{}]):
        problem = "'experiment.points' is not a list of design points"
    elif not isinstance(experiment.get("replicates", 1), int) \
            or isinstance(experiment.get("replicates", 1), bool) \
            or experiment.get("replicates", 1) < 1:
        problem = "'experiment.replicates' is not a whole number of at least 1"
    elif not isinstance(experiment.get("vary") or {}, dict):
        problem = "'experiment.vary' is not a table"
    elif not isinstance(manifest.get("chunks") or [], list):
        problem = "'chunks' is not a list"
    elif manifest.get("n_runs") is not None and (
            not isinstance(manifest["n_runs"], int) or manifest["n_runs"] != _expected(experiment)):
        problem = (f"'n_runs' = {manifest['n_runs']!r} but its experiment has "
                   f"{_expected(experiment)} runs")
    if problem:
        raise UserError(f"{file}: {problem}: the manifest was edited or damaged; make the "
                        "results again (commsim sweep ... --force)")
    return manifest


def _expected(experiment: dict[str, Any]) -> int:
    return (len(experiment.get("scenarios") or []) * len(experiment.get("points") or [{}])
            * int(experiment.get("replicates") or 1))


def _table(file: Path, keys: tuple[str, ...]) -> pd.DataFrame:
    """A Parquet table of a results folder, with the key columns an analysis needs."""
    import pyarrow as pa

    try:
        table = pd.read_parquet(file)
    except (OSError, ValueError, pa.ArrowException) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UserError(f"{file}: not a readable Parquet table ({first}); the folder is damaged "
                        "(truncated or overwritten): make the results again") from None
    missing = [k for k in keys if k not in table]
    if missing:
        raise UserError(f"{file}: no column {', '.join(map(repr, missing))}: it is not a table "
                        "commsim wrote; make the results again")
    for key in keys:
        if key != "scenario" and not pd.api.types.is_integer_dtype(table[key]):
            raise UserError(f"{file}: column '{key}' holds {table[key].dtype}, not whole numbers: "
                            "it is not a table commsim wrote; make the results again")
    return table


@dataclass(frozen=True)
class DailyKeys:
    """What the checks need of the daily tables, read without holding them in memory."""

    rows: int
    first_day: int
    last_day: int
    run_ids: np.ndarray


def _daily_keys(files: list[Path]) -> DailyKeys:
    """Rows, first and last day and the run ids of daily Parquet files, read one batch of the
    two key columns at a time (the tables themselves can be larger than memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows, first, last, ids = 0, 0, -1, []
    for file in files:
        try:
            reader = pq.ParquetFile(file)
            missing = [k for k in DAILY_KEYS if k not in reader.schema_arrow.names]
            if missing:
                raise UserError(f"{file}: no column {', '.join(map(repr, missing))}: it is not a "
                                "table commsim wrote; make the results again")
            for batch in reader.iter_batches(columns=list(DAILY_KEYS)):
                day = batch.column("day").to_numpy(zero_copy_only=False)
                run = batch.column("run_id").to_numpy(zero_copy_only=False)
                if not (np.issubdtype(day.dtype, np.integer)
                        and np.issubdtype(run.dtype, np.integer)):
                    raise UserError(f"{file}: columns run_id and day are not whole numbers: it "
                                    "is not a table commsim wrote; make the results again")
                if len(day):
                    first = min(first, int(day.min())) if rows else int(day.min())
                    last = max(last, int(day.max()))
                    ids.append(np.unique(run))
                rows += len(day)
        except (OSError, ValueError, pa.ArrowException) as err:
            head = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise UserError(f"{file}: not a readable Parquet table ({head}); the folder is "
                            "damaged (truncated or overwritten): make the results again") from None
    run_ids = np.unique(np.concatenate(ids)) if ids else np.empty(0, dtype=np.int64)
    return DailyKeys(rows, first, last, run_ids)


def _check_tables(path: Path, manifest: dict[str, Any], runs: pd.DataFrame,
                  daily: DailyKeys, complete: bool) -> None:
    """Runs and days that belong to the manifest's experiment (not another's, not edited)."""
    experiment = manifest["experiment"]
    n_runs = _expected(experiment)
    where = f"{path}: {RUNS if complete else PARTS + '/'}"
    if len(runs):
        ids = runs["run_id"].to_numpy(dtype=np.int64)
        if ids.min() < 0 or ids.max() >= n_runs or len(np.unique(ids)) != len(ids):
            raise UserError(f"{where} holds run ids outside 0 to {n_runs - 1} or twice: its "
                            f"runs do not match {MANIFEST} (files from different sweeps?); make "
                            "the results again")
        unknown = sorted(set(runs["scenario"].astype(str)) - set(experiment["scenarios"]))
        if unknown:
            raise UserError(f"{where} holds scenario(s) {', '.join(unknown)} that {MANIFEST} "
                            f"does not list ({', '.join(experiment['scenarios'])}): files from "
                            "different sweeps?; make the results again")
    if len(runs):
        _check_layout(path, where, experiment, runs)
    if complete and len(runs) != n_runs:
        raise UserError(f"{where} holds {len(runs)} runs but {MANIFEST} says {n_runs}: files "
                        "from different sweeps, or cut short; make the results again")
    days = experiment.get("days")
    if isinstance(days, int) and daily.rows and (
            daily.first_day < 0 or daily.last_day >= days
            or (complete and daily.rows != n_runs * days)):
        raise UserError(f"{path}: {DAILY if complete else PARTS + '/'} does not hold {days} days "
                        f"of every run as {MANIFEST} says (days {daily.first_day} to "
                        f"{daily.last_day}, {daily.rows} rows): files from different sweeps?; "
                        "make the results again")
    if daily.rows and not set(daily.run_ids.tolist()) <= set(
            runs["run_id"].to_numpy().tolist()):
        raise UserError(f"{path}: {DAILY if complete else PARTS + '/'} holds runs that "
                        f"{RUNS} does not: files from different sweeps?; make the results again")


def _check_digests(path: Path, manifest: dict[str, Any]) -> None:
    """The merged tables are the files the sweep wrote (when the manifest records them)."""
    recorded = manifest.get("files")
    if not isinstance(recorded, dict):
        return  # a folder made before the digests were recorded
    for name in (RUNS, DAILY):
        if name in recorded and recorded[name] != file_digest(path / name):
            raise UserError(f"{path / name} is not the file this sweep wrote (its sha256 differs "
                            f"from the one in {MANIFEST}): edited, or taken from another sweep; "
                            "make the results again")


def _check_layout(path: Path, where: str, experiment: dict[str, Any], runs: pd.DataFrame
                  ) -> None:
    """Each run where its id puts it: scenario, replicate, seed and design point."""
    from sim.experiments import replicate_seed

    scenarios, n_points, reps = experiment["scenarios"], len(experiment.get("points") or [{}]), \
        int(experiment.get("replicates") or 1)
    ids = runs["run_id"].to_numpy(dtype=np.int64)
    replicate = ids % reps
    point = (ids // reps) % n_points
    wrong = []
    if not (runs["scenario"].astype(str).to_numpy()
            == np.array(scenarios, dtype=object)[ids // (reps * n_points)]).all():
        wrong.append("scenario")
    if not (runs["replicate"].to_numpy(dtype=np.int64) == replicate).all():
        wrong.append("replicate")
    days = experiment.get("days")
    if "days" in runs and isinstance(days, int) and not (runs["days"] == days).all():
        wrong.append("days")
    seed = experiment.get("seed")
    if isinstance(seed, int) and not isinstance(seed, bool):
        seeds = np.array([replicate_seed(seed, r) for r in range(reps)], dtype=np.int64)
        if not (runs["seed"].to_numpy(dtype=np.int64) == seeds[replicate]).all():
            wrong.append("seed")
    points = experiment.get("points") or [{}]
    for key in experiment.get("vary") or {}:
        if key not in runs:
            wrong.append(key)
            continue
        expected = [p.get(key) for p in points]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in expected):
            want = np.array(expected, dtype=np.float64)[point]
            if not np.allclose(runs[key].to_numpy(dtype=np.float64), want, rtol=1e-12,
                               atol=0, equal_nan=True):
                wrong.append(key)
    if wrong:
        raise UserError(f"{where} does not match {MANIFEST}: the runs' {', '.join(wrong)} are "
                        "not those of its experiment (files from different sweeps, or edited); "
                        "make the results again")


def _read_parts(path: Path, manifest: dict[str, Any]
                ) -> tuple[pd.DataFrame, list[Path], int]:
    """The runs of the chunks the manifest records and that are on disk (others may be half
    written), their daily files, and how many there are."""
    runs, daily = [], []
    for chunk in manifest.get("chunks") or []:
        files = [path / PARTS / f"{kind}-{chunk['id']:05d}.parquet" for kind in ("runs", "daily")]
        if all(f.is_file() for f in files):
            runs.append(_table(files[0], RUN_KEYS))
            daily.append(files[1])
    if not runs:
        return pd.DataFrame(columns=["run_id", "scenario"]), [], 0
    return (pd.concat(runs, ignore_index=True).sort_values("run_id", kind="stable"), daily,
            len(runs))


def _layout(manifest: dict[str, Any]) -> tuple[list[str], int, int]:
    """(scenarios, design points, replicates): run ids are ((s * points) + p) * reps + r."""
    experiment = manifest.get("experiment") or {}
    return (list(experiment.get("scenarios") or []), len(experiment.get("points") or [{}]),
            int(experiment.get("replicates") or 1))


def _with_points(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    _, n_points, reps = _layout(manifest)
    runs = runs.reset_index(drop=True)
    runs["point"] = (runs["run_id"].to_numpy(dtype=np.int64) // reps) % n_points
    return runs


def _missing(path: Path, manifest: dict[str, Any], runs: pd.DataFrame, chunks: int) -> str:
    """'<path> is an unfinished sweep (...): 36 of 120 runs are there; missing: ...'."""
    scenarios, n_points, reps = _layout(manifest)
    n_runs = int(manifest.get("n_runs") or len(scenarios) * n_points * reps)
    have = set(runs["run_id"].astype(int)) if len(runs) else set()
    gone = np.array(sorted(set(range(n_runs)) - have), dtype=np.int64)
    status = manifest.get("status") or "unknown"
    from sim.store import FolderLock

    writer = FolderLock.holder(path)
    running = (f"being written now by process {writer.get('pid')} on {writer.get('host')}"
               if writer else "status running, but no commsim is writing it: killed")
    why = {"running": running,
           "interrupted": "interrupted", "failed": "failed"}.get(status, f"status {status}")
    if status == "complete":
        why = f"its manifest says complete but {RUNS} or {DAILY} is missing"
    head = (f"{path} is an unfinished sweep ({why}): {len(have)} of {n_runs} runs are there "
            f"in {chunks} finished chunk(s) under {PARTS}/")
    if not gone.size:
        return head
    experiment = manifest.get("experiment") or {}
    points = experiment.get("points") or [{}]
    cells: dict[tuple[int, int], int] = {}
    for run_id in gone:
        key = (int(run_id // (reps * n_points)), int(run_id // reps % n_points))
        cells[key] = cells.get(key, 0) + 1
    parts = []
    for (s, p), count in list(cells.items())[:MAX_LISTED]:
        name = scenarios[s] if s < len(scenarios) else f"scenario {s}"
        label = ", ".join(f"{k}={fmt_value(v)}" for k, v in points[p].items())
        parts.append(f"{name}{', ' + label if label else ''} ({count} of {reps} replicates)")
    more = len(cells) - MAX_LISTED
    return f"{head}; missing: {'; '.join(parts)}{f'; and {more} more settings' if more > 0 else ''}"


def _resume_command(path: Path, manifest: dict[str, Any]) -> str:
    experiment = manifest.get("experiment") or {}
    source = experiment.get("path") or experiment.get("name") or "EXPERIMENT"
    return shlex.join(["commsim", "sweep", str(source), "--out", str(path), "--resume"])


def known_outcomes() -> list[str]:
    """Per-run outcomes a comparison can use (every summarised column but the run length)."""
    return [c for c in RUN_COLUMNS if c != "days"]


def check_outcomes(results: Results, names: list[str]) -> list[str]:
    """``names`` if each is a per-run outcome stored in ``results``.

    Raises:
        UserError: an unknown outcome (with the known ones), or one this folder did not keep.
    """
    known = known_outcomes()
    for name in names:
        if name not in known:
            raise UserError(f"--outcome {name}: unknown outcome{closest(name, known)}; known "
                            f"outcomes: {', '.join(known)}")
        if name not in results.runs:
            kept = [c for c in known if c in results.runs]
            raise UserError(f"--outcome {name}: not kept in {results.path} (its experiment "
                            f"keeps only: {', '.join(kept)})")
    return list(names)
