"""The command line starts without the heavy libraries, and its lazy command table is true."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from sim import cli

HEAVY = ("numba", "pandas", "plotly", "scipy")

PROBE = """
import json, sys
from sim.cli import main
code = main(sys.argv[1:])
print("\\nMODULES=" + json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
"""


def _imported(*args: str) -> tuple[str, set[str]]:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         check=True).stdout
    text, _, modules = out.rpartition("\nMODULES=")
    return text, set(json.loads(modules))


@pytest.mark.parametrize("args", [["--help"], ["scenarios"], ["run", "--help"],
                                  ["sweep", "--help"]])
def test_start_imports_no_heavy_library(args):
    text, modules = _imported(*args)
    assert text.strip(), "the command printed nothing"
    assert not modules & set(HEAVY), f"commsim {' '.join(args)} imported {modules & set(HEAVY)}"


def test_help_lists_every_lazy_command_without_loading_it():
    text, modules = _imported("--help")
    for name, (_, line) in cli.LAZY_COMMANDS.items():
        assert f"  {name} " in text and line.split()[0] in text
    assert "sim.lessons" not in modules  # the lessons package pulls plotly


def test_each_lazy_line_names_the_command_it_loads():
    for name, (target, line) in cli.LAZY_COMMANDS.items():
        command = cli._load(target)
        assert isinstance(command, click.Command) and command.name == name, target
        assert line and len(line) < 70 and "\n" not in line


def test_limits_match_the_scenario_module():
    from sim import scenarios

    assert (cli.MAX_DAYS, cli.MAX_SEED) == (scenarios.MAX_DAYS, scenarios.MAX_SEED)


def test_unknown_command_is_a_usage_error(capsys):
    assert cli.main(["lesons"]) == 2
    assert "No such command 'lesons'" in capsys.readouterr().err
