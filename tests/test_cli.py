"""The ``commsim`` command line, run as a subprocess (``python -m sim``): every command works, a
sweep killed at any moment resumes to the same files, and every bad input is one clear line with
exit code 2 and no traceback."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiments import load_experiment
from sim.scenarios import bundled_dir
from sim.sweep import run_experiment
from tests.conftest import HANG

REPO = bundled_dir().parent
# big, long runs, so that a chunk takes long enough for Ctrl-C to land mid-sweep (at issue 12's
# defaults a 200-invite group holds few members for months and a 90-day sweep ended first)
SWEEP = """
name = "killme"
scenarios = ["baseline", "daily_digest"]
replicates = 12
days = 365
seed = 11
[vary]
entry_fee = [0.0, 9.0]
group_size = [1000]
"""


def commsim(*args: str, cwd: Path | None = None, timeout: float = HANG
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_part(out: Path, process: subprocess.Popen) -> None:
    """Block until the manifest lists at least one saved chunk.

    The manifest, not the parts folder: a part file is written before the manifest records its
    chunk, so a sweep killed between the two has a part and no recorded chunk (the test that
    waited for the file failed 3 times in 7 on a busy machine). The manifest is replaced
    atomically, so every read sees a whole file."""
    manifest = out / "manifest.json"
    deadline = time.monotonic() + HANG  # a hang guard only
    while not manifest.is_file() or not json.loads(manifest.read_text())["chunks"]:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sweep hung before saving a chunk"
        time.sleep(0.02)


def tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "runs.parquet"), pd.read_parquet(out / "daily.parquet")


def assert_same_tables(out: Path, reference: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    for got, want in zip(tables(out), reference):
        pd.testing.assert_frame_equal(got, want, check_exact=True)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "killme.toml").write_text(SWEEP, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(sweep_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 48-run sweep, uninterrupted, in this process."""
    result = run_experiment(load_experiment(sweep_dir / "killme.toml"), sweep_dir / "reference",
                            ["test"], progress=False)
    return tables(result.path)


def test_version_prints_the_package_version():
    """--version prints commsim's version."""
    done = commsim("--version")
    assert done.returncode == 0 and sim.__version__ in done.stdout


def test_no_arguments_prints_help_and_succeeds():
    """`python -m sim` alone prints the help and exits 0."""
    done = commsim()
    assert done.returncode == 0 and "Commands:" in done.stdout and "sweep" in done.stdout


@pytest.mark.parametrize("command", ["", "scenarios", "experiments", "show", "validate", "run",
                                     "sweep"])
def test_every_command_has_help_with_an_example(command):
    """--help works on every command and shows an example."""
    done = commsim(*command.split(), "--help")
    assert done.returncode == 0 and "Example" in done.stdout


def test_scenarios_lists_every_shipped_scenario():
    """`commsim scenarios` names every scenario file with its description."""
    done = commsim("scenarios")
    assert done.returncode == 0
    for path in bundled_dir().glob("*.toml"):
        assert f"{path.stem}  (" in done.stdout
    assert "unmanaged new group" in done.stdout


def test_show_prints_resolved_parameters_with_unit_and_source():
    """`commsim show fee_99` marks the override and gives each parameter's unit and source."""
    done = commsim("show", "fee_99")
    assert done.returncode == 0
    line = next(x for x in done.stdout.splitlines() if " entry_fee " in x)
    assert line.startswith("*") and "99.0" in line and "yuan" in line and "P7" in line
    assert "shills" in done.stdout and "baseline -> fee_99" in done.stdout


def test_validate_accepts_every_shipped_file():
    """`commsim validate` checks all shipped scenario and experiment files, exit 0."""
    files = sorted(map(str, [*bundled_dir().glob("*.toml"),
                             *(REPO / "experiments").glob("*.toml")]))
    done = commsim("validate", *files)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("ok  ") == len(files)
    assert "experiment 'smoke'" in done.stdout and "scenario 'fee_99'" in done.stdout


