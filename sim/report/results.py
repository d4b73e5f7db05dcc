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
from sim.store import DAILY, MANIFEST, PARTS, RUNS

MAX_LISTED = 6  # missing cells named in a message before "and N more"


@dataclass
class Results:
    """The runs of a results folder, labelled by scenario and design point.

    Attributes:
        path: the folder.
        manifest: its manifest.json.
        runs: one row per run, with ``point`` (the design point's index) added.
        daily: run_id, day and the daily outcomes.
        missing: a sentence on the runs not there (empty when complete).
    """

    path: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    daily: pd.DataFrame
    missing: str = ""
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
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UserError(f"{path / MANIFEST}: unreadable manifest ({err})") from None
    if manifest.get("kind") == "optimize":  # written by commsim optimize (sim/decide/output.py)
        raise UserError(f"{path} holds a commsim optimize search, not a sweep: its page is "
                        f"{path / 'optimize.html'}; to compare its plans run: commsim sweep "
                        f"{path / 'plans' / 'plans.toml'}")
    if manifest.get("status") == "complete" and (path / RUNS).is_file() \
            and (path / DAILY).is_file():
        runs, daily = pd.read_parquet(path / RUNS), pd.read_parquet(path / DAILY)
        return Results(path, manifest, _with_points(runs, manifest), daily)
    runs, daily, chunks = _read_parts(path, manifest)
    missing = _missing(path, manifest, runs, chunks)
    if not partial:
        raise UserError(f"{missing}; resume the sweep with: {_resume_command(path, manifest)}; "
                        "or pass --partial to use the runs that are there")
    if runs.empty:
        raise UserError(f"{missing}: there is nothing to analyse yet")
    return Results(path, manifest, _with_points(runs, manifest), daily, missing=missing)


def _read_parts(path: Path, manifest: dict[str, Any]
                ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The chunks the manifest records and that are on disk (others may be half written), and
    how many there are."""
    runs, daily = [], []
    for chunk in manifest.get("chunks") or []:
        files = [path / PARTS / f"{kind}-{chunk['id']:05d}.parquet" for kind in ("runs", "daily")]
        if all(f.is_file() for f in files):
            runs.append(pd.read_parquet(files[0]))
            daily.append(pd.read_parquet(files[1]))
    if not runs:
        return (pd.DataFrame(columns=["run_id", "scenario"]),
                pd.DataFrame(columns=["run_id", "day"]), 0)
    return (pd.concat(runs, ignore_index=True).sort_values("run_id", kind="stable"),
            pd.concat(daily, ignore_index=True).sort_values(["run_id", "day"], kind="stable"),
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
    why = {"running": "status running: a sweep is writing it, or was killed",
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
