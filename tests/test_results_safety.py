"""Results folders are safe: --force replaces only commsim's own folders and never follows a
link out, one writer at a time (a lock with the writer's process id, stale after a crash), a
half-merged folder is repaired by --resume, and provenance never runs anything from the user's
folder (issue 17, items 1, 3 and 6)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import UserError
from sim.executors import Chunk, ChunkResult, Executor, make_chunks, run_chunk
from sim.experiments import load_experiment
from sim.store import (
    LOCK,
    MANIFEST,
    MARKER,
    FolderLock,
    ResultStore,
    _commit_of_checkout,
    commsim_commit,
    is_results_folder,
    labels_table,
    read_manifest,
)
from sim.sweep import run_experiment

EXPERIMENT = """name = "pair"
scenarios = ["baseline", "shills"]
replicates = 3
days = 10
seed = 4
"""


@pytest.fixture
def experiment_file(tmp_path) -> Path:
    path = tmp_path / "pair.toml"
    path.write_text(EXPERIMENT, encoding="utf-8")
    return path


@pytest.fixture
def reference(experiment_file, tmp_path) -> tuple[pd.DataFrame, pd.DataFrame]:
    out = run_experiment(load_experiment(experiment_file), tmp_path / "ref", ["t"],
                         progress=False).path
    return pd.read_parquet(out / "runs.parquet"), pd.read_parquet(out / "daily.parquet")


def assert_tables(out: Path, reference) -> None:
    for name, want in zip(("runs.parquet", "daily.parquet"), reference):
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), want)


# -- item 1: --force and the marker --------------------------------------------------------------

def test_force_refuses_a_folder_that_is_not_a_results_folder(tmp_path, capsys):
    """A web app's folder with a manifest.json of its own is not commsim's: --force keeps it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / MANIFEST).write_text('{"name": "my app", "start_url": "/"}')
    (site / "index.html").write_text("<html>precious</html>")
    assert not is_results_folder(site)
    code = main(["run", "baseline", "--days", "5", "--replicates", "1", "--out", str(site),
                 "--force"])
    assert code == 2 and "not a commsim results folder" in capsys.readouterr().err
    assert sorted(p.name for p in site.iterdir()) == ["index.html", MANIFEST]
    assert (site / "index.html").read_text() == "<html>precious</html>"


