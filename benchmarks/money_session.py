"""The numbers quoted in docs/teaching.md's second session (money), on two seed blocks.

    python benchmarks/money_session.py            # about two minutes on one core

Prints, for seeds 0-39 and 1000-1039, every number the session quotes: the lessons' findings
(``run_lesson`` with ``first_seed``, the API behind ``commsim lesson``), and the paired
differences the lessons do not print (the same seeds in both arms, through ``run_batch``); then
the money lessons (selling_tolerance, serve_first, repeat_purchase, budget) on the seeds from 0,
1000 and 2000 with their own replicates. Run it again after a change to the model's rules and
update the session's text from its output.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BLOCKS = (0, 1000)
REPLICATES = 40
DAYS = 180
LESSON_RUNS = (  # (lesson, --set overrides) as quoted in the session
    ("red_packets", {}),
    ("commercial_cadence", {}),
    ("commercial_cadence", {"commercial_tolerance": 8}),
    ("profit", {}),
    ("profit", {"red_packet_every": 7}),
    ("profit", {"commercial_start": 30}),
    ("playbook_limits", {}),
)
# the money lessons of issue 15, with their own replicates, on the blocks tests/test_lessons.py
# checks (docs/teaching.md quotes them as "block 0 / block 1000 / block 2000")
MONEY_LESSONS = ("selling_tolerance", "serve_first", "repeat_purchase", "budget")
MONEY_BLOCKS = (0, 1000, 2000)


def paired(arms: dict[str, dict], first_seed: int) -> dict[str, object]:
    """Per-run outcomes of each arm on the same seeds (rows in seed order)."""
    from sim.batch import run_batch

    seeds = list(range(first_seed, first_seed + REPLICATES))
    res = run_batch([a for a in arms.values() for _ in seeds], seeds * len(arms), DAYS,
                    summary=True)
    runs = res.runs.sort_values("run")
    return {name: runs.iloc[i * REPLICATES:(i + 1) * REPLICATES].reset_index(drop=True)
            for i, name in enumerate(arms)}


def diff(a, b, col: str) -> str:
    """The paired difference b - a of a per-run column, with its 95% interval."""
    from sim.lessons.core import Estimate

    values = (b[col] if col != "profit" else b.revenue - b.cost).to_numpy()
    values = values - (a[col] if col != "profit" else a.revenue - a.cost).to_numpy()
    return Estimate.of(values).text("+,.1f")


def main() -> None:
    from sim.lessons import run_lesson
    from sim.lessons.core import Estimate
    from sim.lessons.profit import WORLD
    from sim.scenarios import load_scenario

    for block in BLOCKS:
        print(f"\n######## seeds {block} to {block + REPLICATES - 1}")
        for name, overrides in LESSON_RUNS:
            result = run_lesson(name, overrides, REPLICATES, first_seed=block)
            print(f"\n== commsim lesson {name} "
                  + " ".join(f"--set {k}={v}" for k, v in overrides.items())
                  + f": {result.verdict}\n{result.finding}")

        print("\n== selling in the profit lesson's world, paired by seed against weekly selling")
        world = dict(WORLD)
        runs = paired({"weekly": {**world, "commercial_every": 7},
                       "weekly + red packets": {**world, "commercial_every": 7,
                                                "red_packet_every": 7},
                       "weekly from day 30": {**world, "commercial_every": 7,
                                              "commercial_start": 30}}, block)
        for arm in ("weekly + red packets", "weekly from day 30"):
            print(f"  {arm}: " + "; ".join(
                f"{col} {diff(runs['weekly'], runs[arm], col)}"
                for col in ("revenue", "cost", "profit", "conversions", "total_messages")))

        print("\n== weekly selling against none, by commercial_tolerance (lesson's arms)")
        for tolerance in (7, 8, 14):
            runs = paired({"none": {"commercial_tolerance": tolerance},
                           "weekly": {"commercial_every": 7,
                                      "commercial_tolerance": tolerance}}, block)
            print(f"  tolerance {tolerance} days: members at the end "
                  f"{diff(runs['none'], runs['weekly'], 'members_final')}; messages "
                  f"{diff(runs['none'], runs['weekly'], 'total_messages')}")

        print("\n== the whole playbook against the baseline")
        runs = paired({"baseline": {}, "playbook": load_scenario("playbook").overrides}, block)
        pb = runs["playbook"]
        ret = Estimate.of(((pb.revenue - pb.cost) / pb.cost).to_numpy()).text("+.2f")
        print(f"  return per yuan spent {ret}; revenue {pb.revenue.mean():,.0f} yuan, cost "
              f"{pb.cost.mean():,.0f} yuan; messages "
              f"{diff(runs['baseline'], pb, 'total_messages')}; members at the end "
              f"{diff(runs['baseline'], pb, 'members_final')}")


def money_lessons() -> None:
    """The findings of the money lessons on each block, with their default replicates."""
    from sim.lessons import run_lesson

    for name in MONEY_LESSONS:
        for block in MONEY_BLOCKS:
            result = run_lesson(name, first_seed=block)
            print(f"\n== commsim lesson {name}, seeds from {block}: {result.verdict}\n"
                  f"{result.finding}")


if __name__ == "__main__":
    main()
    money_lessons()