def test_run_with_set_prints_tables_and_saves_results(tmp_path):
    """`commsim run` applies --set, prints the daily and outcome tables, writes results/."""
    done = commsim("run", "baseline", "--days", "20", "--replicates", "2", "--every", "5",
                   "--set", "entry_fee=99", "--set", "shill_roles=expert", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for words in ("Daily means", "ever spoken %", "Outcomes across runs",
                  "members who have ever spoken, at the end (%)",
                  "days until the group fell silent (days)", "cost (yuan)"):
        assert words in done.stdout
    (out,) = (tmp_path / "results").glob("baseline-*")
    manifest = json.loads((out / "manifest.json").read_text())
    params = manifest["scenarios"]["baseline"]["params"]
    assert params["entry_fee"] == 99.0 and params["shill_roles"] == "expert"
    assert manifest["command"][:2] == ["commsim", "run"] and "entry_fee=99" in manifest["command"]
    assert len(pd.read_parquet(out / "runs.parquet")) == 2


def test_sweep_smoke_writes_tables_and_manifest(tmp_path):
    """`commsim sweep smoke` on 2 workers writes both tables and a complete manifest."""
    done = commsim("sweep", "smoke", "--workers", "2", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Means per scenario" in done.stdout
    runs, daily = tables(tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["n_runs"] == len(runs) == 12
    assert len(daily) == 12 * 60 and set(runs.scenario) == {"baseline", "daily_digest"}
    assert manifest["command"] == ["commsim", "sweep", "smoke", "--workers", "2", "--out", "out"]


def test_one_or_two_workers_give_identical_files(sweep_dir, reference):
    """--workers 1 and --workers 2 (with other chunk sizes) write the same tables."""
    for workers, chunk in (("1", "5"), ("2", "3")):
        out = sweep_dir / f"w{workers}"
        done = commsim("sweep", "killme.toml", "--workers", workers, "--chunk-size", chunk,
                       "--out", out.name, "--quiet", cwd=sweep_dir)
        assert done.returncode == 0, done.stderr
        assert_same_tables(out, reference)
    assert (sweep_dir / "w1" / "runs.parquet").read_bytes() == \
        (sweep_dir / "w2" / "runs.parquet").read_bytes()


def test_sweep_killed_midway_resumes_to_the_same_files(sweep_dir, reference):
    """After SIGKILL mid-sweep, --resume runs what is missing; the tables equal a clean sweep."""
    out = sweep_dir / "killed"
    process = start("sweep", "killme.toml", "--workers", "2", "--chunk-size", "2",
                    "--out", out.name, cwd=sweep_dir)
    wait_for_part(out, process)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "running" and 0 < len(manifest["chunks"]) < 24
    done = commsim("sweep", "killme.toml", "--out", out.name, "--resume", "--workers", "1",
                   cwd=sweep_dir)
    assert done.returncode == 0, done.stderr
    assert_same_tables(out, reference)


def test_ctrl_c_prints_the_resume_command_which_finishes_the_sweep(sweep_dir, reference):
    """SIGINT exits 130 with no traceback and prints a command that resumes to the same files."""
    out = sweep_dir / "interrupted"
    process = start("sweep", "killme.toml", "--workers", "2", "--chunk-size", "2",
                    "--out", out.name, cwd=sweep_dir)
    wait_for_part(out, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=HANG)
    assert process.returncode == 130 and "Traceback" not in stderr, stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    line = next(x for x in stderr.splitlines() if x.startswith("resume with: "))
    argv = shlex.split(line.removeprefix("resume with: "))
    assert argv[:2] == ["commsim", "sweep"] and "--resume" in argv
    done = commsim(*argv[1:], cwd=sweep_dir)
    assert done.returncode == 0, done.stderr
    assert_same_tables(out, reference)


def test_an_existing_output_folder_is_not_overwritten(sweep_dir, reference):
    """A sweep into an existing folder without --resume or --force exits 2 and keeps it."""
    before = (sweep_dir / "reference" / "runs.parquet").read_bytes()
    done = commsim("sweep", "killme.toml", "--out", "reference", cwd=sweep_dir)
    assert done.returncode == 2 and "already exists" in done.stderr
    assert (sweep_dir / "reference" / "runs.parquet").read_bytes() == before


def test_resume_with_another_experiment_is_refused(sweep_dir, reference):
    """--resume of a folder made by another experiment exits 2 and says so."""
    done = commsim("sweep", "smoke", "--out", "reference", "--resume", cwd=sweep_dir)
    assert done.returncode == 2 and "holds another experiment" in done.stderr


BAD_FILES = {
    "toml": ("s", "[params\nshills = 2\n", ["invalid TOML", "line 1"]),
    "key": ("s", "descripton = 'x'\n", ["unknown key 'descripton'", "'description'"]),
    "param": ("s", "[params]\nshils = 2\n", ["unknown parameter 'shils'", "'shills'"]),
    "type": ("s", "[params]\nshills = 2.5\n", ["'shills' = 2.5", "whole number"]),
    "range": ("s", "[params]\nentry_fee = -1\n", ["'entry_fee' = -1", "from 0 to 100000"]),
    "extends": ("s", "extends = 'nope'\n", ["unknown scenario 'nope'", "known scenarios",
                                            "baseline"]),
    "scenarios": ("e", "scenarios = ['baseline', 'nope']\n", ["unknown scenario 'nope'",
                                                              "known scenarios"]),
    "vary": ("e", "scenarios = ['baseline']\n[vary]\nshils = [1]\n", ["'shils'", "'shills'"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_one_clear_error_with_exit_2(tmp_path, case):
    """Invalid TOML, unknown keys, bad values, unknown scenarios: exit 2, named, no traceback."""
    kind, text, words = BAD_FILES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    done = commsim("run" if kind == "s" else "sweep", str(path), "--out", "o", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("commsim: error: ") and str(path) in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert not (tmp_path / "o").exists()


def test_validate_reports_every_bad_file_and_exits_2(tmp_path):
    """`commsim validate` goes on past a bad file, reports it and exits 2."""
    (tmp_path / "a.toml").write_text("[params]\nshills = -1\n")
    (tmp_path / "b.toml").write_text("[params]\nshills = 1\n")
    done = commsim("validate", "a.toml", "b.toml", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "a.toml" in done.stderr and "ok  b.toml" in done.stdout


def test_a_cycle_of_extends_is_one_clear_error(tmp_path):
    """a extends b extends a: exit 2 naming the cycle."""
    (tmp_path / "a.toml").write_text('extends = "b"\n')
    (tmp_path / "b.toml").write_text('extends = "a"\n')
    done = commsim("run", "a.toml", cwd=tmp_path)
    assert done.returncode == 2 and "cycle: a -> b -> a" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args, words", [
    (["run", "missing.toml"], ["missing.toml: no such file"]),
    (["sweep", "missing.toml"], ["missing.toml: no such file"]),
    (["run", "basline"], ["unknown scenario 'basline'", "did you mean 'baseline'"]),
    (["run", "baseline", "--set", "entry_fee"], ["--set \"entry_fee\"", "expected key=value"]),
    (["run", "baseline", "--set", "entry_fe=9"], ["unknown parameter 'entry_fe'",
                                                  "did you mean 'entry_fee'"]),
    (["run", "baseline", "--set", "entry_fee=abc"], ["--set", "'entry_fee' = \"abc\"",
                                                     "a number from 0"]),
    (["run", "baseline", "--set", "checkin=yes"], ["'checkin' = \"yes\"", "true or false"]),
    (["run", "baseline", "--days", "0"], ["--days", "0"]),
])
def test_bad_arguments_are_one_clear_error_with_exit_2(tmp_path, args, words):
    """Missing files, unknown names and bad --set values: exit 2, named, no traceback."""
    done = commsim(*args, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert not (tmp_path / "results").exists()


def test_the_worker_processes_end_with_a_killed_sweep(sweep_dir):
    """Workers of a SIGKILLed sweep notice and exit instead of waiting for ever."""
    out = sweep_dir / "orphans"
    process = start("sweep", "killme.toml", "--workers", "2", "--chunk-size", "2",
                    "--out", out.name, cwd=sweep_dir)
    wait_for_part(out, process)
    children = [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()]
    process.send_signal(signal.SIGKILL)
    process.communicate()
    deadline = time.monotonic() + HANG  # a hang guard: the children go once they see the kill
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert children and not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its new parent) counts as ended
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")
