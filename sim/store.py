"""The results folder of a run or a sweep, written chunk by chunk so that nothing finished is lost.

    <out>/manifest.json        what made the results: command, experiment, parameters, versions,
                               seed, times, status (running / complete / interrupted), chunks
    <out>/parts/runs-00003.parquet, daily-00003.parquet
                               one pair per finished chunk, written to a temporary file and
                               renamed (atomic), then recorded in the manifest
    <out>/runs.parquet         one row per run: run_id, scenario, varied parameters, replicate,
                               seed and the per-run outcomes (merged at the end, by run_id)
    <out>/daily.parquet        run_id, day and the daily outcome columns (by run_id, day)
    <out>/.commsim.lock        while a sweep writes the folder: its process id and host

The manifest of a complete folder records the sha256 of runs.parquet and daily.parquet, so a
table edited or taken from another sweep is recognised when the folder is read.
    <out>/members.parquet, groups.parquet
                               only when recorded (``--record members,groups``, sim/records.py):
                               written per chunk like the others, merged by run_id

A chunk counts as finished only once the manifest lists it, so a sweep killed at any moment
resumes from the manifest; the final files do not depend on the workers or interruptions.

A folder is commsim's only when its manifest says so (the key ``commsim_results`` with the
schema version): ``--force`` replaces only such a folder (or an empty one), never a folder that
merely holds a file called manifest.json, and never through a symbolic link. One writer at a time:
the lock file is held with an operating-system lock for as long as a sweep writes, so a second
writer is refused at once and a crashed writer's lock is stale the moment its process is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path
from typing import Any

import pandas as pd

import sim
from sim.errors import UserError
from sim.executors import ChunkResult
from sim.experiments import Experiment, RunSpec, jsonable
from sim.params import toml_value
from sim.scenarios import check_name

MANIFEST = "manifest.json"
RUNS = "runs.parquet"
DAILY = "daily.parquet"
PARTS = "parts"
LOCK = ".commsim.lock"
LABELS = ("run_id", "scenario", "replicate", "seed")  # before the varied parameters' columns
MARKER = "commsim_results"  # manifest key that makes a folder commsim's; its value: the schema
SCHEMA_VERSION = 1  # of the results folder's layout and manifest


def utc_now() -> str:
    """The time now in UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_out(name: str, root: Path | None = None) -> Path:
    """``results/<name>-<UTC timestamp>`` under the current folder (a suffix if it exists)."""
    check_name(name, "the results folder's name")
    root = Path(root or Path.cwd() / "results")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = root / f"{name}-{stamp}"
    k = 2
    while path.exists():
        path, k = root / f"{name}-{stamp}-{k}", k + 1
    return path


def _source_root() -> Path:
    """The folder that holds the ``sim`` package (the repository root of a source checkout)."""
    return Path(sim.__file__).resolve().parent.parent


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _git_dir(root: Path) -> Path | None:
    """The git folder of ``root`` (a folder, or a worktree's ``.git`` file pointing to one)."""
    dot = root / ".git"
    if dot.is_dir():
        return dot
    text = _read(dot) if dot.is_file() else None
    if text and text.startswith("gitdir:"):
        found = Path(text.partition(":")[2].strip())
        return found if found.is_absolute() else (root / found).resolve()
    return None


def _commit_of_checkout(root: Path) -> str | None:
    """The commit of the checkout at ``root``, read from its files (git itself is never run)."""
    git = _git_dir(root)
    head = _read(git / "HEAD") if git else None
    if not head:
        return None
    if not head.startswith("ref:"):
        return head if re.fullmatch(r"[0-9a-f]{40}", head) else None
    ref = head.partition(":")[2].strip()
    common = _read(git / "commondir")
    places = [git] + ([(git / common).resolve()] if common else [])
    for place in places:
        commit = _read(place / ref)
        if commit and re.fullmatch(r"[0-9a-f]{40}", commit):
            return commit
        packed = _read(place / "packed-refs") or ""
        for line in packed.splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and re.fullmatch(r"[0-9a-f]{40}", sha):
                return sha
    return None


