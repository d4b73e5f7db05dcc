"""docs/ODD.md stays true to the code: its parameter tables are the generated ones, and every
phase and lever file is described."""

from __future__ import annotations

from pathlib import Path

from sim.levers import LEVERS
from sim.params import markdown_table

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")


def test_odd_parameter_tables_match_the_code():
    """The tables in section 7.11 equal `python -m sim.params` (regenerate the ODD if not)."""
    start = ODD.index("<!-- parameter tables")
    start = ODD.index("\n", start) + 1
    end = ODD.index("<!-- end of parameter tables -->")
    assert ODD[start:end] == markdown_table(), (
        "docs/ODD.md's parameter tables are stale: paste the output of `python -m sim.params`")


def test_every_phase_and_lever_file_is_described():
    """Each phase file and each lever file is named in the ODD, with its principle numbers."""
    for phase in sorted((ROOT / "sim" / "phases").glob("[a-z]*.py")):
        assert f"sim/phases/{phase.name}" in ODD, phase.name
    for lever in LEVERS:
        module = type(lever).__module__.rsplit(".", 1)[-1]
        assert f"`{module}.py`" in ODD, module
        for principle in lever.principles:
            assert principle in ODD
