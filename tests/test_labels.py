"""Every outcome has plain words and a unit in sim/labels.py, the one table all screens use."""

from __future__ import annotations

from sim import labels
from sim.outcomes import DAILY_COLUMNS, RUN_COLUMNS


def test_every_outcome_column_has_words_and_a_unit():
    missing = [c for c in (*RUN_COLUMNS, *DAILY_COLUMNS) if c not in labels.LABELS]
    assert not missing, f"add a line to sim/labels.py LABELS for: {', '.join(missing)}"
    for name, lab in labels.LABELS.items():
        assert "_" not in lab.words and lab.unit, name


def test_an_unknown_day_outcome_is_read_from_its_name():
    assert labels.words("members_d60") == "members present, day 60"
    assert labels.label("ever_spoken_share_d30").share
    assert labels.words("active_members_final") == "members who posted that day, at the end"
    assert labels.words("brand_new_thing") == "brand new thing"


def test_values_carry_their_unit():
    assert labels.value("silent", 0.25) == "25.0 %"
    assert labels.value("revenue", 1234.0, 0) == "1,234 yuan"
    assert labels.value("mean_trust_final", 0.5, 2) == "0.50"  # a 0-1 scale has no unit word
    assert labels.value("revenue", float("nan")) == "-"
    assert labels.heading("members_final") == "members at the end (members)"
