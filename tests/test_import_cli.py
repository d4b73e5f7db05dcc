"""``commsim import``, ``measure`` and ``calibrate`` run as subprocesses: real exports in,
tables and calibrated scenarios out, and every bad input one clear line, exit code 2, no
traceback and no file written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.calibration.synthetic import simulate_events
from sim.io.privacy import hash_group
from tests.conftest import HANG

FIX = Path(__file__).resolve().parent / "fixtures" / "io"
SLACK = FIX / "slack" / "export"


def commsim(*args: str | Path, cwd: Path, timeout: float = HANG) -> subprocess.CompletedProcess:
    """Run ``python -m sim`` with a private config folder (the salt) and no COMMSIM_SALT."""
    env = {k: v for k, v in os.environ.items() if k != "COMMSIM_SALT"}
    env["XDG_CONFIG_HOME"] = str(cwd / "config")
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)


def assert_user_error(result: subprocess.CompletedProcess, *words: str) -> None:
    """Exit code 2, one 'commsim: error:' message holding ``words``, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("commsim: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.fixture(scope="module")
def synthetic_csv(tmp_path_factory) -> Path:
    """Two simulated groups written as a generic CSV event log."""
    events = simulate_events({"group_size": 120, "attention_decay": 0.02}, [3, 4], 70)
    path = tmp_path_factory.mktemp("synthetic") / "events.csv"
    events.assign(time=events["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(path,
                                                                                index=False)
    return path


# -- import -------------------------------------------------------------------------------------

def test_import_detects_the_format_and_says_where_the_salt_is(tmp_path):
    """A Slack export is detected, hashed, written, and the salt's place is printed."""
    result = commsim("import", SLACK, "-o", "events.parquet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "format: slack (detected)" in result.stdout
    assert "salted hashes" in result.stdout and "texts are not stored" in result.stdout
    assert str(tmp_path / "config" / "commsim" / "salt") in result.stdout
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert set(events.columns) == {"time", "group", "member", "event"}
    assert events["member"].str.fullmatch(r"[0-9a-f]{12}").all()


def test_import_refuses_to_overwrite_without_force(tmp_path):
    """An existing output is kept unless --force is given."""
    (tmp_path / "events.parquet").write_text("keep me")
    assert_user_error(commsim("import", SLACK, "-o", "events.parquet", cwd=tmp_path),
                      "exists", "--force")
    assert (tmp_path / "events.parquet").read_text() == "keep me"
    forced = commsim("import", SLACK, "-o", "events.parquet", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr


def test_import_group_keeps_one_group_and_uses_the_salt_file(tmp_path):
    """--group keeps one channel; --salt-file is the salt used and the place printed."""
    result = commsim("import", SLACK, "--group", "general", "--salt-file", "my.salt", "-o",
                     "general.parquet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "my.salt" in result.stdout and (tmp_path / "my.salt").is_file()
    salt = (tmp_path / "my.salt").read_text().strip()
    assert set(pd.read_parquet(tmp_path / "general.parquet")["group"]) == {
        hash_group(salt, "general")}  # the channel's name is hashed like its members


BAD_INPUTS = {
    "unknown_format.txt": ("hello\nthis is no chat export\n", ["no known format", "Tried"]),
    "truncated.json": ('{"name": "x", "type": "private_group", "messages": [{"id": 1, "da',
                       ["truncated"]),
    "missing_columns.csv": ("time,group,event\n2024-01-01T09:00:00Z,alpha,message\n",
                            ["missing column", "member"]),
    "bad_time.csv": ("time,group,member,event\nyesterday,alpha,a1,message\n",
                     ["line 2", "yesterday", "date-time"]),
    "no_messages.csv": ("time,group,member,event\n2024-01-01T09:00:00Z,alpha,a1,join\n",
                        ["no messages"]),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_import_bad_input_is_one_clear_error_and_writes_nothing(tmp_path, name):
    """Unknown formats, truncated JSON, bad CSVs and empty exports: exit 2, nothing written."""
    text, words = BAD_INPUTS[name]
    (tmp_path / name).write_text(text)
    assert_user_error(commsim("import", name, "-o", "out.parquet", cwd=tmp_path), name, *words)
    assert not (tmp_path / "out.parquet").exists()


def test_import_unknown_group_names_the_closest(tmp_path):
    """--group with a name not in the export suggests the nearest channel."""
    assert_user_error(commsim("import", SLACK, "--group", "genral", "-o", "x.parquet",
                              cwd=tmp_path), "unknown group 'genral'", "did you mean 'general'")
    assert not (tmp_path / "x.parquet").exists()


# -- measure ------------------------------------------------------------------------------------

def test_measure_prints_the_table_and_writes_csv_and_html(tmp_path, synthetic_csv):
    """Each group's outcomes are printed and saved; the HTML page carries its own plotly."""
    result = commsim("measure", synthetic_csv, "-o", "groups.csv", "--html", "groups.html",
                     "--keep-group-names", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sim-0" in result.stdout and "(all)" in result.stdout
    table = pd.read_csv(tmp_path / "groups.csv")
    assert list(table["group"]) == ["sim-0", "sim-1", "(all)"]
    hashed = commsim("measure", synthetic_csv, "-o", "hashed.csv", cwd=tmp_path)
    assert hashed.returncode == 0, hashed.stderr
    assert "sim-0" not in hashed.stdout + (tmp_path / "hashed.csv").read_text()
    page = (tmp_path / "groups.html").read_text()
    assert "plotly" in page and "<script src=" not in page  # self-contained, works offline


def test_measure_bad_events_file_is_one_clear_error(tmp_path):
    """A CSV with an unparsable time is refused by line and value."""
    (tmp_path / "bad.csv").write_text(BAD_INPUTS["bad_time.csv"][0])
    assert_user_error(commsim("measure", "bad.csv", "-o", "t.csv", cwd=tmp_path), "yesterday")
    assert not (tmp_path / "t.csv").exists()


# -- calibrate ----------------------------------------------------------------------------------

def test_calibrate_writes_a_scenario_that_validates_and_runs(tmp_path, synthetic_csv):
    """The calibrated scenario extends baseline, records its source, and validate/run accept it."""
    result = commsim("calibrate", synthetic_csv, "--group", "sim-0", "--params",
                     "activity_median,attention_decay", "--trials", "8", "--replicates", "3",
                     "--restarts", "2", "-o", "scenarios/sim0.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "loss on fresh seeds" in result.stdout
    text = (tmp_path / "scenarios" / "sim0.toml").read_text()
    salt = (tmp_path / "config" / "commsim" / "salt").read_text().strip()
    assert 'extends = "baseline"' in text and "sha256" in text
    assert hash_group(salt, "sim-0") in text and "sim-0" not in text  # found by its name
    assert (tmp_path / "scenarios" / "sim0.html").is_file()
    assert not [p for p in (tmp_path / "scenarios").iterdir() if p.name.startswith(".")]
    validated = commsim("validate", "scenarios/sim0.toml", cwd=tmp_path)
    assert validated.returncode == 0, validated.stderr
    ran = commsim("run", "scenarios/sim0.toml", "--replicates", "2", "--days", "20", "--out",
                  "res", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["--group", "sim0"], ["unknown group 'sim0'", "did you mean 'sim-0'"]),
    (["--group", "sim-0", "--params", "activity_median,atention_decay"],
     ["unknown parameter 'atention_decay'", "did you mean 'attention_decay'"]),
    ([], ["2 groups", "--group", "--pooled"]),
    (["--pooled", "--group", "sim-0"], ["contradict"]),
    (["--group", "sim-0", "--scenario", "baseline_x"], ["unknown scenario", "baseline"]),
])
def test_calibrate_bad_choice_is_one_clear_error(tmp_path, synthetic_csv, args, words):
    """Unknown groups, parameters and scenarios, or no group chosen: exit 2, nothing written."""
    assert_user_error(commsim("calibrate", synthetic_csv, *args, "--keep-group-names", "-o",
                              "s.toml", cwd=tmp_path), *words)
    assert not (tmp_path / "s.toml").exists() and not (tmp_path / "s.html").exists()


def test_calibrate_refuses_to_overwrite_before_any_work(tmp_path, synthetic_csv):
    """An existing scenario file is refused at once, without --force."""
    (tmp_path / "s.toml").write_text("# mine\n")
    assert_user_error(commsim("calibrate", synthetic_csv, "--group", "sim-0", "-o", "s.toml",
                              cwd=tmp_path), "exists", "--force")
    assert (tmp_path / "s.toml").read_text() == "# mine\n"
