"""The results folder of a run or a sweep, written chunk by chunk so that nothing finished is lost.

    <out>/manifest.json        what made the results: command, experiment, parameters, versions,
                               seed, times, status (running / complete / interrupted), chunks
    <out>/parts/runs-00003.parquet, daily-00003.parquet
                               one pair per finished chunk, written to a temporary file and
                               renamed (atomic), then recorded in the manifest
    <out>/runs.parquet         one row per run: run_id, scenario, varied parameters, replicate,
                               seed and the per-run outcomes (merged at the end, by run_id)
    <out>/daily.parquet        run_id, day and the daily outcome columns (by run_id, day)
    <out>/members.parquet, groups.parquet
                               only when recorded (``--record members,groups``, sim/records.py):
                               written per chunk like the others, merged by run_id

A chunk counts as finished only once the manifest lists it, so a sweep killed at any moment
resumes from the manifest; the final files do not depend on the workers or interruptions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

import sim
from sim.errors import UserError
from sim.executors import ChunkResult
from sim.experiments import Experiment, RunSpec, jsonable
from sim.params import toml_value

MANIFEST = "manifest.json"
RUNS = "runs.parquet"
DAILY = "daily.parquet"
PARTS = "parts"
LABELS = ("run_id", "scenario", "replicate", "seed")  # before the varied parameters' columns


def utc_now() -> str:
    """The time now in UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_out(name: str, root: Path | None = None) -> Path:
    """``results/<name>-<UTC timestamp>`` under the current folder (a suffix if it exists)."""
    root = Path(root or Path.cwd() / "results")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = root / f"{name}-{stamp}"
    k = 2
    while path.exists():
        path, k = root / f"{name}-{stamp}-{k}", k + 1
    return path


def git_commit(cwd: Path | None = None) -> str | None:
    """The commit checked out in ``cwd`` (with "-dirty" for local changes), or None."""
    try:
        def git(*args: str) -> str:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                  timeout=10, check=True).stdout.strip()
        commit = git("rev-parse", "HEAD")
        return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.SubprocessError):
        return None


