"""Bad inputs to every command: each is one line ``commsim: error: ...`` naming the problem, exit
code 2, no traceback, and nothing changed on disk around it (issue 17, item 5).

Each case builds its files in a fresh folder, runs ``sim.cli.main`` in that folder (in this
process), and compares every file, folder and link under the test's folder before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments import load_experiment
from sim.store import LOCK, MANIFEST, FolderLock, file_digest
from sim.sweep import run_experiment

TINY = """name = "tiny"
scenarios = ["baseline", "shills"]
replicates = 2
days = 8
seed = 3
"""
EVENTS = ("time,group,member,event\n2024-01-01T09:00:00Z,alpha,a1,message\n"
          "2024-01-02T09:00:00Z,alpha,a2,message\n")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """A complete results folder of a tiny sweep (copied into each case that needs one)."""
    base = tmp_path_factory.mktemp("made")
    (base / "tiny.toml").write_text(TINY, encoding="utf-8")
    run_experiment(load_experiment(base / "tiny.toml"), base / "res", ["test"], progress=False)
    return base / "res"


@dataclass
class Case:
    """Arguments (``{t}`` is the case's folder), the words the error must hold, and the files
    to make first."""

    args: list[str]
    words: list[str]
    setup: list[Callable[[Path, Path], object]] = field(default_factory=list)


# -- building blocks of the setups: each takes (the case's folder, a complete results folder) -----

def file(name: str, text: str = "keep me\n") -> Callable[[Path, Path], None]:
    def make(t: Path, _: Path) -> None:
        (t / name).parent.mkdir(parents=True, exist_ok=True)
        (t / name).write_text(text, encoding="utf-8")
    return make


def folder(name: str) -> Callable[[Path, Path], None]:
    return lambda t, _: (t / name).mkdir(parents=True, exist_ok=True)


def link(name: str, target: str) -> Callable[[Path, Path], None]:
    return lambda t, _: (t / name).symlink_to(t / target)


def results_copy(name: str = "res") -> Callable[[Path, Path], None]:
    return lambda t, res: shutil.copytree(res, t / name, symlinks=True)


def edit_manifest(change: Callable[[dict], object], name: str = "res"
                  ) -> Callable[[Path, Path], None]:
    def make(t: Path, _: Path) -> None:
        path = t / name / MANIFEST
        data = json.loads(path.read_text())
        new = change(data)
        path.write_text(json.dumps(data if new is None else new))
    return make


def _redigest(t: Path, rel: str) -> None:
    """Record the edited table's sha256 in its manifest, as if commsim had written it, so that
    the checks behind the digest's are reached too."""
    manifest = (t / rel).parent / MANIFEST
    data = json.loads(manifest.read_text())
    data["files"][(t / rel).name] = file_digest(t / rel)
    manifest.write_text(json.dumps(data))


def truncate(rel: str, redigest: bool = True) -> Callable[[Path, Path], None]:
    def make(t: Path, _: Path) -> None:
        data = (t / rel).read_bytes()
        (t / rel).write_bytes(data[: len(data) // 2])
        if redigest:
            _redigest(t, rel)
    return make


def edit_table(rel: str, change: Callable[[pd.DataFrame], pd.DataFrame], redigest: bool = True
               ) -> Callable[[Path, Path], None]:
    def make(t: Path, _: Path) -> None:
        change(pd.read_parquet(t / rel)).to_parquet(t / rel, index=False)
        if redigest:
            _redigest(t, rel)
    return make


def hold_lock(name: str = "res") -> Callable[[Path, Path], object]:
    """Another writer: the folder's lock held (by this process, through its own file)."""
    return lambda t, _: FolderLock.acquire(t / name)


def webapp(name: str = "site") -> list[Callable[[Path, Path], None]]:
    """A folder that merely holds a file called manifest.json (a web app's)."""
    return [file(f"{name}/manifest.json", '{"name": "my app", "start_url": "/"}\n'),
            file(f"{name}/index.html", "<html>my app</html>\n")]


def toml(name: str, text: str) -> Callable[[Path, Path], None]:
    return file(name, text)


RUN = ["run", "baseline", "--days", "5", "--replicates", "1"]
NOT_OURS = "not a commsim results folder"
EXISTS = "the file exists; add --force to replace it"

CASES: dict[str, Case] = {
    # -- run and sweep: where results go ----------------------------------------------------------
    "run --out is a file": Case(RUN + ["--out", "{t}/notes.txt"], ["notes.txt", "is a file"],
                                [file("notes.txt")]),
    "run --out is a file, --force": Case(RUN + ["--out", "{t}/notes.txt", "--force"],
                                         ["notes.txt", "is a file"], [file("notes.txt")]),
    "run --out under a file": Case(RUN + ["--out", "{t}/notes.txt/res"],
                                   ["notes.txt", "is a file, not a folder"], [file("notes.txt")]),
    "run --out is a link to a folder": Case(RUN + ["--out", "{t}/ln"], ["symbolic link"],
                                            [folder("real"), link("ln", "real")]),
    "run --force through a link": Case(RUN + ["--out", "{t}/ln", "--force"], ["symbolic link"],
                                       [results_copy(), link("ln", "res")]),
    "run --out empty, --force, in a folder of other files": Case(
        RUN + ["--out", "", "--force"], [NOT_OURS], [file("thesis.tex")]),
    "run --out name too long": Case(RUN + ["--out", "{t}/" + "x" * 300],
                                    ["not a usable folder name"]),
    "run --out unwritable (/proc)": Case(RUN + ["--out", "/proc/commsim-test/res"],
                                         ["/proc/commsim-test/res"]),
    "run --out exists": Case(RUN + ["--out", "{t}/res"], ["already exists", "--force"],
                             [results_copy()]),
    "run --force on a web app folder": Case(RUN + ["--out", "{t}/site", "--force"],
                                            [NOT_OURS, "site"], webapp()),
    "run --force on a folder whose manifest is a list": Case(
        RUN + ["--out", "{t}/res", "--force"], [NOT_OURS],
        [results_copy(), edit_manifest(lambda m: [m])]),
    "run --force on a manifest without the marker": Case(
        RUN + ["--out", "{t}/res", "--force"], [NOT_OURS],
        [results_copy(), edit_manifest(lambda m: m.pop("commsim_results") and None)]),
    "run --force on a folder being written": Case(
        RUN + ["--out", "{t}/res", "--force"], ["being written by another commsim", "process"],
        [results_copy(), hold_lock()]),
    "sweep --resume on a folder being written": Case(
        ["sweep", "{t}/tiny.toml", "--out", "{t}/res", "--resume", "--workers", "1"],
        ["being written by another commsim"],
        [toml("tiny.toml", TINY), results_copy(), hold_lock()]),
    "sweep --resume on a web app folder": Case(
        ["sweep", "smoke", "--out", "{t}/site", "--resume", "--workers", "1"], [NOT_OURS],
        webapp()),
    "sweep --resume, manifest a list": Case(
        ["sweep", "{t}/tiny.toml", "--out", "{t}/res", "--resume", "--workers", "1"],
        [NOT_OURS], [toml("tiny.toml", TINY), results_copy(), edit_manifest(lambda m: [m])]),
    "sweep --resume, manifest not JSON": Case(
        ["sweep", "{t}/tiny.toml", "--out", "{t}/res", "--resume", "--workers", "1"],
        ["unreadable manifest"], [toml("tiny.toml", TINY), results_copy(),
                                  file("res/manifest.json", "{not json")]),
    "sweep --resume, chunks edited": Case(
        ["sweep", "{t}/tiny.toml", "--out", "{t}/res", "--resume", "--workers", "1"],
        ["was edited"], [toml("tiny.toml", TINY), results_copy(),
                         edit_manifest(lambda m: m.update(status="running", chunks="all"))]),
    "sweep --resume, another experiment": Case(
        ["sweep", "smoke", "--out", "{t}/res", "--resume", "--workers", "1"],
        ["holds another experiment"], [results_copy()]),
    "sweep --resume, the newest folder is not commsim's": Case(
        ["sweep", "smoke", "--resume", "--workers", "1"], ["no unfinished results/smoke-*"],
        [file("results/smoke-20250101T000000Z/manifest.json", "[1, 2]"),
         file("results/smoke-20250102T000000Z/manifest.json", '{"experiment": "smoke"}')]),
    "sweep --resume with --force": Case(["sweep", "smoke", "--resume", "--force"],
                                        ["contradict"]),
    "sweep --scheduler without dask": Case(["sweep", "smoke", "--scheduler", "tcp://x:1"],
                                           ["--executor dask"]),
    "sweep --out is a link": Case(["sweep", "smoke", "--out", "{t}/ln", "--workers", "1"],
                                  ["symbolic link"], [folder("real"), link("ln", "real")]),
    "sweep --workers 0": Case(["sweep", "smoke", "--workers", "0"], ["--workers", "0"]),
    # -- names from files are names, not paths ----------------------------------------------------
    "experiment name ../../x": Case(
        ["sweep", "{t}/e.toml", "--workers", "1"], ["name", "../../x", "letters, digits"],
        [toml("e.toml", 'name = "../../x"\nscenarios = ["baseline"]\nreplicates = 1\n')]),
    "experiment name absolute": Case(
        ["sweep", "{t}/e.toml", "--workers", "1"], ["/tmp/escape", "cannot be a path"],
        [toml("e.toml", 'name = "/tmp/escape"\nscenarios = ["baseline"]\nreplicates = 1\n')]),
    "experiment name with a space": Case(
        ["validate", "{t}/experiments/e.toml"], ["my exp", "letters, digits"],
        [toml("experiments/e.toml", 'name = "my exp"\nscenarios = ["baseline"]\n')]),
    "experiment scenarios absolute path": Case(
        ["sweep", "{t}/exp/e.toml", "--workers", "1"], ["outside", "--allow-paths"],
        [toml("other/x.toml", "[params]\nshills = 1\n"),
         lambda t, _: toml("exp/e.toml", f'scenarios = ["{t}/other/x.toml"]\n')(t, _)]),
    "experiment scenarios ../ path": Case(
        ["sweep", "{t}/exp/e.toml", "--workers", "1"], ["../other/x.toml", "--allow-paths"],
        [toml("other/x.toml", "[params]\nshills = 1\n"),
         toml("exp/e.toml", 'scenarios = ["../other/x.toml"]\n')]),
    "scenario extends ../ path": Case(
        ["run", "{t}/s/a.toml"], ["extends", "../other/x", "--allow-paths"],
        [toml("other/x.toml", "[params]\nshills = 1\n"),
         toml("s/a.toml", 'extends = "../other/x"\n')]),
    "scenario extends absolute path": Case(
        ["show", "{t}/s/a.toml"], ["extends", "/etc/passwd", "not allowed"],
        [toml("s/a.toml", 'extends = "/etc/passwd"\n')]),
    "scenario name is a path": Case(
        ["validate", "{t}/scenarios/x.toml"], ["name", "../x", "cannot be a path"],
        [toml("scenarios/x.toml", 'name = "../x"\n')]),
    "scenario file name with a space": Case(
        ["run", "{t}/my group.toml"], ["my group", "letters, digits"],
        [toml("my group.toml", "[params]\nshills = 1\n")]),
    "experiment via scenario with path extends": Case(
        ["sweep", "{t}/e.toml", "--workers", "1"], ["extends", "--allow-paths"],
        [toml("scenarios/a.toml", 'extends = "../../a"\n'),
         toml("e.toml", 'scenarios = ["a"]\nreplicates = 1\n')]),
    # -- compare, report, sensitivity: damaged, mismatched or malformed results folders ----------
    "compare truncated runs.parquet": Case(["compare", "{t}/res"],
                                           ["runs.parquet", "not a readable parquet"],
                                           [results_copy(), truncate("res/runs.parquet")]),
    "report truncated runs.parquet": Case(["report", "{t}/res", "-o", "{t}/r.html"],
                                          ["runs.parquet", "not a readable parquet"],
                                          [results_copy(), truncate("res/runs.parquet")]),
    "compare truncated daily.parquet": Case(["compare", "{t}/res"],
                                            ["daily.parquet", "not a readable parquet"],
                                            [results_copy(), truncate("res/daily.parquet")]),
    "compare runs without scenario": Case(
        ["compare", "{t}/res"], ["runs.parquet", "no column 'scenario'"],
        [results_copy(), edit_table("res/runs.parquet", lambda d: d.drop(columns="scenario"))]),
    "report runs without run_id": Case(
        ["report", "{t}/res", "-o", "{t}/r.html"], ["no column 'run_id'"],
        [results_copy(), edit_table("res/runs.parquet", lambda d: d.drop(columns="run_id"))]),
    "compare run_id as text": Case(
        ["compare", "{t}/res"], ["run_id", "not whole numbers"],
        [results_copy(), edit_table("res/runs.parquet",
                                    lambda d: d.assign(run_id=d["run_id"].astype(str)))]),
    "compare manifest a JSON list": Case(["compare", "{t}/res"], ["json object", "list"],
                                         [results_copy(), edit_manifest(lambda m: [m])]),
    "report manifest a JSON list": Case(["report", "{t}/res", "-o", "{t}/r.html"],
                                        ["json object", "list"],
                                        [results_copy(), edit_manifest(lambda m: [m])]),
    "sensitivity manifest a JSON list": Case(["sensitivity", "{t}/res"], ["json object"],
                                             [results_copy(), edit_manifest(lambda m: [m])]),
    "compare manifest without marker": Case(
        ["compare", "{t}/res"], [NOT_OURS, "commsim_results"],
        [results_copy(), edit_manifest(lambda m: m.pop("commsim_results") and None)]),
    "compare manifest not JSON": Case(["compare", "{t}/res"], ["unreadable manifest"],
                                      [results_copy(), file("res/manifest.json", "{oops")]),
    "compare web app folder": Case(["compare", "{t}/site"], [NOT_OURS],
                                   webapp()),
    "compare replicates edited": Case(
        ["compare", "{t}/res"], ["n_runs", "edited"],
        [results_copy(), edit_manifest(lambda m: m["experiment"].update(replicates=5))]),
    "report scenarios edited": Case(
        ["report", "{t}/res", "-o", "{t}/r.html"], ["experiment.scenarios"],
        [results_copy(), edit_manifest(lambda m: m["experiment"].update(scenarios="baseline"))]),
    "compare experiment not a table": Case(
        ["compare", "{t}/res"], ["'experiment' is not a table"],
        [results_copy(), edit_manifest(lambda m: m.update(experiment=[1, 2]))]),
    "compare points edited": Case(
        ["compare", "{t}/res"], ["experiment.points"],
        [results_copy(), edit_manifest(lambda m: m["experiment"].update(points=[1]))]),
    "compare runs of another sweep": Case(
        ["compare", "{t}/res"], ["does not list", "different sweeps"],
        [results_copy(), edit_table("res/runs.parquet",
                                    lambda d: d.assign(scenario="fee_99"))]),
    "compare runs cut short": Case(
        ["compare", "{t}/res"], ["holds 2 runs", "says 4"],
        [results_copy(), edit_table("res/runs.parquet", lambda d: d.iloc[:2])]),
    "compare run ids out of range": Case(
        ["compare", "{t}/res"], ["run ids outside 0 to 3"],
        [results_copy(), edit_table("res/runs.parquet", lambda d: d.assign(run_id=d.run_id + 7))]),
    "report daily of other runs": Case(
        ["report", "{t}/res", "-o", "{t}/r.html"], ["daily.parquet", "different sweeps"],
        [results_copy(), edit_table("res/daily.parquet", lambda d: d.assign(run_id=d.run_id + 9))]),
    "compare runs.parquet edited": Case(
        ["compare", "{t}/res"], ["runs.parquet", "not the file this sweep wrote"],
        [results_copy(), edit_table("res/runs.parquet", lambda d: d.assign(joined=0),
                                    redigest=False)]),
    "report daily.parquet cut short": Case(
        ["report", "{t}/res", "-o", "{t}/r.html"], ["daily.parquet", "sha256 differs"],
        [results_copy(), truncate("res/daily.parquet", redigest=False)]),
    "compare runs of another seed": Case(
        ["compare", "{t}/res"], ["seed", "not those of its experiment"],
        [results_copy(), edit_table("res/runs.parquet", lambda d: d.assign(seed=d.seed + 1))]),
    "report daily of other days": Case(
        ["report", "{t}/res", "-o", "{t}/r.html"], ["does not hold 8 days"],
        [results_copy(), edit_table("res/daily.parquet", lambda d: d[d.day < 4])]),
    "compare no such folder": Case(["compare", "{t}/nothing"], ["no such results folder"]),
    "compare a file": Case(["compare", "{t}/notes.txt"], ["is a file, not a results folder"],
                           [file("notes.txt")]),
    "compare folder without manifest": Case(["compare", "{t}/empty"], ["has no manifest.json"],
                                            [folder("empty")]),
    "compare unknown outcome": Case(["compare", "{t}/res", "--outcome", "joyness"],
                                    ["unknown outcome"], [results_copy()]),
    # -- output files: never replaced without --force, never under a file ------------------------
    "compare -o exists": Case(["compare", "{t}/res", "-o", "{t}/old.csv"], ["old.csv", EXISTS],
                              [results_copy(), file("old.csv")]),
    "compare -o a scenario toml": Case(["compare", "{t}/res", "-o", "{t}/scenarios/mine.toml"],
                                       ["mine.toml", EXISTS],
                                       [results_copy(), toml("scenarios/mine.toml", "")]),
    "compare -o under a file": Case(["compare", "{t}/res", "-o", "{t}/notes.txt/c.csv"],
                                    ["notes.txt", "is a file, not a folder"],
                                    [results_copy(), file("notes.txt")]),
    "compare -o a folder": Case(["compare", "{t}/res", "-o", "{t}/dir"], ["it is a folder"],
                                [results_copy(), folder("dir")]),
    "compare -o a dangling link": Case(["compare", "{t}/res", "-o", "{t}/ln.csv"], [EXISTS],
                                       [results_copy(), link("ln.csv", "gone.csv")]),
    "report -o exists": Case(["report", "{t}/res", "-o", "{t}/index.html"], [EXISTS],
                             [results_copy(), file("index.html", "<html>mine</html>")]),
    "report -o under a file": Case(["report", "{t}/res", "-o", "{t}/notes.txt/r.html"],
                                   ["is a file, not a folder"],
                                   [results_copy(), file("notes.txt")]),
    "report --png a file": Case(["report", "{t}/res", "-o", "{t}/r.html", "--png",
                                 "{t}/notes.txt"], ["--png", "is a file"],
                                [results_copy(), file("notes.txt")]),
    "report --png under a file": Case(["report", "{t}/res", "-o", "{t}/r.html", "--png",
                                       "{t}/notes.txt/png"], ["--png", "is a file, not a folder"],
                                      [results_copy(), file("notes.txt")]),
    "sensitivity -o exists": Case(["sensitivity", "{t}/res", "-o", "{t}/s.csv"], [EXISTS],
                                  [results_copy(), file("s.csv")]),
    "lesson --html exists": Case(["lesson", "shills", "--html", "{t}/page.html"], [EXISTS],
                                 [file("page.html", "<html>mine</html>")]),
    "lesson --html under a file": Case(["lesson", "shills", "--html", "{t}/notes.txt/p.html"],
                                       ["is a file, not a folder"], [file("notes.txt")]),
    "lesson --html a folder": Case(["lesson", "shills", "--html", "{t}/dir"], ["--html", "dir"],
                                   [folder("dir")]),
    "lesson --replicates 0": Case(["lesson", "shills", "--replicates", "0"],
                                  ["--replicates", "0 is not in the range"]),
    "lesson unknown": Case(["lesson", "shils"], ["shils"]),
    "import -o exists": Case(["import", "{t}/e.csv", "-o", "{t}/e.parquet"],
                             ["e.parquet", EXISTS], [file("e.csv", EVENTS), file("e.parquet")]),
    "import -o under a file": Case(["import", "{t}/e.csv", "-o", "{t}/notes.txt/e.parquet"],
                                   ["is a file, not a folder"],
                                   [file("e.csv", EVENTS), file("notes.txt")]),
    "import missing source": Case(["import", "{t}/none.csv", "-o", "{t}/e.parquet"],
                                  ["none.csv"]),
    "measure --html exists": Case(["measure", "{t}/e.csv", "--html", "{t}/m.html"], [EXISTS],
                                  [file("e.csv", EVENTS), file("m.html")]),
    "measure -o under a file": Case(["measure", "{t}/e.csv", "-o", "{t}/notes.txt/m.csv"],
                                    ["is a file, not a folder"],
                                    [file("e.csv", EVENTS), file("notes.txt")]),
    "calibrate -o exists": Case(["calibrate", "{t}/e.csv", "-o", "{t}/fit.toml"], [EXISTS],
                                [file("e.csv", EVENTS), file("fit.toml")]),
    "calibrate --html exists": Case(["calibrate", "{t}/e.csv", "-o", "{t}/fit.toml"],
                                    ["fit.html", EXISTS],
                                    [file("e.csv", EVENTS), file("fit.html")]),
    "calibrate -o not toml": Case(["calibrate", "{t}/e.csv", "-o", "{t}/fit.csv"],
                                  ["expected a .toml"], [file("e.csv", EVENTS)]),
    "calibrate -o name with a space": Case(["calibrate", "{t}/e.csv", "-o", "{t}/my fit.toml"],
                                           ["my fit", "letters, digits"],
                                           [file("e.csv", EVENTS)]),
    "calibrate --params above the allowed range": Case(
        ["calibrate", "{t}/e.csv", "--params", "activity_sigma=0.5:99", "-o", "{t}/fit.toml"],
        ["activity_sigma", "outside what the parameter allows"], [file("e.csv", EVENTS)]),
    "calibrate --params below the allowed range": Case(
        ["calibrate", "{t}/e.csv", "--params", "leave_base=-1:0.01", "-o", "{t}/fit.toml"],
        ["leave_base", "outside what the parameter allows"], [file("e.csv", EVENTS)]),
    "calibrate --params not numbers": Case(
        ["calibrate", "{t}/e.csv", "--params", "leave_base=a:b", "-o", "{t}/fit.toml"],
        ["expected LOW:HIGH"], [file("e.csv", EVENTS)]),
    "calibrate --params set from data": Case(
        ["calibrate", "{t}/e.csv", "--params", "group_size", "-o", "{t}/fit.toml"],
        ["set from the data"], [file("e.csv", EVENTS)]),
    "calibrate --scenario extends a path": Case(
        ["calibrate", "{t}/e.csv", "--scenario", "{t}/s/a.toml", "-o", "{t}/fit.toml"],
        ["extends", "--allow-paths"],
        [file("e.csv", EVENTS), toml("s/a.toml", 'extends = "../x"\n')]),
    # the group's name is hashed on import (privacy), so the message names its hash
    "calibrate a group bigger than the model allows": Case(
        ["calibrate", "{t}/big.csv", "-o", "{t}/fit.toml"],
        ["group '", "group_size", "cannot be simulated"],
        [file("big.csv", "time,group,member,event\n" + "".join(
            f"2024-01-{1 + i % 28:02d}T09:00:00Z,big,m{i},message\n" for i in range(6000)))]),
    # -- the app ----------------------------------------------------------------------------------
    "viz --port 70000": Case(["viz", "--port", "70000"], ["--port", "70000", "1<=x<=65535"]),
    "viz --port -5": Case(["viz", "--port", "-5"], ["--port", "-5"]),
    "viz --port 0": Case(["viz", "--port", "0"], ["--port", "0"]),
    "viz --host 0.0.0.0": Case(["viz", "--host", "0.0.0.0"], ["0.0.0.0", "--public"]),
    "viz --host a LAN address": Case(["viz", "--host", "192.168.1.20"], ["--public"]),
    "viz --host ::": Case(["viz", "--host", "::"], ["--public"]),
    # -- the command line itself ------------------------------------------------------------------
    "unknown command": Case(["frobnicate"], ["no such command"]),
    "unknown option": Case(["run", "baseline", "--dayz", "3"], ["--dayz"]),
    "run --days 0": Case(["run", "baseline", "--days", "0"], ["--days", "0"]),
    "run --seed -1": Case(["run", "baseline", "--seed", "-1"], ["--seed"]),
}


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file (its bytes' hash), folder and link (its target) under ``root``."""
    seen: dict[str, tuple] = {}
    for here, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(here) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                seen[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                seen[rel] = ("folder",)
            else:
                seen[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return seen


def test_the_corpus_is_large_and_covers_every_command():
    """At least 60 bad inputs, across every command that reads or writes files."""
    assert len(CASES) >= 60
    commands = {c.args[0] for c in CASES.values()}
    assert {"run", "sweep", "validate", "show", "compare", "report", "sensitivity", "lesson",
            "import", "measure", "calibrate", "viz"} <= commands


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_input_is_one_line_exit_2_and_changes_nothing(name, results, tmp_path, capsys,
                                                            monkeypatch):
    """One line `commsim: error: ...` with the words that name the problem, exit 2, no
    traceback, and every file, folder and link around it as it was."""
    case = CASES[name]
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("COMMSIM_SALT", "a test salt")  # no salt file made in the home folder
    made = [make(work, results) for make in case.setup]
    held = [m for m in made if isinstance(m, FolderLock)]
    before = snapshot(tmp_path)
    args = [a.replace("{t}", str(work)) for a in case.args]
    try:
        code = main(args)
    finally:
        for lock in held:
            lock.release()
    out, err = capsys.readouterr()
    assert code == 2, f"exit {code}; stdout: {out}; stderr: {err}"
    assert "Traceback" not in err + out
    lines = err.strip().splitlines()
    # one line per mistake: a file with several mistakes reports them all at once (issue 13)
    assert lines and all(line.startswith("commsim: error: ") for line in lines), err
    for word in case.words:
        assert word.lower() in err.lower(), f"{word!r} not in: {err}"
    after = snapshot(tmp_path)
    if held:  # the other writer's lock file is its own business
        after.pop(f"{'work/res/' + LOCK}", None)
        before.pop(f"{'work/res/' + LOCK}", None)
    assert after == before, "files changed: " + ", ".join(
        sorted(set(after.items()) ^ set(before.items()), key=str)[:6].__repr__())