def commsim_commit() -> str | None:
    """The commit commsim itself was installed or checked out from, or None when unknown.

    Read from the files of the source checkout that holds the ``sim`` package, only when that
    checkout is commsim's (its pyproject.toml names it), else from the install record
    (``direct_url.json``, written by pip for an install from a git URL). Nothing is run, and the
    current folder plays no part: a repository the user stands in never runs its hooks here.
    """
    root = _source_root()
    project = _read(root / "pyproject.toml") or ""
    if re.search(r'(?m)^name\s*=\s*"commsim"', project):
        commit = _commit_of_checkout(root)
        if commit:
            return commit
    try:
        record = json.loads(distribution("commsim").read_text("direct_url.json") or "{}")
        commit = (record.get("vcs_info") or {}).get("commit_id")
        return str(commit) if commit else None
    except (PackageNotFoundError, ValueError, OSError, AttributeError):
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


def _alive(pid: int) -> bool:
    """Is process ``pid`` running on this machine?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def _holder(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _in_use(folder: Path, holder: dict[str, Any]) -> UserError:
    who = (f"process {holder.get('pid', '?')} on {holder.get('host', '?')}, since "
           f"{holder.get('started', '?')}")
    return UserError(f"{folder} is being written by another commsim ({who}): wait until it "
                     "ends, or use another --out")


class FolderLock:
    """The one-writer lock of a results folder: ``<folder>/.commsim.lock`` holds the process id,
    host and start time of the writer, and is held with ``flock`` while the writer lives.

    The operating system releases an ``flock`` when its process ends, however it ends, so a lock
    left by a crash is stale as soon as its process is gone and the next writer takes it over.
    Where ``flock`` is not available (some network file systems), the recorded process id decides:
    a lock of this host whose process is gone is stale.
    """

    def __init__(self, path: Path, fd: int, stale: dict[str, Any] | None) -> None:
        self.path, self._fd, self.stale = path, fd, stale

    @classmethod
    def acquire(cls, folder: Path) -> FolderLock:
        """Take the lock of ``folder`` (which exists) or raise at once.

        Raises:
            UserError: another live commsim holds it (naming its process and host), or the lock
                file cannot be made.
        """
        path = Path(folder) / LOCK
        for _ in range(5):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as err:
                raise UserError(f"{folder}: cannot make its lock file {LOCK} "
                                f"({err.strerror or err})") from None
            previous = _holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            if not cls._lock(fd, previous):
                os.close(fd)
                raise _in_use(Path(folder), previous)
            try:  # a writer that just finished may have removed the file we locked: try again
                same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
            except OSError:
                same = False
            if not same:
                os.close(fd)
                continue
            previous = _holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            me = {"pid": os.getpid(), "host": socket.gethostname(), "started": utc_now()}
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(me) + "\n").encode(), 0)
            return cls(path, fd, previous or None)
        raise UserError(f"{folder}: its lock file {LOCK} keeps changing: another commsim is "
                        "starting and ending there; try again")

    @staticmethod
    def holder(folder: Path) -> dict[str, Any] | None:
        """Who is writing ``folder`` now (process id, host, since), or None if no one is."""
        path = Path(folder) / LOCK
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            holder = _holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return None  # nobody holds it: a stale file
            except BlockingIOError:
                return holder or {"pid": "?", "host": "?"}
            except (ImportError, OSError):
                pid = holder.get("pid")
                alive = isinstance(pid, int) and (holder.get("host") != socket.gethostname()
                                                  or _alive(pid))
                return holder if alive else None
        finally:
            os.close(fd)

    @staticmethod
    def _lock(fd: int, holder: dict[str, Any]) -> bool:
        """flock the file; without flock, judge by the recorded process."""
        try:
            import fcntl
        except ImportError:  # not POSIX
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
            except OSError:  # the file system has no flock: fall back on the process id
                pass
        pid, host = holder.get("pid"), holder.get("host")
        if not isinstance(pid, int) or (pid == os.getpid() and host == socket.gethostname()):
            return True
        if host != socket.gethostname():
            return False  # its process cannot be seen from here: assume it lives
        return not _alive(pid)

    def release(self) -> None:
        """Remove the lock file and let go (idempotent)."""
        if self._fd is None:
            return
        try:
            if os.path.samestat(os.fstat(self._fd), os.stat(self.path, follow_symlinks=False)):
                self.path.unlink()
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None


def check_out_folder(path: Path, option: str = "--out") -> None:
    """Refuse a results folder that cannot be one: a symbolic link, a file, a path under a file,
    an invalid name or a place this user cannot write in.

    Raises:
        UserError: naming the option and the path.
    """
    from sim.files import check_folder_for

    try:
        if path.is_symlink():
            raise UserError(f"{option} {path}: it is a symbolic link; commsim writes results only "
                            "into a real folder, never through a link: give the folder itself")
        if path.exists() and not path.is_dir():
            raise UserError(f"{option} {path}: it is a file, not a results folder; choose "
                            "another --out")
        check_folder_for(path, option, is_folder=True)
    except (ValueError, OSError) as err:  # a NUL byte, a name too long
        raise UserError(f"{option} {path!r}: not a usable folder name ({err})") from None


def manifest_of(path: Path) -> dict[str, Any] | None:
    """The manifest of a commsim results folder, or None if ``path`` is not one (no manifest,
    unreadable, not a JSON object, or without the commsim marker)."""
    file = Path(path) / MANIFEST
    if Path(path).is_symlink() or file.is_symlink() or not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get(MARKER), int):
        return None
    return data


def is_results_folder(path: Path) -> bool:
    """Is ``path`` a real folder whose manifest marks it as commsim's results?"""
    return Path(path).is_dir() and manifest_of(path) is not None


