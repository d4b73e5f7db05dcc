"""Running a lesson: its arms with paired seeds through ``run_batch``, then its analysis."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from sim.batch import run_batch
from sim.errors import UserError, closest
from sim.lessons import real_rooms
from sim.lessons.core import Lesson, LessonResult, Runs, verdict
from sim.lessons.overrides import coerce_all
from sim.params import resolve


def get_lesson(name: str) -> Lesson:
    """The lesson called ``name``.

    Raises:
        UserError: no such lesson (with the closest name and where to find the list).
    """
    from sim.lessons import LESSONS

    if name not in LESSONS:
        raise UserError(f"unknown lesson '{name}'{closest(name, LESSONS)}; "
                        "'commsim lessons' lists them")
    return LESSONS[name]


def simulate(lesson: Lesson, design: dict[str, dict[str, Any]], replicates: int,
             labels: dict[str, str] | None = None, first_seed: int = 0) -> Runs:
    """Run every arm of ``design`` with seeds ``first_seed .. first_seed + replicates - 1`` (the
    same seeds in each arm)."""
    names = list(design)
    params = [resolve(design[a], source=f"lesson '{lesson.name}', arm '{a}'") for a in names]
    seeds = list(range(first_seed, first_seed + replicates))
    res = run_batch([p for p in params for _ in seeds], seeds * len(names), lesson.days,
                    summary=True, record_groups=lesson.record_groups)
    arm_of_run = np.repeat(names, replicates)
    seed_of_run = np.tile(seeds, len(names))
    runs = res.runs.assign(arm=arm_of_run[res.runs.run], seed=seed_of_run[res.runs.run])
    daily = res.daily.assign(arm=arm_of_run[res.daily.run], seed=seed_of_run[res.daily.run])
    groups = res.groups
    if groups is not None:
        groups = groups.assign(arm=arm_of_run[groups.run], seed=seed_of_run[groups.run])
    return Runs(runs=runs, daily=daily, groups=groups, arms=design, days=lesson.days,
                labels=dict(labels or {}))


def set_labels(lesson: Lesson, overrides: dict[str, Any] | None) -> dict[str, str]:
    """The treatment arm's label when the learner's ``--set`` changed it: the new values first,
    so that an arm named "99 yuan" run at ``entry_fee=49`` does not read as 99 yuan."""
    changed = lesson.lever_overrides(overrides)
    if not changed:
        return {}
    values = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in changed.items())
    return {lesson.treatment: f"{values} (your --set, in place of {lesson.treatment})"}


def run_lesson(name: str, overrides: dict[str, Any] | None = None,
               replicates: int | None = None, first_seed: int = 0) -> LessonResult:
    """Run a lesson and judge its claim.

    Args:
        name: a key of ``sim.lessons.LESSONS``.
        overrides: parameter overrides (typed values or strings, as from ``--set``). A key that
            one of the lesson's arms sets changes the intervention (the treatment arm); any other
            key changes the world all arms share.
        replicates: seeds per arm (default: the lesson's own; at least 2).
        first_seed: the first seed of the block (seeds ``first_seed .. + replicates - 1``), so
            that a verdict can be checked on disjoint seed blocks (benchmarks/seed_blocks.py).

    Returns:
        The finding, verdict, numbers and figure.

    Raises:
        UserError: an unknown lesson, parameter or value, or fewer than 2 replicates.
    """
    lesson = get_lesson(name)
    overrides = coerce_all(overrides, source=f"lesson '{name}': --set")
    reps = lesson.replicates if replicates is None else int(replicates)
    if reps < 2:
        raise UserError(f"lesson '{name}': --replicates {reps} is too few: intervals need at "
                        "least 2 seeds per arm")
    design = lesson.design(overrides)
    labels = set_labels(lesson, overrides)
    start = time.perf_counter()
    runs = simulate(lesson, design, reps, labels, first_seed)
    analysis = lesson.analyze(runs)
    if not overrides and (note := real_rooms.note(name)):  # what issue 12's defaults changed
        analysis.notes.append(note)
    figure = lesson.plot(runs, analysis)
    figure.update_layout(title=f"{lesson.principle} {lesson.title}: {verdict(analysis.checks)}")
    return LessonResult(lesson=lesson, design=design, overrides=overrides, replicates=reps,
                        analysis=analysis, verdict=verdict(analysis.checks), figure=figure,
                        seconds=time.perf_counter() - start)
