"""Run a sweep's chunks on a Dask cluster (``commsim sweep ... --executor dask``).

The work is the same as with local processes: each chunk of runs is one Dask task calling
:func:`sim.executors.run_chunk` on a worker, and the finished tables come back to this process,
which saves them chunk by chunk exactly as a local sweep does. A run's numbers depend only on its
parameters, its seed and the code, so the files do not depend on the cluster or its size.

Without a scheduler address a ``LocalCluster`` is started on this machine (worker processes with
one thread each, listening on 127.0.0.1 only); with one, the client connects to a cluster started
by other means (``dask scheduler`` / ``dask worker``, dask-jobqueue, dask-kubernetes: see
``docs/distributed.md``).

A worker lost mid-chunk (killed, out of memory) is Dask's business: the scheduler gives the chunk
to another worker, up to its ``allowed-failures`` (``MAX_RETRIES`` on a local cluster), then
reports ``KilledWorker``, which becomes :class:`~sim.executors.WorkersLost` as with local
processes. Dask (the ``distributed`` package) is an optional extra, imported only when used.
"""

from __future__ import annotations

import logging
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType
from typing import Any

from sim.errors import UserError
from sim.executors import MAX_RETRIES, Chunk, ChunkResult, Executor, WorkersLost, run_chunk

INSTALL_HINT = 'pip install "commsim[distributed]"  (or: pip install "dask[distributed]>=2024.1")'
CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler: a wrong address fails fast, not after 30 s
DASHBOARD = "127.0.0.1:8787"  # Dask's usual port, on loopback only (the dashboard has no login)
# Installed on the workers, these decide the numbers: they must match this process's versions
# for the results to be those of a local sweep (and comparable with the manifest's versions).
SAME_VERSIONS = ("commsim", "numpy", "numba", "pandas")


class ClusterLost(WorkersLost):
    """The connection to the Dask scheduler was lost mid-sweep; finished chunks are saved."""


class InterruptRace(logging.Filter):
    """Drops the one error distributed logs when Ctrl-C lands in a client call before the call
    has made its future: its ``sync`` then schedules a cancel that reads the unset future, and
    tornado logs the NameError with a traceback (distributed's own race, seen with 2024-2025
    releases). The interrupt itself is handled by ``commsim sweep``: a line, the saved chunks and
    the resume command, and no traceback. Every other record passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        err = record.exc_info[1] if record.exc_info else None
        return not (isinstance(err, NameError) and "'future'" in str(err)
                    and any(tb.name == "cancel" and tb.filename.endswith("utils.py")
                            for tb in _frames(record.exc_info[2])))


def _frames(tb: Any) -> list:
    import traceback

    return list(traceback.extract_tb(tb)) if tb is not None else []


def quiet_interrupt_race() -> None:
    """Install :class:`InterruptRace` on tornado's callback logger (once)."""
    log = logging.getLogger("tornado.application")
    if not any(isinstance(f, InterruptRace) for f in log.filters):
        log.addFilter(InterruptRace())


def import_distributed() -> ModuleType:
    """The ``distributed`` package, or a UserError that says how to install it.

    Raises:
        UserError: Dask's distributed scheduler is not installed.
    """
    try:
        import distributed
    except ImportError as err:
        raise UserError(f"--executor dask needs Dask's distributed scheduler, which is not "
                        f"installed ({err}); install it with: {INSTALL_HINT}") from None
    return distributed


def _local_versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for package in SAME_VERSIONS:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def version_mismatches(client_versions: dict[str, Any],
                       worker_versions: dict[str, dict[str, Any]]) -> list[str]:
    """Workers whose commsim, numpy, numba or pandas differ from this process's, one line each.

    Args:
        client_versions: package -> version here.
        worker_versions: worker address -> package -> version, as in ``Client.get_versions()``.
    """
    lines = []
    for address, packages in sorted(worker_versions.items()):
        for package in SAME_VERSIONS:
            theirs, ours = (packages or {}).get(package), client_versions.get(package)
            if theirs != ours:
                lines.append(f"worker {address} has {package} {theirs or '(not installed)'}, "
                             f"this machine {ours or '(not installed)'}")
    return lines


