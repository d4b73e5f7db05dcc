"""Generated pages stay true to the code: docs/files.md (every key of scenario and experiment
files) is the output of ``python -m sim.filedoc``, and every example in it is valid."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sim import filedoc
from sim.experiments import EXPERIMENT_KEYS, load_experiment
from sim.params import PARAM_NAMES, info, resolve
from sim.scenarios import SCENARIO_KEYS, load_scenario

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "docs" / "files.md"


def test_files_page_is_the_generated_one():
    assert FILES.read_text(encoding="utf-8") == filedoc.files_markdown(), (
        "docs/files.md is stale: run `python -m sim.filedoc > docs/files.md`")


def test_every_key_of_both_files_is_documented():
    scenario, experiment = filedoc.documented_keys()
    assert scenario == set(SCENARIO_KEYS), "a scenario key has no line in sim/filedoc.py"
    assert experiment == set(EXPERIMENT_KEYS), "an experiment key has no line in sim/filedoc.py"
    page = FILES.read_text(encoding="utf-8")
    for key in (*SCENARIO_KEYS, *EXPERIMENT_KEYS, *PARAM_NAMES):
        assert f"| `{key}` |" in page, key


def test_every_parameter_example_is_valid_and_not_the_default():
    for name in PARAM_NAMES:
        value = filedoc.example_value(name)
        assert value != info(name)["default"], name
        resolve({name: value}, source=f"example of {name}")


def test_every_toml_example_of_a_key_parses():
    for rows in (filedoc._scenario_keys(), filedoc._experiment_keys()):
        for key, (*_, example) in rows.items():
            assert key in tomllib.loads(example), key


def test_the_page_s_example_files_load(tmp_path):
    page = FILES.read_text(encoding="utf-8")
    scenario_text, experiment_text = re.findall(r"```toml\n(.*?)```", page, re.S)
    path = tmp_path / "my_group.toml"
    path.write_text(scenario_text)
    s = load_scenario(path)
    assert s.params.group_size == 300 and s.params.shills == 2
    path = tmp_path / "fee_or_shills.toml"
    path.write_text(experiment_text)
    e = load_experiment(path)
    assert [x.name for x in e.scenarios] == ["baseline", "shills", "fee_99"]


PRINCIPLES_PAGE = ROOT / "docs" / "principles.md"


def test_principles_page_is_the_generated_one():
    from sim.principles import principles_markdown

    assert PRINCIPLES_PAGE.read_text(encoding="utf-8") == principles_markdown(), (
        "docs/principles.md is stale: run `python -m sim.principles > docs/principles.md`")


def test_every_principle_is_covered_or_says_why_not():
    from sim.principles import PRINCIPLES, coverage

    assert list(PRINCIPLES) == [f"P{i}" for i in range(1, 31)]
    for p, covered in coverage().items():
        if PRINCIPLES[p].gap:  # says why it is not (yet) covered
            continue
        # a covered principle has it all: a lesson, its test, a scenario, and a lever or a rule's
        # parameter whose source it is (issue 15)
        for part in ("lessons", "tests", "scenarios"):
            assert covered[part], f"{p}: no {part} and no reason given"
        assert covered["levers"] or covered["params"], f"{p}: no lever or parameter"


def test_every_lesson_lever_and_test_named_in_the_page_exists():
    from sim.lessons import LESSONS
    from sim.levers import LEVERS

    page = PRINCIPLES_PAGE.read_text(encoding="utf-8")
    for name in re.findall(r"`commsim lesson ([a-z_]+)`", page):
        assert name in LESSONS, name
    switches = {lever.switch for lever in LEVERS}
    for switch in re.findall(r"levers: .*", page):
        for name in re.findall(r"\(`(\w+)`\)", switch):
            assert name in switches and name in PARAM_NAMES, name
    for path, test in re.findall(r"`(tests/\w+\.py)::(\w+)", page):
        assert f"def {test}(" in (ROOT / path).read_text(encoding="utf-8"), f"{path}::{test}"
