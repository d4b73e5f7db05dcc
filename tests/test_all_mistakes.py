"""A scenario or experiment file with several mistakes: all of them told at once, one a line."""

from __future__ import annotations

import pytest

from sim.cli import main
from sim.errors import UserError, UserErrors
from sim.experiments import load_experiment
from sim.params import resolve
from sim.scenarios import load_scenario

SCENARIO = """
descripton = "three mistakes and a fourth"
[params]
shils = 2
entry_fee = -1
group_size = 2.5
"""

EXPERIMENT = """
scenarios = ["baseline", "nope"]
replicates = 0
[vary]
shils = [1]
entry_fee = [-1, 5]
"""


def test_resolve_reports_every_bad_parameter():
    with pytest.raises(UserErrors) as caught:
        resolve({"shils": 2, "entry_fee": -1, "group_size": 2.5, "shills": 3}, source="here")
    lines = str(caught.value).splitlines()
    assert len(lines) == 3 and all(line.startswith("here: ") for line in lines)
    assert any("'shils'" in x for x in lines) and any("'entry_fee' = -1" in x for x in lines)
    assert any("'group_size' = 2.5" in x for x in lines)


def test_one_mistake_is_still_a_plain_user_error():
    with pytest.raises(UserError) as caught:
        resolve({"entry_fee": -1})
    assert not isinstance(caught.value, UserErrors) and "\n" not in str(caught.value)


def test_a_scenario_file_reports_all_its_mistakes(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)
    with pytest.raises(UserErrors) as caught:
        load_scenario(path)
    text = str(caught.value)
    for words in ("unknown key 'descripton'", "'shils'", "'entry_fee' = -1", "'group_size' = 2.5"):
        assert words in text
    assert len(text.splitlines()) == 4


def test_an_experiment_file_reports_all_its_mistakes(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(EXPERIMENT)
    with pytest.raises(UserErrors) as caught:
        load_experiment(path)
    text = str(caught.value)
    for words in ("unknown scenario 'nope'", "replicates = 0", "'shils'", "'entry_fee' = -1"):
        assert words in text


def test_the_cli_prints_each_mistake_on_its_own_line_and_exits_2(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text(SCENARIO)
    assert main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 4 and all(line.startswith(f"commsim: error: {path}") for line in err)
    assert not (tmp_path / "o").exists()
