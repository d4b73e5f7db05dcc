"""The Dask executor: a sweep on a Dask cluster writes the very files of a local sweep, survives a
killed worker, resumes across executors, and fails clearly (exit 2, nothing lost) when the
scheduler cannot be reached or Dask is not installed. All traffic stays on 127.0.0.1.

Tests that need Dask are skipped when ``distributed`` is not installed (CI installs the extra);
the install hint is tested in any case.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.dask_executor import DaskExecutor, version_mismatches
from sim.executors import Executor, WorkersLost
from sim.experiments import load_experiment
from sim.store import read_manifest
from sim.sweep import Interrupted, run_experiment
from tests.conftest import HANG
from tests.test_store import save_some_chunks

try:
    import distributed  # noqa: F401 - only to know whether the Dask tests can run
    HAVE_DISTRIBUTED = True
except ImportError:
    HAVE_DISTRIBUTED = False
needs_dask = pytest.mark.skipif(not HAVE_DISTRIBUTED, reason="Dask's distributed is not "
                                'installed: pip install -e ".[distributed]" to run this test')
UNREACHABLE = "tcp://127.0.0.1:1"  # loopback, a port nothing listens on
# big, long runs, so that a chunk takes long enough for Ctrl-C to land mid-sweep (see test_cli)
EXPERIMENT = """
name = "daskme"
scenarios = ["baseline", "daily_digest"]
replicates = 6
days = 365
seed = 5
[vary]
entry_fee = [0.0, 9.0]
group_size = [1000]
"""


def commsim(*args: str, cwd: Path, env: dict | None = None, timeout: float = HANG
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def assert_same_files(out: Path, reference: Path) -> None:
    """Byte for byte: the parquet files, not only the tables in them."""
    for name in ("runs.parquet", "daily.parquet"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


def crash_always(chunk):
    """Kill the worker that runs the chunk, every time."""
    os._exit(1)


class StopAfter(Executor):
    """Passes on the first ``n`` results of another executor, then acts as Ctrl-C."""

    def __init__(self, inner: Executor, n: int) -> None:
        self.inner, self.n, self.workers = inner, n, inner.workers

    def run(self, chunks):
        for k, result in enumerate(self.inner.run(chunks)):
            yield result
            if k + 1 == self.n:
                raise KeyboardInterrupt


class KillBusyWorker(Executor):
    """Passes on the results of a Dask executor; kills a busy worker when the first arrives."""

    def __init__(self, inner: Executor, client) -> None:
        self.inner, self.client, self.workers, self.killed = inner, client, inner.workers, None

    def run(self, chunks):
        for result in self.inner.run(chunks):
            if self.killed is None:
                busy = []
                deadline = time.monotonic() + HANG  # a hang guard only
                while not busy:  # more chunks are queued, so a worker takes one
                    assert time.monotonic() < deadline, "no worker took a chunk"
                    busy = [a for a, keys in self.client.processing().items() if keys]
                pids = self.client.run(os.getpid, workers=busy[:1])
                (self.killed,) = pids.values()
                os.kill(self.killed, signal.SIGKILL)
            yield result


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dask")
    (path / "daskme.toml").write_text(EXPERIMENT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def experiment(folder):
    return load_experiment(folder / "daskme.toml")


@pytest.fixture(scope="module")
def reference(folder, experiment) -> Path:
    """The 24-run sweep in this process, in one go: the files every other sweep must equal."""
    return run_experiment(experiment, folder / "reference", ["test"], progress=False).path


@pytest.fixture(scope="module")
def cluster():
    """One local cluster of two worker processes, shared by the tests (startup takes seconds)."""
    if not HAVE_DISTRIBUTED:
        pytest.skip("Dask's distributed is not installed")
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                  silence_logs=logging.ERROR,
                                  scheduler_kwargs={"allowed_failures": 3}) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    """A client of the shared cluster, for the tests' own look at its workers."""
    import distributed

    with distributed.Client(cluster, set_as_default=False) as c:
        yield c


def partial_folder(experiment, path: Path, chunk_ids: list[int]) -> Path:
    """A results folder where only some chunks (of 4 runs) finished before a stop."""
    save_some_chunks(experiment, path, chunk_ids)
    return path


def snapshot(path: Path) -> dict[str, bytes]:
    return {str(f.relative_to(path)): f.read_bytes() for f in sorted(path.rglob("*"))
            if f.is_file()}