def test_force_replaces_a_results_folder_and_never_follows_a_link_out(experiment_file,
                                                                         tmp_path):
    """--force empties commsim's folder; a link inside it is removed, its target kept."""
    experiment = load_experiment(experiment_file)
    out = run_experiment(experiment, tmp_path / "out", ["t"], progress=False).path
    assert read_manifest(out)[MARKER] == 1 and is_results_folder(out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    (out / "stray.txt").write_text("old")
    result = run_experiment(experiment, out, ["t"], force=True, progress=False)
    assert result.ran == experiment.n_runs
    assert not (out / "link").exists() and not (out / "stray.txt").exists()
    assert (elsewhere / "keep.txt").read_text() == "keep"


def test_every_output_file_is_refused_in_the_same_words(tmp_path, capsys):
    """compare -o, report -o, lesson --html, import -o: one sentence for an existing file."""
    (tmp_path / "old").write_text("mine")
    old = str(tmp_path / "old")
    messages = []
    for args in (["compare", str(tmp_path), "-o", old], ["report", str(tmp_path), "-o", old],
                 ["sensitivity", str(tmp_path), "-o", old], ["lesson", "shills", "--html", old],
                 ["import", old, "-o", old], ["measure", old, "--html", old],
                 ["calibrate", old, "-o", old + ".toml", "--html", old]):
        assert main(args) == 2
        err = capsys.readouterr().err.strip()
        messages.append(err.split(": ", 2)[2])
    assert all(m.endswith(f"{old}: the file exists; add --force to replace it")
               for m in messages), messages
    assert (tmp_path / "old").read_text() == "mine"


# -- item 3: one writer at a time ----------------------------------------------------------------

class PausingExecutor(Executor):
    """Runs chunks in this process and, after the first is saved, waits to be let go."""

    def __init__(self) -> None:
        self.first_saved = threading.Event()
        self.go_on = threading.Event()

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for k, chunk in enumerate(chunks):
            if k == 1:  # the sweep saved chunk 0 before asking for this one
                self.first_saved.set()
                self.go_on.wait()
            yield run_chunk(chunk)


def test_a_sweep_and_a_resume_at_once_leave_the_folder_usable(experiment_file, reference,
                                                              tmp_path, capsys):
    """While a sweep writes a folder, a --resume (and a --force) of it is refused with one
    line and exit 2; the sweep then finishes, and compare and a later --resume work."""
    out = tmp_path / "out"
    pool = PausingExecutor()
    done: dict[str, object] = {}

    def sweep() -> None:
        try:
            done["result"] = run_experiment(load_experiment(experiment_file), out, ["first"],
                                            chunk_size=2, progress=False, executor=pool)
        except BaseException as err:  # pragma: no cover - shown by the assert below
            done["error"] = err

    writer = threading.Thread(target=sweep)
    writer.start()
    try:
        pool.first_saved.wait()
        assert (out / LOCK).is_file()
        holder = json.loads((out / LOCK).read_text())
        assert holder["pid"] == os.getpid() and holder["host"]
        second = main(["sweep", str(experiment_file), "--out", str(out), "--resume",
                       "--workers", "1", "--quiet"])
        err = capsys.readouterr().err
        assert second == 2 and "being written by another commsim" in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        third = main(["sweep", str(experiment_file), "--out", str(out), "--force",
                      "--workers", "1", "--quiet"])
        assert third == 2 and "being written" in capsys.readouterr().err
        assert main(["compare", str(out)]) == 2  # not finished: says who is writing it
        assert f"being written now by process {os.getpid()}" in capsys.readouterr().err
    finally:
        pool.go_on.set()
        writer.join()
    assert "error" not in done, done.get("error")
    manifest = read_manifest(out)
    assert manifest["status"] == "complete" and manifest["resumed"] == []
    assert not (out / LOCK).exists()
    assert_tables(out, reference)
    assert main(["compare", str(out), "-o", str(tmp_path / "c.csv")]) == 0
    assert main(["sweep", str(experiment_file), "--out", str(out), "--resume", "--workers",
                 "1", "--quiet"]) == 0
    assert "already complete" in capsys.readouterr().out


HOLD = """
import sys
from pathlib import Path
from sim.store import FolderLock
lock = FolderLock.acquire(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_lock_of_a_crashed_writer_is_stale_and_taken_over(experiment_file, reference,
                                                            tmp_path, capsys):
    """Another process's lock refuses a writer, naming its process id; once that process is
    killed (kill -9, no chance to clean up), its lock file is stale and a resume proceeds."""
    experiment = load_experiment(experiment_file)
    store = ResultStore.create(tmp_path / "out", experiment, ["t"])
    specs = experiment.run_specs()
    chunks = make_chunks([s.run_id for s in specs], [s.params for s in specs],
                         [s.seed for s in specs], experiment.days, 2)
    store.save_chunk(run_chunk(chunks[0]), labels_table(specs, []), None)
    store.mark("interrupted")
    other = subprocess.Popen([sys.executable, "-c", HOLD, str(store.path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    try:
        assert other.stdout.readline().strip() == "locked"
        with pytest.raises(UserError, match=f"process {other.pid} on "):
            run_experiment(experiment, store.path, ["t"], resume=True, progress=False)
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait()
    assert json.loads((store.path / LOCK).read_text())["pid"] == other.pid  # left behind
    result = run_experiment(experiment, store.path, ["again"], resume=True, progress=False)
    assert result.ran == experiment.n_runs - 2
    assert_tables(store.path, reference)


def test_a_half_merged_folder_with_chunks_saved_twice_is_repaired_by_resume(
        experiment_file, reference, tmp_path):
    """Two writers before locks: chunks with the same runs under two ids, a half-written
    runs.parquet and status failed. --resume keeps one copy of each run and merges."""
    experiment = load_experiment(experiment_file)
    store = ResultStore.create(tmp_path / "out", experiment, ["t"])
    specs = experiment.run_specs()
    labels = labels_table(specs, [])
    chunks = make_chunks([s.run_id for s in specs], [s.params for s in specs],
                         [s.seed for s in specs], experiment.days, 3)
    again = make_chunks([s.run_id for s in specs], [s.params for s in specs],
                        [s.seed for s in specs], experiment.days, 3, first_id=len(chunks))
    for chunk in [*chunks, again[0]]:
        store.save_chunk(run_chunk(chunk), labels, None)
    (store.path / "runs.parquet").write_bytes(b"PAR1 half")
    store.mark("failed")
    assert main(["compare", str(store.path)]) == 2  # unfinished: says so, no traceback
    assert main(["sweep", str(experiment_file), "--out", str(store.path), "--resume",
                 "--workers", "1", "--quiet"]) == 0
    assert read_manifest(store.path)["status"] == "complete"
    assert_tables(store.path, reference)


def test_a_lock_is_refused_in_this_process_too_and_released(tmp_path):
    """Two opens of the lock conflict even in one process; release lets the next one in."""
    first = FolderLock.acquire(tmp_path)
    with pytest.raises(UserError, match="being written by another commsim"):
        FolderLock.acquire(tmp_path)
    first.release()
    assert not (tmp_path / LOCK).exists()
    FolderLock.acquire(tmp_path).release()


# -- item 6: provenance without running anything from the user's folder --------------------------

@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to build the hostile repo")
def test_provenance_runs_no_git_in_the_current_folder(tmp_path, monkeypatch, capsys):
    """A repository with a core.fsmonitor hook: git status would run it; commsim does not, and
    records its own commit, not that repository's."""
    repo = tmp_path / "hostile"
    repo.mkdir()
    ran = tmp_path / "hook-ran"
    git = ["git", "-C", str(repo), "-c", "user.name=x", "-c", "user.email=x@y"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "a.txt").write_text("a")
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    hook = repo / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {ran}\n")
    hook.chmod(0o755)
    subprocess.run([*git, "config", "core.fsmonitor", str(hook)], check=True)
    subprocess.run([*git, "status", "--porcelain"], capture_output=True, check=False)
    assert ran.exists(), "the hook must be live for this test to mean anything"
    ran.unlink()
    theirs = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    monkeypatch.chdir(repo)
    assert main(["run", "baseline", "--days", "5", "--replicates", "1", "--out", "o"]) == 0
    capsys.readouterr()
    assert not ran.exists()
    assert read_manifest(repo / "o")["git_commit"] in (commsim_commit(), None)
    assert read_manifest(repo / "o")["git_commit"] != theirs


def test_the_commit_is_read_from_the_checkout_files(tmp_path):
    """HEAD on a branch (loose or packed ref), a detached HEAD, and a worktree's .git file."""
    sha1, sha2, sha3 = "1" * 40, "2" * 40, "3" * 40
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(sha1 + "\n")
    assert _commit_of_checkout(tmp_path / "repo") == sha1
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs\n{sha2} refs/heads/main\n")
    assert _commit_of_checkout(tmp_path / "repo") == sha2
    worktree = git / "worktrees" / "wt"
    worktree.mkdir(parents=True)
    (worktree / "HEAD").write_text(sha3 + "\n")
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text(f"gitdir: {worktree}\n")
    assert _commit_of_checkout(tmp_path / "wt") == sha3
    assert _commit_of_checkout(tmp_path) is None


def test_a_fit_at_the_models_limit_does_not_advise_widening_the_range():
    """'widen it' only where the range can be widened; at the parameter's allowed bound the
    advice says the model cannot reach the targets."""
    from sim.calibration.fit import _model_limit
    from sim.calibration.space import dimension

    at_bound = dimension("activity_sigma", (0.5, 4.0))  # 4 is the most the model allows
    inner = dimension("activity_sigma", (0.5, 3.0))
    assert _model_limit(at_bound, low=False) == 4.0
    assert _model_limit(inner, low=False) is None
    assert _model_limit(at_bound, low=True) is None  # 0.5 is not the allowed 0


# -- item 2: names from files are names, not paths -----------------------------------------------

def test_paths_in_files_need_allow_paths(tmp_path, capsys):
    """extends and an experiment's scenarios may name a file elsewhere only with --allow-paths;
    a file beside the experiment or in a scenario folder needs nothing."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "base.toml").write_text("[params]\nshills = 1\n")
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "child.toml").write_text('extends = "../shared/base"\n')
    (tmp_path / "proj" / "beside.toml").write_text("[params]\nshills = 2\n")
    (tmp_path / "proj" / "e.toml").write_text(
        'scenarios = ["beside.toml", "../shared/base.toml"]\nreplicates = 1\n')
    assert main(["show", str(tmp_path / "proj" / "child.toml")]) == 2
    assert "--allow-paths" in capsys.readouterr().err
    assert main(["--allow-paths", "show", str(tmp_path / "proj" / "child.toml")]) == 0
    assert "shills" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "proj" / "e.toml")]) == 2
    assert "../shared/base.toml" in capsys.readouterr().err
    assert main(["--allow-paths", "validate", str(tmp_path / "proj" / "e.toml")]) == 0
    (tmp_path / "proj" / "e.toml").write_text('scenarios = ["beside.toml"]\nreplicates = 1\n')
    assert main(["validate", str(tmp_path / "proj" / "e.toml")]) == 0


def test_a_name_never_leads_out_of_the_results_folder(tmp_path, monkeypatch, capsys):
    """An experiment named "../../x" writes nothing anywhere; a plain name goes to results/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e.toml").write_text(
        'name = "../../escaped"\nscenarios = ["baseline"]\nreplicates = 1\ndays = 5\n')
    assert main(["sweep", "e.toml", "--workers", "1", "--quiet"]) == 2
    assert "cannot be a path" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.toml"]
    assert not (tmp_path.parent.parent / "escaped").exists()
