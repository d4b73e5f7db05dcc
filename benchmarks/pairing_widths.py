"""Paired against unpaired 95% intervals: the tables of docs/compare.md ("What pairing buys").

    commsim sweep playbook_vs_baseline --out R1
    commsim compare R1 && commsim compare R1 --unpaired
    commsim sweep shills_count --out R2
    commsim compare R2 && commsim compare R2 --unpaired
    python benchmarks/pairing_widths.py R1 R2

For each folder, reads compare.csv and compare-unpaired.csv and prints, per outcome, the median
width (ci_high - ci_low) over the settings, paired and unpaired, and the median and range of the
ratio unpaired / paired; settings whose paired interval has zero width (a fixed cost, a lever
that changes nothing) are left out. Then how many intervals include zero either way.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUTCOMES = {  # the outcomes of the tables, in the words of docs/compare.md
    "total_messages": "messages over the run",
    "churned": "members who left",
    "active_members_d30": "active members, day 30",
    "time_to_silence": "time to silence (days)",
    "active_members_d90": "active members, day 90",
    "ever_spoken_share_d14": "ever-spoken share, day 14",
    "ever_spoken_share_d90": "ever-spoken share, day 90",
    "silent": "share of runs fallen silent",
}


def widths(folder: Path) -> pd.DataFrame:
    keys = ["scenario", "setting", "outcome"]
    paired = pd.read_csv(folder / "compare.csv")
    unpaired = pd.read_csv(folder / "compare-unpaired.csv")
    both = paired.merge(unpaired, on=keys, suffixes=("", "_u"))
    both["w"] = both["ci_high"] - both["ci_low"]
    both["w_u"] = both["ci_high_u"] - both["ci_low_u"]
    return both


def table(both: pd.DataFrame) -> str:
    rows = []
    for outcome, words in OUTCOMES.items():
        d = both[(both["outcome"] == outcome) & (both["w"] > 0)]
        if d.empty:
            continue
        ratio = d["w_u"] / d["w"]
        rows.append((ratio.median(), f"| {words} | {d['w'].median():.3g} | {d['w_u'].median():.3g}"
                     f" | {ratio.median():.1f} ({ratio.min():.1f} - {ratio.max():.1f}) |"))
    head = ["| outcome | paired width | unpaired width | unpaired / paired |",
            "| --- | ---: | ---: | ---: |"]
    return "\n".join(head + [line for _, line in sorted(rows, key=lambda r: -r[0])])


def main() -> None:
    for folder in map(Path, sys.argv[1:]):
        both = widths(folder)
        settings = both[["scenario", "setting"]].drop_duplicates().shape[0]
        print(f"{folder}: {settings} settings, {int(both['pairs'].max())} pairs each\n")
        print(table(both))
        zero, zero_u = int(both["crosses_zero"].sum()), int(both["crosses_zero_u"].sum())
        print(f"\nintervals that include zero, of all {len(both)} in compare.csv: paired {zero}, "
              f"unpaired {zero_u}\n")


if __name__ == "__main__":
    main()
