"""The first-run notice: shown while kernels compile, silent once numba's cache is warm."""

from __future__ import annotations

import io

from sim import warmup


def test_every_engine_kernel_is_found_and_inline_helpers_are_not():
    names = warmup.kernels()
    assert "sim.phases.posting._post" in names and "sim.outcomes._tally" in names
    assert not any(n.endswith((".draw", ".pair_key")) for n in names)  # inlined, never cached


def test_after_compiling_no_kernel_is_cold_and_nothing_is_shown():
    warmup.compile_all()  # the warm-up run reaches every kernel, so the cache is complete
    assert warmup.cold_kernels() == []
    out = io.StringIO()
    assert warmup.prepare_engine(out, compile_fn=lambda: 1 / 0) is False
    assert out.getvalue() == ""


def test_a_cold_cache_shows_the_notice_while_compiling(monkeypatch):
    monkeypatch.setattr(warmup, "cold_kernels", lambda: ["sim.phases.posting._post"])
    calls, out = [], io.StringIO()
    assert warmup.prepare_engine(out, compile_fn=lambda: calls.append(1)) is True
    assert calls == [1]
    lines = out.getvalue().splitlines()
    assert lines[0] == f"commsim: {warmup.NOTICE}..." and lines[-1].endswith("s")
    assert "done in" in lines[-1]


def test_the_cache_lives_beside_the_package_or_in_numbas_user_cache():
    folders = warmup.cache_folders()
    assert folders and all(f.name == "__pycache__" or "numba" in str(f) for f in folders)


def test_a_second_process_loads_the_kernels_from_disk_without_compiling():
    """After one process compiled the kernels, the next one finds every kernel in numba's cache
    (cache hits, no misses): the compile is paid once per install."""
    import json
    import subprocess
    import sys

    warmup.compile_all()
    probe = ("import json; from sim import warmup; warmup.compile_all(); "
             "s = [k.stats for k in warmup.kernels().values()]; "
             "print(json.dumps([sum(sum(x.cache_hits.values()) for x in s), "
             "sum(sum(x.cache_misses.values()) for x in s)]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    hits, misses = json.loads(out.splitlines()[-1])
    assert misses == 0 and hits >= len(warmup.kernels())
