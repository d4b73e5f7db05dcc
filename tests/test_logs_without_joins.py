"""Logs without join records (Gitter's archive) and compressed logs: measure, calibrate and import
say what such a log cannot show instead of taking posters for all members."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration.commands import split_groups
from sim.calibration.targets import Observed, Simulated, loss_parts, noise_floor
from sim.cli import main
from sim.io import read_events
from sim.measure import joins_warning, measure

FIXTURES = Path(__file__).parent / "fixtures" / "facts"


def test_a_gzipped_csv_reads_like_the_csv(tmp_path, capsys):
    plain = FIXTURES / "slack" / "events.csv"
    packed = tmp_path / "events.csv.gz"
    with plain.open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    pd.testing.assert_frame_equal(read_events(packed), read_events(plain))
    assert main(["import", str(packed), "-o", str(tmp_path / "e.parquet")]) == 0
    assert "format: csv" in capsys.readouterr().out
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(plain.read_bytes())[:200])
    assert main(["import", str(broken), "-o", str(tmp_path / "b.parquet")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"commsim: error: {broken}") and "Traceback" not in err


def test_measure_leaves_the_ever_spoken_share_unknown_without_joins(capsys):
    gitter = measure(read_events(FIXTURES / "gitter" / "events.csv"))["groups"]
    real = gitter[gitter["group"] != "(all)"]
    assert real["ever_spoken_share"].isna().all()  # not 1.0: posters over posters
    assert not real["joins_known"].any()
    assert "no join records in any of its groups" in joins_warning(gitter, "g.csv")
    slack = measure(read_events(FIXTURES / "slack" / "events.csv"))["groups"]
    assert slack["joins_known"].all() and slack["ever_spoken_share"].between(0, 1).all()
    assert joins_warning(slack, "s.csv") is None
    assert main(["measure", str(FIXTURES / "gitter" / "events.csv")]) == 0
    assert "warning:" in capsys.readouterr().err


def observed(spoken: float, members: int = 10, messages: int = 100) -> Observed:
    return Observed(group="g", span=70, days=70, weekly_messages=np.array([40.0, 30, 20, 10]),
                    members=members, founders=5, messages=messages, ever_spoken_share=spoken,
                    top10_share=0.4, gini=0.5)


def runs(spoken: float, joined: float = 40.0, per_member: float = 4.0) -> Simulated:
    n = 3
    curve = np.tile([1.0, 0.75, 0.5, 0.25], (n, 1))
    return Simulated(curves=curve, weekly_messages=curve * 40, ever_spoken_share=np.full(n, spoken),
                     top10_share=np.full(n, 0.4), gini=np.full(n, 0.5),
                     messages_per_member=np.full(n, per_member), joined=np.full(n, joined))


def test_the_loss_uses_only_what_a_log_without_joins_shows():
    # the log saw 10 posters with 10 messages each; the runs have 40 members, a quarter posting
    # 16 messages each (4 per member): per poster the runs match the log exactly
    blind = loss_parts(observed(np.nan), runs(0.25))
    assert np.isnan(blind["ever_spoken_share"])
    assert blind["volume"] == pytest.approx(abs(np.log10(10.01 / 16.01)))
    assert blind["loss"] == pytest.approx(0.5 * blind["volume"])  # curve, concentration are 0
    seen = loss_parts(observed(0.25), runs(0.25))  # with joins: per member, share compared
    assert seen["ever_spoken_share"] == 0
    assert seen["volume"] == pytest.approx(abs(np.log10(10.01 / 4.01)))
    assert np.isfinite(noise_floor(observed(np.nan), runs(0.25)))


def test_holdout_splits_groups_by_their_names_and_keeps_both_sides_non_empty():
    many = [Observed(**{**observed(0.3).__dict__, "group": f"room{i}"})
                                  for i in range(12)]
    train, test = split_groups(many)
    assert train and test and len(train) + len(test) == 12
    assert {o.group for o in train}.isdisjoint(o.group for o in test)
    assert split_groups(many) == (train, test)  # stable
    one = many[:1]
    assert split_groups(one) == (one, [])
    same_side = [o for o in many if o in train][:2]
    tr, te = split_groups(same_side)
    assert len(tr) == 1 and len(te) == 1


def test_calibrate_warns_and_reports_a_held_out_loss(tmp_path, capsys):
    code = main(["calibrate", str(FIXTURES / "gitter" / "events.csv"), "--pooled",
                 "--min-messages", "50", "--params", "activity_median", "--trials", "2",
                 "--replicates", "2", "--restarts", "1", "--max-days", "60",
                 "-o", str(tmp_path / "g.toml")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "no join records" in out.err and "left out of the loss" in out.err
    assert "held out" in out.out and "test" in out.out