class DaskExecutor(Executor):
    """Runs chunks as tasks on a Dask cluster: an existing one, or a local one started here.

    Use it as a context manager (or call :meth:`start`, then :meth:`close`): entering connects to
    the scheduler or starts the local cluster, so that a wrong address fails before any results
    folder is touched.

    Args:
        scheduler: address of a running scheduler (``tcp://host:8786``); None starts a
            ``LocalCluster`` on this machine.
        workers: worker processes of the local cluster (one thread each); not allowed with
            ``scheduler``, whose cluster has its own workers.
        connect_timeout: seconds to wait for the scheduler.
        function: what a worker runs on a chunk (tests pass another importable function).
    """

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT,
                 function: Callable[[Chunk], ChunkResult] = run_chunk) -> None:
        if scheduler and workers:
            raise UserError("--workers sets the workers of the local executor or of a local "
                            f"Dask cluster; the cluster at --scheduler {scheduler} has its own")
        self.scheduler = scheduler
        self.workers = max(1, workers or 1)
        self.connect_timeout = connect_timeout
        self.function = function
        self.threads = 0  # worker threads when connected (0: none has joined yet)
        self._cluster: Any = None
        self._client: Any = None

    # -- connecting -------------------------------------------------------------------------------

    def start(self) -> DaskExecutor:
        """Connect to the scheduler, or start the local cluster; check the workers' versions.

        Raises:
            UserError: distributed is not installed, the scheduler cannot be reached in time, or
                its workers have other versions of the packages that decide the numbers.
        """
        if self._client is not None:
            return self
        distributed = import_distributed()
        quiet_interrupt_race()
        try:
            if self.scheduler:
                self._client = self._connect(distributed)
            else:
                self._cluster = self._local_cluster(distributed)
                self._client = distributed.Client(self._cluster, set_as_default=False)
            self._check_versions()
            self.threads = sum(self._client.nthreads().values())
            # Workers may still be queued (a batch system); chunk sizes then assume one.
            self.workers = max(1, self.threads)
        except BaseException:
            self.close()
            raise
        return self

    def _connect(self, distributed: ModuleType) -> Any:
        try:
            # A malformed address would leave a half-built Client that hangs when collected.
            distributed.comm.get_address_host_port(self.scheduler)
        except (ValueError, TypeError) as err:
            raise UserError(f"--scheduler {self.scheduler}: not a Dask scheduler address ({err});"
                            " expected tcp://host:port, e.g. tcp://10.0.0.5:8786") from None
        try:
            return distributed.Client(self.scheduler, timeout=self.connect_timeout,
                                      set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as err:
            reason = " ".join(str(err).split()) or type(err).__name__
            raise UserError(f"--scheduler {self.scheduler}: cannot reach a Dask scheduler there "
                            f"within {self.connect_timeout:g} s ({reason}); is it running, and "
                            "is the address its 'Scheduler at:' line (tcp://host:8786)? Nothing "
                            "was run or changed") from None

    def _local_cluster(self, distributed: ModuleType) -> Any:
        with warnings.catch_warnings():
            # Port 8787 taken (another cluster): Dask picks a free port and warns; the link
            # printed by `commsim sweep` gives the port actually used.
            warnings.filterwarnings("ignore", message=r"Port \d+ is already in use")
            return distributed.LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=DASHBOARD,
                # workers' own log lines stay off the screen: a restarted worker, or one whose
                # heartbeat fails while Ctrl-C stops the cluster, printed tracebacks over the
                # bar and the interrupt message; commsim reports lost workers itself
                silence_logs=logging.CRITICAL,
                scheduler_kwargs={"allowed_failures": MAX_RETRIES})

    def _check_versions(self) -> None:
        found = self._client.get_versions(packages=list(SAME_VERSIONS))
        workers = {a: (v or {}).get("packages", {}) for a, v in found["workers"].items()}
        wrong = version_mismatches(_local_versions(), workers)
        if wrong:
            raise UserError("the Dask workers do not run the same code as this machine, so their "
                            "numbers could differ: " + "; ".join(wrong[:5])
                            + ("; ..." if len(wrong) > 5 else "")
                            + ". Install the same versions in the workers' environment")

    @property
    def dashboard_link(self) -> str | None:
        """The address of the Dask dashboard, when the scheduler serves one."""
        if self._client is None:
            return None
        try:
            return self._client.dashboard_link
        except (KeyError, AttributeError, OSError):  # the scheduler runs no HTTP server
            return None

    def __enter__(self) -> DaskExecutor:
        return self.start()

    # -- running ----------------------------------------------------------------------------------

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        """Submit every chunk at once, then yield the results in the order they finish.

        Raises:
            WorkersLost: a chunk's workers died more often than the scheduler allows.
            ClusterLost: the connection to the scheduler was lost.
        """
        distributed = import_distributed()
        client = self.start()._client
        token = uuid.uuid4().hex[:8]  # two sweeps on one cluster must not share task keys
        futures = {client.submit(self.function, chunk, key=f"commsim-chunk-{token}-"
                                 f"{chunk.chunk_id:05d}"): chunk.chunk_id for chunk in chunks}
        try:
            for future in distributed.as_completed(list(futures), loop=client.loop):
                cid = futures.pop(future)
                try:
                    result = future.result()
                except distributed.KilledWorker as err:
                    raise WorkersLost(f"Dask workers died every time they ran chunk {cid} (out "
                                      f"of memory? try a smaller --chunk-size): {err}") from None
                except CancelledError as err:
                    reason = " ".join(str(err).split()) or "cancelled"
                    raise ClusterLost(f"lost the Dask scheduler ({reason})") from None
                future.release()  # the worker may forget the tables once they are here
                yield result
        finally:
            if futures:  # stopped early: abandon the rest (their runs are run again on resume)
                self._cancel(list(futures))

    def _cancel(self, futures: list) -> None:
        try:
            self._client.cancel(futures)
        except Exception:  # noqa: BLE001 - the scheduler may already be gone; nothing to keep
            pass

    def close(self) -> None:
        """Disconnect; a local cluster is shut down (its chunks in flight are abandoned)."""
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        for thing in (client, cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing must not hide the error that led here
                    pass
