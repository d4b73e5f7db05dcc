"""Plain words on the terminal: tables say what and in which unit, code names only in small print,
and sensitivity indices drowned in noise are flagged with the samples that would resolve them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.report.text import samples_needed, sensitivity_text, unreliable
from sim.summary import daily_table, runs_table, sweep_table


def _sobol_table(rows):
    return pd.DataFrame([{"method": "sobol", "outcome": "total_messages", "scenario": "baseline",
                          "parameter": p, "S1": s1, "S1_conf": c1, "ST": st, "ST_conf": ct,
                          "design_points": 1024, "replicates": 2, "samples": 128}
                         for p, s1, c1, st, ct in rows])


def test_an_interval_wider_than_the_index_or_a_negative_index_is_unreliable():
    assert unreliable(0.818, 1.939) and unreliable(-0.02, 0.01)
    assert not unreliable(0.5, 0.1)


def test_samples_needed_shrink_the_interval_below_the_index():
    # the interval shrinks as 1/sqrt(samples): 0.4 / 0.1 = 4 -> 16 x the samples
    assert samples_needed(0.1, 0.4, 128) == 128 * 16
    assert samples_needed(0.5, 0.1, 128) == 128  # already resolved
    assert samples_needed(-0.1, 0.2, 128) is None  # about 0: more samples will not make it big


def test_sensitivity_text_flags_the_noisy_rows_only():
    text = sensitivity_text(_sobol_table([("shills", 0.6, 0.05, 0.7, 0.05),
                                          ("moderation", 0.1, 0.4, 0.818, 1.939)]))
    shills = next(x for x in text.splitlines() if x.strip().startswith("shills"))
    moderation = next(x for x in text.splitlines() if x.strip().startswith("moderation"))
    assert "?" not in shills
    assert "S1 needs samples = 2048" in moderation and "ST needs samples = 1024" in moderation
    assert "? unreliable" in text and "messages over the run" in text


def test_terminal_tables_use_words_and_units():
    days = np.arange(30)
    daily = pd.DataFrame({"run": 0, "day": days, "members": 100.0, "active_members": 5.0,
                          "messages": 9.0, "ever_spoken_share": 0.255, "mean_trust": 0.4,
                          "cost": 0.0})
    text = daily_table(daily, every=15)
    assert "ever spoken %" in text and "25.5" in text and "ever_spoken_share" not in text
    runs = pd.DataFrame({"scenario": ["a", "a"], "members_final": [90.0, 110.0],
                         "ever_spoken_share_final": [0.3, 0.5], "silent": [1.0, 0.0],
                         "time_to_silence": [40.0, np.nan], "total_messages": [10.0, 20.0],
                         "revenue": [0.0, 0.0], "cost": [5.0, 5.0]})
    text = runs_table(runs)
    assert "members at the end (members)" in text and "1 of 2 never" in text
    text = sweep_table(runs, [])
    header = text.splitlines()[0]
    assert "members at end" in header and "silent runs %" in header
    assert "members_final" not in header
    assert "members at end = members_final" in " ".join(text.split())  # code name, small print
    row = next(x for x in text.splitlines() if x.startswith("a "))
    assert "50" in row.split() and "0.500" not in row  # half the runs fell silent, as a %