def _empty(path: Path, keep: str) -> None:
    """Remove everything in ``path`` but ``keep``; links are removed, never followed."""
    for child in path.iterdir():
        if child.name == keep:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


class ResultStore:
    """One results folder: its manifest, its chunk files and the merged tables."""

    def __init__(self, path: Path, manifest: dict[str, Any],
                 lock: FolderLock | None = None) -> None:
        self.path = Path(path)
        self.manifest = manifest
        self.lock = lock

    def close(self) -> None:
        """Let go of the folder's lock (another writer may take it from now on)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, experiment: Experiment, command: list[str],
               force: bool = False) -> ResultStore:
        """A new results folder, locked; an existing one is replaced only with ``force``.

        Raises:
            UserError: the folder exists (without ``force``); ``force`` would delete a folder
                that is not a commsim results folder; the path is a link, a file or cannot be
                written; or another commsim is writing the folder.
        """
        path = Path(path)
        check_out_folder(path)
        if path.exists():
            if not force:
                raise UserError(f"{path} already exists: use --resume to finish it, --force to "
                                "replace it, or another --out")
            if any(path.iterdir()) and not is_results_folder(path):
                raise UserError(f"{path} is not a commsim results folder (its {MANIFEST} does "
                                f"not say so); --force replaces only results folders: choose "
                                "another --out")
            lock = FolderLock.acquire(path)
            try:
                _empty(path, LOCK)
            except OSError as err:
                lock.release()
                raise UserError(f"--out {path}: cannot empty it ({err.strerror or err})") from None
        else:
            try:
                path.mkdir(parents=True)
            except FileExistsError:
                raise UserError(f"{path} already exists (another commsim just made it): use "
                                "another --out") from None
            except OSError as err:
                raise UserError(f"--out {path}: cannot make the folder ({err.strerror or err})"
                                ) from None
            lock = FolderLock.acquire(path)
        (path / PARTS).mkdir()
        manifest = {
            MARKER: SCHEMA_VERSION,
            "command": command, "status": "running", "started": utc_now(), "finished": None,
            "experiment": experiment.to_dict(), "fingerprint": experiment.fingerprint(),
            "scenarios": {s.name: s.to_dict() for s in experiment.scenarios},
            "seed": experiment.seed, "n_runs": experiment.n_runs,
            "version": sim.__version__, "git_commit": commsim_commit(), "versions": versions(),
            "chunks": [], "resumed": [],
        }
        store = cls(path, manifest, lock)
        store.save_manifest()
        return store

    @property
    def complete(self) -> bool:
        """Are the merged tables written?"""
        return self.manifest.get("status") == "complete" and (self.path / RUNS).is_file()

    @classmethod
    def resume(cls, path: Path, experiment: Experiment, command: list[str]) -> ResultStore:
        """An existing results folder of the same experiment, locked, ready to take the missing
        chunks; a folder left half-merged or with chunks saved twice is repaired.

        Raises:
            UserError: no such folder or manifest, not a commsim results folder, another
                experiment (its hash differs), another version of commsim, or another commsim
                writing the folder.
        """
        path = Path(path)
        check_out_folder(path)
        if not (path / MANIFEST).is_file():
            raise UserError(f"{path}: nothing to resume (no {MANIFEST}); run without --resume")
        lock = FolderLock.acquire(path)
        try:
            store = cls(path, _checked_manifest(path, experiment), lock)
            if store.complete:
                shutil.rmtree(path / PARTS, ignore_errors=True)  # killed while tidying up
                store.close()
                return store  # nothing left to do
            (path / PARTS).mkdir(exist_ok=True)
            store.forget_unrecorded()
            store.manifest["status"] = "running"
            store.manifest["finished"] = None
            store.manifest.setdefault("resumed", []).append({"command": command, "at": utc_now()})
            store.save_manifest()
        except BaseException:
            lock.release()
            raise
        return store

    # -- chunks -----------------------------------------------------------------------------------

    def part(self, kind: str, chunk_id: int) -> Path:
        """The file of one chunk's ``runs`` or ``daily`` table."""
        return self.path / PARTS / f"{kind}-{chunk_id:05d}.parquet"

    def forget_unrecorded(self) -> None:
        """Drop chunks that are not all recorded and on disk (killed while being saved), and
        chunks whose runs an earlier chunk already holds (two writers at once, before locks)."""
        kinds = ("runs", "daily", *self.records)
        kept, seen = [], set()
        for c in self.manifest["chunks"]:
            ids = {i for lo, hi in c["run_ids"] for i in range(lo, hi)}
            on_disk = all(self.part(k, c["id"]).is_file() for k in kinds)
            if on_disk and not ids & seen:
                kept.append(c)
                seen |= ids
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

    def finish(self, progress: bool | None = None) -> None:
        """Merge the chunks into runs.parquet and daily.parquet (sorted), mark complete."""
        self.merge_parts(progress)
        for name in self.records:
            self._merge_record(name, sorted(c["id"] for c in self.manifest["chunks"]))
        names = (RUNS, DAILY, *(f"{r}.parquet" for r in self.records))
        self.manifest["files"] = {name: file_digest(self.path / name) for name in names}
        self.mark("complete")  # before the chunks go: a resume finds either the chunks or this
        shutil.rmtree(self.path / PARTS, ignore_errors=True)
        self.close()

    def merge_parts(self, progress: bool | None = None) -> None:
        """Write runs.parquet (merged in memory: one row a run) and daily.parquet (streamed one
        chunk at a time, so memory does not grow with the number of runs; see sim/stream.py).

        Args:
            progress: show a progress bar on stderr (default: when stderr is a terminal).
        """
        from tqdm import tqdm

        from sim.stream import merge_sorted

        chunks = sorted(self.manifest["chunks"], key=lambda c: c["id"])
        runs = pd.concat([pd.read_parquet(self.part("runs", c["id"])) for c in chunks],
                         ignore_index=True)
        runs = runs.sort_values(["run_id"], kind="stable").reset_index(drop=True)
        if list(runs["run_id"]) != list(range(self.manifest["n_runs"])):
            raise RuntimeError(f"{self.path}: the chunks do not hold every run once")
        _write_atomic(self.path / RUNS, lambda tmp: runs.to_parquet(tmp, index=False))
        parts = [(self.part("daily", c["id"]), c["run_ids"]) for c in chunks]
        with tqdm(total=sum(len(r) for _, r in parts), desc="merging the daily table",
                  unit="chunk", disable=None if progress is None else not progress,
                  leave=False) as bar:
            _write_atomic(self.path / DAILY, lambda tmp: merge_sorted(
                parts, tmp, ["run_id", "day"], progress=bar.update))

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
        """Record the status (running, complete, interrupted, failed) and the time; any status
        but running lets go of the folder's lock."""
        self.manifest["status"] = status
        self.manifest["finished"] = utc_now() if status != "running" else None
        self.save_manifest()
        if status not in ("running", "complete"):
            self.close()  # complete: finish() lets go once the chunks are tidied away

    def save_manifest(self) -> None:
        """Write manifest.json atomically."""
        write_json(self.path / MANIFEST, self.manifest)


