"""The advice the command line gives is advice that works (issue 13, item 7)."""

from __future__ import annotations

import pandas as pd

from sim.cli import main

TINY = """
name = "tiny"
scenarios = ["baseline"]
replicates = 2
days = 5
seed = 3
[vary]
group_size = [20]
"""


def test_run_into_an_existing_folder_does_not_suggest_resume(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("mine")
    assert main(["run", "baseline", "--days", "3", "--replicates", "1", "--out", "old"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("commsim: error: --out old already exists") and "--force" in err
    assert "--resume" not in err  # `run` has no --resume
    assert (tmp_path / "old" / "keep.txt").read_text() == "mine"


def test_resume_of_a_sweep_that_never_started_starts_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.toml").write_text(TINY)
    (tmp_path / "empty").mkdir()  # made by hand or by a sweep killed at once
    for out in ("never", "empty"):
        code = main(["sweep", "tiny.toml", "--out", out, "--resume", "--workers", "1",
                     "--quiet"])
        assert code == 0, capsys.readouterr().err
        assert "holds no runs yet: starting the sweep" in capsys.readouterr().err
        assert len(pd.read_parquet(tmp_path / out / "runs.parquet")) == 2