@needs_dask
def test_a_dask_sweep_writes_the_same_files_as_a_local_sweep(cluster, experiment, reference,
                                                            folder):
    """Two Dask workers and another chunk size give runs.parquet and daily.parquet byte for byte."""
    with DaskExecutor(cluster.scheduler_address) as pool:
        assert pool.workers == 2 and pool.dashboard_link.startswith("http://127.0.0.1:")
        result = run_experiment(experiment, folder / "dask2", ["test"], chunk_size=3,
                                progress=False, executor=pool)
    assert result.ran == 24 and result.workers == 2
    assert read_manifest(result.path)["status"] == "complete"
    assert_same_files(result.path, reference)


@needs_dask
def test_a_killed_worker_has_its_chunk_run_again_and_nothing_is_lost(cluster, client, experiment,
                                                                    reference, folder):
    """SIGKILL of a busy worker mid-sweep: the scheduler reruns its chunk; same files."""
    with DaskExecutor(cluster.scheduler_address) as pool:
        killer = KillBusyWorker(pool, client)
        result = run_experiment(experiment, folder / "killed", ["test"], chunk_size=2,
                                progress=False, executor=killer)
    assert killer.killed is not None and killer.killed not in client.run(os.getpid).values()
    removed = [e for _, e in client.get_events("all") if e.get("action") == "remove-worker"]
    lost = [k for e in removed for k in e["processing-tasks"]]
    assert any(str(k).startswith("commsim-chunk-") for k in lost), removed  # killed mid-chunk
    client.wait_for_workers(2, timeout=HANG)  # the nanny restarted it
    assert result.ran == 24
    assert_same_files(result.path, reference)


@needs_dask
def test_a_sweep_started_on_dask_resumes_locally_and_vice_versa(cluster, experiment, reference,
                                                                folder):
    """Interrupted on Dask, finished locally; started locally, finished on Dask: same files."""
    with DaskExecutor(cluster.scheduler_address) as pool:
        with pytest.raises(Interrupted):
            run_experiment(experiment, folder / "d2l", ["test"], chunk_size=4, progress=False,
                           executor=StopAfter(pool, 2))
    assert read_manifest(folder / "d2l")["status"] == "interrupted"
    assert len(read_manifest(folder / "d2l")["chunks"]) == 2
    result = run_experiment(experiment, folder / "d2l", ["test"], resume=True, progress=False)
    assert result.ran == 16
    assert_same_files(result.path, reference)

    partial_folder(experiment, folder / "l2d", [1, 4])
    with DaskExecutor(cluster.scheduler_address) as pool:
        result = run_experiment(experiment, folder / "l2d", ["test"], resume=True,
                                progress=False, executor=pool)
    assert result.ran == 16
    assert_same_files(result.path, reference)


@needs_dask
def test_workers_that_keep_dying_stop_the_sweep_and_keep_finished_chunks(experiment, tmp_path):
    """A chunk that kills every worker it meets ends in WorkersLost; saved chunks stay."""
    import distributed

    partial_folder(experiment, tmp_path / "out", [0])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.CRITICAL,
                                  scheduler_kwargs={"allowed_failures": 0}) as local:
        with DaskExecutor(local.scheduler_address, function=crash_always) as pool:
            with pytest.raises(WorkersLost, match="died every time"):
                run_experiment(experiment, tmp_path / "out", ["test"], resume=True,
                               progress=False, executor=pool)
    manifest = read_manifest(tmp_path / "out")
    assert manifest["status"] == "failed" and [c["id"] for c in manifest["chunks"]] == [0]


@needs_dask
def test_an_unreachable_scheduler_is_one_clear_error(experiment, folder):
    """--scheduler with nothing listening: exit 2, one line, no traceback, folder unchanged.
    (How fast it gives up is dask_executor.CONNECT_TIMEOUT, not timed here: busy machines.)"""
    out = partial_folder(experiment, folder / "unreachable", [0, 2])
    before = snapshot(out)
    done = commsim("sweep", "daskme.toml", "--executor", "dask", "--scheduler", UNREACHABLE,
                   "--out", out.name, "--resume", cwd=folder)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"commsim: error: --scheduler {UNREACHABLE}: cannot reach" in done.stderr
    assert snapshot(out) == before