def file_digest(path: Path) -> str:
    """``sha256:<hex>`` of a file's bytes (recorded for the merged tables, checked on reading)."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


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


def _checked_manifest(path: Path, experiment: Experiment) -> dict[str, Any]:
    """The manifest of ``path`` if it is a commsim results folder of ``experiment`` and this
    version, with the keys a resume needs."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UserError(f"{path / MANIFEST}: unreadable manifest ({err}); use --force to "
                        "start again") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get(MARKER), int):
        raise UserError(f"{path} is not a commsim results folder (its {MANIFEST} does not say "
                        "so): nothing to resume; choose another --out")
    if manifest[MARKER] > SCHEMA_VERSION:
        raise UserError(f"{path} has results schema {manifest[MARKER]}, newer than this "
                        f"commsim's {SCHEMA_VERSION}: update commsim, or use another --out")
    if manifest.get("version") != sim.__version__:
        raise UserError(f"{path} was made by commsim {manifest.get('version')} and this is "
                        f"{sim.__version__}: its runs would not be comparable; use --force "
                        "to start again or another --out")
    if manifest.get("fingerprint") != experiment.fingerprint():
        raise UserError(f"{path} holds another experiment: {_difference(manifest, experiment)}"
                        "; resume it with the same experiment file, or use --force to start "
                        "again or another --out")
    chunks = manifest.get("chunks")
    good = isinstance(chunks, list) and all(
        isinstance(c, dict) and isinstance(c.get("id"), int) and isinstance(c.get("run_ids"), list)
        and all(isinstance(r, list) and len(r) == 2 and all(isinstance(i, int) for i in r)
                for r in c["run_ids"]) for c in chunks)
    if not good or manifest.get("n_runs") != experiment.n_runs \
            or not isinstance(manifest.get("resumed", []), list):
        raise UserError(f"{path / MANIFEST} was edited: its chunks, n_runs or resumed entries "
                        "are not what commsim writes; use --force to start again")
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a results folder."""
    return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))


def latest_unfinished(name: str, root: Path | None = None) -> Path | None:
    """The newest ``results/<name>-*`` folder whose sweep did not complete, if any."""
    root = Path(root or Path.cwd() / "results")
    found = []
    for folder in root.glob(f"{name}-*"):
        manifest = manifest_of(folder)  # commsim's folders only
        if manifest is None or not isinstance(manifest.get("experiment"), dict | None):
            continue
        same = (manifest.get("experiment") or {}).get("name") == name
        if same and manifest.get("status") != "complete":
            found.append((manifest.get("started") or "", folder.name, folder))
    return max(found)[2] if found else None