def versions() -> dict[str, str | None]:
    """Versions of Python and the libraries that decide the numbers."""
    found: dict[str, str | None] = {"commsim": sim.__version__,
                                    "python": platform.python_version()}
    for package in ("numpy", "pandas", "pyarrow", "scipy", "mesa", "pydantic"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write strict JSON atomically (a temporary file renamed over the old one)."""
    text = json.dumps(jsonable(data), indent=2, allow_nan=False) + "\n"
    _write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def labels_table(specs: list[RunSpec], varied: list[str]) -> pd.DataFrame:
    """run_id, scenario, the varied parameters, replicate and seed of every run, by run_id."""
    rows = [{"run_id": s.run_id, "scenario": s.scenario, **{k: s.point[k] for k in varied},
             "replicate": s.replicate, "seed": s.seed} for s in specs]
    columns = ["run_id", "scenario", *varied, "replicate", "seed"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"run_id": "int64", "replicate": "int64", "seed": "int64"})


class ResultStore:
    """One results folder: its manifest, its chunk files and the merged tables."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = Path(path)
        self.manifest = manifest

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, experiment: Experiment, command: list[str],
               force: bool = False) -> ResultStore:
        """A new results folder; an existing one is replaced only with ``force``.

        Raises:
            UserError: the folder exists (without ``force``), or ``force`` would delete a folder
                that is not a commsim results folder.
        """
        path = Path(path)
        if path.exists():
            if not force:
                raise UserError(f"{path} already exists: use --resume to finish it, --force to "
                                "replace it, or another --out")
            if not path.is_dir() or (any(path.iterdir()) and not (path / MANIFEST).is_file()):
                raise UserError(f"{path} is not a commsim results folder (no {MANIFEST}); "
                                "--force replaces only results folders: choose another --out")
            shutil.rmtree(path)
        (path / PARTS).mkdir(parents=True)
        manifest = {
            "command": command, "status": "running", "started": utc_now(), "finished": None,
            "experiment": experiment.to_dict(), "fingerprint": experiment.fingerprint(),
            "scenarios": {s.name: s.to_dict() for s in experiment.scenarios},
            "seed": experiment.seed, "n_runs": experiment.n_runs,
            "version": sim.__version__, "git_commit": git_commit(), "versions": versions(),
            "chunks": [], "resumed": [],
        }
        store = cls(path, manifest)
        store.save_manifest()
        return store

    @property
    def complete(self) -> bool:
        """Are the merged tables written?"""
        return self.manifest.get("status") == "complete" and (self.path / RUNS).is_file()

    @classmethod
    def resume(cls, path: Path, experiment: Experiment, command: list[str]) -> ResultStore:
        """An existing results folder of the same experiment, ready to take the missing chunks.

        Raises:
            UserError: no such folder or manifest, another experiment (its hash differs), or
                another version of commsim.
        """
        path = Path(path)
        if not (path / MANIFEST).is_file():
            raise UserError(f"{path}: nothing to resume (no {MANIFEST}); run without --resume")
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise UserError(f"{path / MANIFEST}: unreadable manifest ({err}); use --force to "
                            "start again") from None
        if manifest.get("version") != sim.__version__:
            raise UserError(f"{path} was made by commsim {manifest.get('version')} and this is "
                            f"{sim.__version__}: its runs would not be comparable; use --force "
                            "to start again or another --out")
        if manifest.get("fingerprint") != experiment.fingerprint():
            raise UserError(f"{path} holds another experiment: {_difference(manifest, experiment)}"
                            "; resume it with the same experiment file, or use --force to start "
                            "again or another --out")
        store = cls(path, manifest)
        if store.complete:
            return store  # nothing left to do
        store.forget_unrecorded()
        manifest["status"] = "running"
        manifest["resumed"].append({"command": command, "at": utc_now()})
        store.save_manifest()
        return store

    # -- chunks -----------------------------------------------------------------------------------

    def part(self, kind: str, chunk_id: int) -> Path:
        """The file of one chunk's ``runs`` or ``daily`` table."""
        return self.path / PARTS / f"{kind}-{chunk_id:05d}.parquet"

    def forget_unrecorded(self) -> None:
        """Drop chunks that are not both recorded and on disk (killed while being saved)."""
        kinds = ("runs", "daily", *self.records)
        kept = [c for c in self.manifest["chunks"]
                if all(self.part(k, c["id"]).is_file() for k in kinds)]
        self.manifest["chunks"] = kept
        recorded = {self.part(k, c["id"]).name for c in kept for k in kinds}
        for file in (self.path / PARTS).glob("*"):
            if file.name not in recorded:
                file.unlink()

    def done_run_ids(self) -> set[int]:
        """Runs whose chunk is saved and recorded."""
        return {i for c in self.manifest["chunks"] for lo, hi in c["run_ids"]
                for i in range(lo, hi)}

    def next_chunk_id(self) -> int:
        """A chunk number not used yet in this folder."""
        return max((c["id"] for c in self.manifest["chunks"]), default=-1) + 1

    def save_chunk(self, result: ChunkResult, labels: pd.DataFrame,
                   outcomes: list[str] | None) -> None:
        """Write a finished chunk (runs labelled, outcomes selected), then record it."""
        runs = labels.set_index("run_id").loc[result.runs["run_id"]].reset_index()
        kept = [c for c in result.runs.columns if c != "run_id"] if outcomes is None else outcomes
        runs = pd.concat([runs, result.runs[kept].reset_index(drop=True)], axis=1)
        _write_atomic(self.part("daily", result.chunk_id),
                      lambda tmp: result.daily.to_parquet(tmp, index=False))
        for name, table in (result.records or {}).items():
            _write_atomic(self.part(name, result.chunk_id),
                          lambda tmp, t=table: t.to_parquet(tmp, index=False))
        _write_atomic(self.part("runs", result.chunk_id),
                      lambda tmp: runs.to_parquet(tmp, index=False))
        self.manifest["chunks"].append({"id": result.chunk_id,
                                        "run_ids": _ranges(result.runs["run_id"]),
                                        "seconds": round(result.seconds, 3),
                                        "finished": utc_now()})
        self.save_manifest()

    # -- the end ----------------------------------------------------------------------------------

    def finish(self) -> None:
        """Merge the chunks into runs.parquet and daily.parquet (sorted), mark complete."""
        chunks = sorted(c["id"] for c in self.manifest["chunks"])
        for kind, name, keys in (("runs", RUNS, ["run_id"]), ("daily", DAILY, ["run_id", "day"])):
            table = pd.concat([pd.read_parquet(self.part(kind, c)) for c in chunks],
                              ignore_index=True)
            table = table.sort_values(keys, kind="stable").reset_index(drop=True)
            if kind == "runs" and list(table["run_id"]) != list(range(self.manifest["n_runs"])):
                raise RuntimeError(f"{self.path}: the chunks do not hold every run once")
            _write_atomic(self.path / name, lambda tmp, t=table: t.to_parquet(tmp, index=False))
        for name in self.records:
            self._merge_record(name, chunks)
        self.mark("complete")
        shutil.rmtree(self.path / PARTS, ignore_errors=True)

    @property
    def records(self) -> tuple[str, ...]:
        """The opt-in tables this folder records (sim/records.py), from its experiment."""
        return tuple((self.manifest.get("experiment") or {}).get("record") or ())

    def _merge_record(self, name: str, chunks: list[int]) -> None:
        # Arrow tables, lighter than pandas for the larger tables, sorted by their keys.
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.concat_tables([pq.read_table(self.part(name, c)) for c in chunks])
        keys = ["run_id", "group", "day"] if name == "groups" else ["run_id", "group",
                                                                    "joined_day", "member"]
        table = table.sort_by([(k, "ascending") for k in keys])
        _write_atomic(self.path / f"{name}.parquet", lambda tmp: pq.write_table(table, tmp))

    def mark(self, status: str) -> None:
        """Record the status (running, complete, interrupted, failed) and the time."""
        self.manifest["status"] = status
        self.manifest["finished"] = utc_now() if status != "running" else None
        self.save_manifest()

    def save_manifest(self) -> None:
        """Write manifest.json atomically."""
        write_json(self.path / MANIFEST, self.manifest)


