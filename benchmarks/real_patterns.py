"""Two seed patterns measured on the real logs, as tests/test_patterns.py measures the model.

    python benchmarks/real_patterns.py --data ../shared/data

P1 (silence): for each real group observed 180 days or more with 20 or more messages, the daily
messages of its first 180 days, the day of the peak of the 7-day trailing mean, the day after the
last day at or above 20% of that peak (sim.metrics.time_to_silence_rows, the model's definition),
and whether the group is silent by day 180. P4 (who speaks, Slack only: it records joins): for each
channel with 20 or more joiners in its first 90 days, the shares of those joiners with at most 2,
3 to 29 and 30 or more messages in the channel's first 90 days. docs/validation.md and
docs/teaching.md quote the output (issue 12, item 3).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAYS, QUARTER, MIN_MESSAGES, MIN_JOINERS = 180, 90, 20, 20


def events(folder: Path) -> pd.DataFrame:
    from sim.io import load_salt, read_events

    ev = read_events(folder / "events.csv", True, load_salt())
    ev["date"] = ev["time"].dt.floor("D")
    start = ev.groupby("group")["date"].min()
    ev["day"] = (ev["date"] - ev["group"].map(start)).dt.days
    return ev


def silence(folder: Path) -> str:
    from sim.metrics import time_to_silence_rows, trailing_mean

    ev = events(folder)
    end = pd.Series(ev["time"].max(), index=ev["group"].unique())
    if (folder / "groups.csv").is_file():
        obs = pd.read_csv(folder / "groups.csv")
        until = pd.Series(list(pd.to_datetime(obs["observed_until"], utc=True)),
                          index=obs["group"].astype(str))
        end = until.reindex(end.index).fillna(end)
    start = ev.groupby("group")["date"].min()
    rows = []
    for group, d in ev[ev["event"] == "message"].groupby("group"):
        if (end[group] - start[group]).days < DAYS or len(d) < MIN_MESSAGES:
            continue
        rows.append(np.bincount(d["day"][d["day"] < DAYS], minlength=DAYS)[:DAYS])
    x = np.array(rows, dtype=float)
    quiet = time_to_silence_rows(x)
    silent = np.isfinite(quiet)
    return (f"P1, {folder.name}: {len(x)} groups; median peak day "
            f"{np.median(trailing_mean(x).argmax(axis=1)):.0f}, median time to silence "
            f"{np.median(np.where(silent, quiet, np.inf)):.0f} days, silent by day {DAYS} in "
            f"{silent.mean():.0%} of groups")


def split(folder: Path) -> str:
    ev = events(folder)
    out = []
    for _, d in ev.groupby("group"):
        joiners = d[(d["event"] == "join") & (d["day"] < QUARTER)]["member"].unique()
        if len(joiners) < MIN_JOINERS:
            continue
        said = d[(d["event"] == "message") & (d["day"] < QUARTER)].groupby("member").size()
        n = said.reindex(joiners, fill_value=0).to_numpy()
        out.append(((n <= 2).mean(), ((n > 2) & (n < 30)).mean(), (n >= 30).mean()))
    r, s, a = np.median(np.array(out), axis=0)
    return (f"P4, {folder.name}: {len(out)} channels; median shares of joiners posting rarely "
            f"or never {r:.0%}, sometimes {s:.0%}, a lot {a:.0%} in the first {QUARTER} days")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    for name in ("gitter-freecodecamp", "slack-haskell-jp"):
        print(silence(args.data / name))
    print(split(args.data / "slack-haskell-jp"))


if __name__ == "__main__":
    main()
