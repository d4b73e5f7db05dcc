"""The engine's first run on an install: numba compiles its kernels once, with a visible notice.

The kernels are ``@njit(cache=True)``: numba writes the machine code next to the source, in
``sim/__pycache__`` and ``sim/phases/__pycache__`` (or, where the package folder is read-only, in
``~/.cache/numba`` or ``$NUMBA_CACHE_DIR``), and later processes load it instead of compiling.
:func:`prepare_engine` asks numba's own cache index whether every kernel has machine code for the
current source; if one has not, it compiles them all with a tiny run that reaches every kernel,
while a spinner on stderr says so. With a warm cache it does nothing, and says nothing.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

NOTICE = "preparing the engine (first run only)"

# every module with kernels: importing them is cheap next to compiling them
KERNEL_MODULES = ("sim.rng", "sim.outcomes", "sim.phases.attention", "sim.phases.joining",
                  "sim.phases.leaving", "sim.phases.posting", "sim.phases.replies",
                  "sim.phases.ties", "sim.phases.trust", "sim.state")
# a tiny run that dispatches every kernel (referrals and @-mentions have kernels of their own)
# everyone joins on day 0 and talks a lot, so that every kernel (ties need two posters on one
# day) is reached in a few days whatever the defaults of arrivals and activity are
WARMUP_PARAMS = ({"group_size": 30, "late_share": 0.0, "join_delay": 0.0, "activity_median": 0.5},
                 {"group_size": 30, "referral_rate": 0.5, "owner_mentions": 3.0, "shills": 1})
WARMUP_DAYS = 3


def kernels() -> dict[str, object]:
    """The engine's numba dispatchers that are called directly (not only inlined), by name."""
    import importlib

    from numba.core.registry import CPUDispatcher

    found = {}
    for name in KERNEL_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (isinstance(value, CPUDispatcher) and value.__module__ == name
                    and value.targetoptions.get("inline", "never") != "always"):
                found[f"{name}.{attr}"] = value
    return found


def cold_kernels() -> list[str]:
    """Kernels without machine code on disk for their current source (all of them on a fresh
    install; none after the first run). Uses numba's cache index, the file numba itself reads."""
    cold = []
    for name, dispatcher in kernels().items():
        cache = getattr(dispatcher, "_cache", None)
        try:
            ready = bool(cache._cache_file._load_index())
        except Exception:  # noqa: BLE001 - another numba version: assume it must compile
            ready = False
        if not ready:
            cold.append(name)
    return cold


def cache_folders() -> list[Path]:
    """Where numba keeps the compiled kernels of this install."""
    folders = set()
    for dispatcher in kernels().values():
        path = getattr(getattr(dispatcher, "_cache", None), "_cache_path", None)
        if path:
            folders.add(Path(path))
    return sorted(folders)


def compile_all() -> None:
    """Dispatch every kernel once (numba compiles and caches what it has not yet)."""
    from sim.batch import run_batch

    run_batch(list(WARMUP_PARAMS), seeds=list(range(len(WARMUP_PARAMS))), days=WARMUP_DAYS)


class Spinner:
    """A line on ``stream`` that spins while a slow step runs (a plain line when not a terminal)."""

    FRAMES = "|/-\\"

    def __init__(self, text: str, stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.text, self.stream, self.interval = text, stream or sys.stderr, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __enter__(self) -> Spinner:
        self.start = time.perf_counter()
        if self.tty:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        else:
            self.stream.write(f"commsim: {self.text}...\n")
            self.stream.flush()
        return self

    def _spin(self) -> None:
        for frame in itertools.cycle(self.FRAMES):
            seconds = time.perf_counter() - self.start
            self.stream.write(f"\rcommsim: {self.text}... {frame} {seconds:.0f} s")
            self.stream.flush()
            if self._stop.wait(self.interval):
                return

    def __exit__(self, kind, value, tb) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        seconds = time.perf_counter() - self.start
        end = "done" if kind is None else "interrupted"
        prefix = "\r" if self.tty else ""
        self.stream.write(f"{prefix}commsim: {self.text}... {end} in {seconds:.0f} s\n")
        self.stream.flush()


def prepare_engine(stream: TextIO | None = None,
                   compile_fn: Callable[[], None] = compile_all) -> bool:
    """Compile the kernels now, with a notice, if the cache lacks any; True if it compiled."""
    if not cold_kernels():
        return False
    with Spinner(NOTICE, stream):
        compile_fn()
    return True