@needs_dask
def test_sweep_command_on_a_one_worker_local_cluster_survives_ctrl_c(folder, reference):
    """The CLI on a one-worker LocalCluster prints the dashboard; SIGINT exits 130; the printed
    resume command finishes the sweep to the reference files."""
    out = folder / "cli"
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", "daskme.toml", "--executor", "dask", "--workers",
         "1", "--chunk-size", "1", "--out", out.name], cwd=folder, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + HANG  # a hang guard only
        manifest = out / "manifest.json"  # the recorded chunk, not the part file (see test_cli)
        while not manifest.is_file() or not json.loads(manifest.read_text())["chunks"]:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the sweep hung before saving a chunk"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=HANG)
    finally:
        process.kill()
    assert process.returncode == 130 and "Traceback" not in stderr, stderr
    assert "1 Dask worker(s); dashboard: http://127.0.0.1:" in stderr
    assert read_manifest(out)["status"] == "interrupted"
    line = next(x for x in stderr.splitlines() if x.startswith("resume with: "))
    argv = shlex.split(line.removeprefix("resume with: "))
    assert argv[argv.index("--executor") + 1] == "dask" and "--resume" in argv
    done = commsim(*argv[1:], "--quiet", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "Dask worker(s)" in done.stdout
    assert_same_files(out, reference)


def test_without_distributed_the_dask_executor_says_how_to_install(tmp_path):
    """--executor dask where distributed cannot be imported: exit 2 with the pip command."""
    hidden = tmp_path / "hide" / "distributed"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(hidden.parent), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = commsim("sweep", "smoke", "--executor", "dask", "--out", "o", cwd=tmp_path, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert 'pip install "commsim[distributed]"' in done.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("args, words", [
    (["--scheduler", UNREACHABLE], ["--scheduler", "add --executor dask"]),
    (["--executor", "dask", "--scheduler", UNREACHABLE, "--workers", "2"],
     ["--workers", "has its own"]),
    (["--executor", "dask", "--scheduler", "nonsense"], ["not a Dask scheduler address",
                                                          "tcp://host:port"]),
])
def test_contradictory_dask_options_are_one_clear_error(tmp_path, monkeypatch, capsys, args,
                                                        words):
    """--scheduler without --executor dask, with --workers, or malformed: exit 2 at once."""
    if "nonsense" in args and not HAVE_DISTRIBUTED:
        pytest.skip("the address is checked by distributed")
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", "smoke", "--out", "o", *args]) == 2
    err = capsys.readouterr().err
    assert all(word in err for word in words), err
    assert not (tmp_path / "o").exists()


def test_dask_is_imported_only_when_asked_for():
    """Importing the command line and the Dask executor does not import distributed."""
    code = ("import sys, sim.cli, sim.dask_executor; "
            "assert 'distributed' not in sys.modules, 'distributed imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_workers_with_other_versions_are_named():
    """A worker whose commsim or numpy differs from this machine's is reported by address."""
    ours = {"commsim": "0.1.0", "numpy": "2.4.6", "numba": "0.68", "pandas": "3.1"}
    theirs = {"tcp://a:1": dict(ours), "tcp://b:1": {**ours, "numpy": "1.26.4", "commsim": None}}
    lines = version_mismatches(ours, theirs)
    assert lines == ["worker tcp://b:1 has commsim (not installed), this machine 0.1.0",
                     "worker tcp://b:1 has numpy 1.26.4, this machine 2.4.6"]



def test_the_interrupt_race_of_distributed_is_not_printed_and_nothing_else_is_hidden(
        tmp_path, caplog):
    """Ctrl-C during a client call can make distributed's ``sync`` schedule a ``cancel`` that
    reads a future not yet made; tornado then logs that NameError with a traceback over the
    sweep's clean interrupt message (seen once in CI). The filter drops exactly that record:
    the same NameError raised from a ``cancel`` in a ``utils.py`` closure, as distributed's is,
    and lets any other error through, another NameError included."""
    import importlib.util

    from sim.dask_executor import quiet_interrupt_race

    source = tmp_path / "utils.py"
    source.write_text("def sync():\n    future: object\n\n    def cancel():\n"
                      "        if future is not None:\n            pass\n\n    return cancel\n\n\n"
                      "def other():\n    raise NameError(\"name 'futur' is not defined\")\n")
    spec = importlib.util.spec_from_file_location("fake_distributed_utils", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    quiet_interrupt_race()
    quiet_interrupt_race()  # once is enough: no second filter
    log = logging.getLogger("tornado.application")
    assert sum(type(f).__name__ == "InterruptRace" for f in log.filters) == 1
    with caplog.at_level(logging.ERROR, logger="tornado.application"):
        for call in (module.sync(), module.other, lambda: 1 / 0):
            try:
                call()
            except (NameError, ZeroDivisionError):
                log.error("Exception in callback", exc_info=True)
    errors = [type(r.exc_info[1]).__name__ for r in caplog.records]
    assert errors == ["NameError", "ZeroDivisionError"]  # the race's record alone is dropped