def _ranges(ids: pd.Series) -> list[list[int]]:
    """Sorted ids as half-open ranges [[lo, hi), ...] (compact in the manifest)."""
    out: list[list[int]] = []
    for i in sorted(int(x) for x in ids):
        if out and out[-1][1] == i:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1])
    return out


def _difference(manifest: dict[str, Any], experiment: Experiment) -> str:
    """What differs between the manifest's experiment and ``experiment``, in a few words."""
    old, new = manifest.get("experiment", {}), experiment.to_dict()
    for key in ("scenarios", "points", "replicates", "days", "seed", "outcomes"):
        if old.get(key) != new.get(key):
            return f"its {key} differ from the experiment given"
    old_params = {k: v.get("params") for k, v in manifest.get("scenarios", {}).items()}
    for s in experiment.scenarios:
        new_params = jsonable(s.params.model_dump())
        for key, value in new_params.items():
            if (old_params.get(s.name) or {}).get(key) != value:
                return (f"scenario '{s.name}' has {key} = {toml_value(value)} now but "
                        f"{(old_params.get(s.name) or {}).get(key)!r} in the folder")
    return "its fingerprint differs"


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a results folder."""
    return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))


def latest_unfinished(name: str, root: Path | None = None) -> Path | None:
    """The newest ``results/<name>-*`` folder whose sweep did not complete, if any."""
    root = Path(root or Path.cwd() / "results")
    found = []
    for folder in root.glob(f"{name}-*"):
        try:
            manifest = read_manifest(folder)
        except (OSError, ValueError):
            continue
        same = (manifest.get("experiment") or {}).get("name") == name
        if same and manifest.get("status") != "complete":
            found.append((manifest.get("started") or "", folder.name, folder))
    return max(found)[2] if found else None
