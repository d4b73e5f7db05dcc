"""Every `commsim` command in the README runs as written (in a scratch folder holding the
README's sample files), except a few named below with the reason and the test that covers them
instead. A README command that is neither run nor listed fails this test."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# commands not run here: (why, where they are tested instead)
NOT_RUN = {
    "commsim sweep shills_count --out results/shills --resume":
        "500 runs of 180 days; a --resume that starts a sweep: tests/test_advice.py",
    "commsim sweep sensitivity_levers --executor dask":
        "8,192 runs on a local Dask cluster: tests/test_dask.py",
    "commsim sweep sensitivity_levers --executor dask --scheduler tcp://host:8786":
        "needs a Dask scheduler at that address: tests/test_dask.py",
    "commsim sweep sensitivity_levers --out results/sens":
        "8,192 runs: tests/test_sensitivity.py runs small Saltelli designs",
    "commsim sensitivity results/sens": "needs the sweep above: tests/test_sensitivity.py",
    "commsim viz --lesson shills": "a server until Ctrl-C: tests/test_viz.py drives it",
    "commsim optimize optimize_300 --workers 2":
        "240 candidates on 16 seeds: tests/test_optimize.py runs small problems end to end",
    "commsim run 'results/optimize_300-*/plans/plan_05.toml'":
        "needs the search above: tests/test_optimize.py runs its plan files",
    "commsim sweep playbook_worlds --out results/worlds":
        "1,024 runs: tests/test_discover.py sweeps a small design",
    "commsim discover results/worlds 'active_members_d90 < 10'":
        "needs the sweep above: tests/test_discover.py",
    "commsim run baseline --replicates 200 --days 455 --record members,groups --out results/b":
        "200 runs of 455 days: tests/test_records.py records small runs",
    "commsim facts results/b --against club.parquet --html facts.html":
        "needs the runs above: tests/test_facts.py compares a recorded folder with a log",
    "commsim viz --compare baseline shills=2,shills_start=30":
        "a server until Ctrl-C: tests/test_viz_compare.py drives it",
}
# the same command, made small where its defaults take minutes (options appended)
TINY = {
    "commsim calibrate slack.parquet --group questions -o questions.toml":
        ["--trials", "4", "--replicates", "2", "--restarts", "1"],
}


def readme_commands() -> list[str]:
    """The `commsim ...` commands of the README's bash blocks, in order, comments dropped."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words[:1] == ["commsim"]:
                    commands.append(shlex.join(words))
    return commands


def test_every_skipped_command_is_still_in_the_readme():
    commands = readme_commands()
    assert len(commands) > 15
    for command in NOT_RUN:
        assert command in commands, f"{command!r} left the README: drop it from NOT_RUN"


@pytest.mark.slow
def test_every_readme_command_runs_as_written(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMMSIM_SALT", "readme-test-salt")
    monkeypatch.setenv("COMMSIM_CACHE_DIR", str(tmp_path / "cache"))
    for command in readme_commands():
        if command in NOT_RUN:
            continue
        argv = shlex.split(command)[1:] + TINY.get(command, [])
        code = main(argv)
        out = capsys.readouterr()
        assert code == 0, f"README: `{command}` exited {code}:\n{out.err[-2000:]}"
        assert "Traceback" not in out.err


def test_the_readme_error_example_prints_what_it_shows(capsys):
    shown = re.search(r"\$ (commsim run .*)\n(commsim: error: .*)\n", README)
    assert main(shlex.split(shown[1])[1:]) == 2
    prefix = shown[2].split("...")[0].rstrip("; ")
    assert capsys.readouterr().err.startswith(prefix)
