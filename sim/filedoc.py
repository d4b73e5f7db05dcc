"""docs/files.md, generated from the schemas: every key of scenario and experiment files.

The scenario keys come from ``sim.scenarios.SCENARIO_KEYS``, the parameters from the pydantic
model ``sim.params.Params`` (unit, range, default, source, meaning), the experiment keys from
``sim.experiments`` (its limits and choices), the outcomes from ``sim.outcomes.RUN_COLUMNS`` with
their words from ``sim.labels``. ``python -m sim.filedoc > docs/files.md`` rewrites the page;
tests/test_docs_generated.py fails when the page is stale or a key has no line here.
"""

from __future__ import annotations

import math
import typing
from typing import Any

HEADER = """# Scenario and experiment files: every key

Generated from the code by `python -m sim.filedoc > docs/files.md` (a test fails when this page is
stale). A scenario (`scenarios/*.toml`, or any `.toml` file given by path) changes parameters of
the baseline; an experiment (`experiments/*.toml`) says which scenarios to run, what to vary, how
many replicates and days. `commsim validate FILE...` checks files without running them and lists
every mistake of a file at once.
"""


def _scenario_keys() -> dict[str, tuple[str, str, str, str]]:
    """key -> (type and range, default, meaning, example line)."""
    from sim.scenarios import DEFAULT_DAYS, MAX_DAYS, MAX_SEED, ROOT

    return {
        "name": ("text, the file's name without .toml", "the file name",
                 "the scenario's name; it must match the file name", 'name = "my_group"'),
        "description": ("text", '""', "what the scenario is and what it should show",
                        'description = "Our 300-person alumni group with a 9.9-yuan fee."'),
        "principles": ("list of P1 to P30", "[]", "the principles of docs/principles.md it "
                       "illustrates", 'principles = ["P7", "P12"]'),
        "extends": ("a scenario name", f'"{ROOT}"', "the scenario whose parameters this one "
                    "starts from (a chain is allowed, a cycle is not)", 'extends = "fee_99"'),
        "days": (f"whole number, 1 to {MAX_DAYS}", f"{DEFAULT_DAYS} (or the parent's)",
                 "days a run lasts (`commsim run --days` overrides)", "days = 120"),
        "seed": (f"whole number, 0 to {MAX_SEED}", "0 (or the parent's)",
                 "master seed of `commsim run` (`--seed` overrides)", "seed = 42"),
        "params": ("table", "{}", "parameter overrides, one line each (see below)",
                   "[params]\ngroup_size = 300\nentry_fee = 9.9"),
    }


def _experiment_keys() -> dict[str, tuple[str, str, str, str]]:
    from sim.experiments import (
        DEFAULT_REPLICATES,
        MAX_REPLICATES,
        MAX_SAMPLES,
        METHODS,
        SAMPLERS,
    )
    from sim.scenarios import MAX_DAYS, MAX_SEED

    return {
        "name": ("text", "the file name", "the experiment's name (results/<name>-<time>/)",
                 'name = "fee_or_shills"'),
        "description": ("text", '""', "what it asks", 'description = "Fee or shills?"'),
        "scenarios": ("list of scenario names or .toml paths", "required",
                      "the arms compared; every arm runs the same seeds (paired)",
                      'scenarios = ["baseline", "shills", "fee_99"]'),
        "baseline": ("one of the scenarios", "the first scenario",
                     "the arm `commsim compare` measures effects against",
                     'baseline = "baseline"'),
        "vary": ("table", "{} (no design: one point)", "parameters to vary: a list of values "
                 "(full factorial, first key slowest) or a range table with low and high "
                 "(sampled)", "[vary]\nentry_fee = [0.0, 9.9, 99.0]\n\n[vary.shills]\nlow = 0\n"
                 "high = 4"),
        "sampler": (" or ".join(f'"{s}"' for s in SAMPLERS), "none",
                    "how ranges are sampled: Latin hypercube or scrambled Sobol (a plain "
                    "sample, for response curves)", 'sampler = "lhs"'),
        "samples": (f"whole number, 1 to {MAX_SAMPLES:,} (a power of 2 with sobol)", "none",
                    "design points drawn from the ranges (base points with `method`)",
                    "samples = 64"),
        "method": (" or ".join(f'"{m}"' for m in METHODS), "none",
                   "a sensitivity design for `commsim sensitivity` (Saltelli for Sobol indices, "
                   "trajectories for Morris); leave `sampler` out", 'method = "sobol"'),
        "replicates": (f"whole number, 1 to {MAX_REPLICATES:,}", str(DEFAULT_REPLICATES),
                       "seeds per scenario and design point", "replicates = 30"),
        "days": (f"whole number, 1 to {MAX_DAYS}", "the scenarios' days (they must agree)",
                 "days every run lasts", "days = 180"),
        "seed": (f"whole number, 0 to {MAX_SEED}", "0", "master seed; replicate r uses the same "
                 "seed in every arm", "seed = 7"),
        "outcomes": ("list of outcome names (below)", "all", "per-run outcomes kept in "
                     "runs.parquet", 'outcomes = ["members_final", "revenue", "cost"]'),
        "record": ('list of "members" and "groups"', "[] (none)", "opt-in per-member and "
                   "per-group tables (members.parquet, groups.parquet) for `commsim facts`",
                   'record = ["members", "groups"]'),
    }


def _toml(value: Any) -> str:
    from sim.params import toml_value

    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return f"{value:.1f}"
    return toml_value(value)


def example_value(name: str) -> Any:
    """A valid value of parameter ``name`` other than its default, for the example column."""
    from sim.params import Params, info

    field = Params.model_fields[name]
    meta, default, kind = info(name), field.default, field.annotation
    if kind is bool:
        return not default
    if typing.get_origin(kind) is typing.Literal:
        return next(c for c in typing.get_args(kind) if c != default)
    lo, hi = meta["lo"], meta["hi"]
    if isinstance(default, float) and math.isinf(default):
        return 90.0
    candidates = [default * 2, default + 1, (lo + hi) / 2 if hi is not None else lo + 1, lo]
    for c in candidates:
        c = int(c) if kind is int else float(round(c, 4))
        if c != default and c >= lo and (hi is None or c <= hi):
            return c
    return default


def _range(name: str) -> str:
    from sim.params import _expected, info

    lo, hi = info(name)["lo"], info(name)["hi"]
    if lo is None:
        return _expected(name).replace("'", '"')
    return f"{lo:g} to {hi:g}" if hi is not None else f"at least {lo:g}"


def _table(rows: dict[str, tuple[str, str, str, str]]) -> list[str]:
    lines = ["| key | type and range | default | meaning | example |", "|---|---|---|---|---|"]
    for key, (kind, default, meaning, example) in rows.items():
        ex = "<br>".join(f"`{x}`" if x else "" for x in example.split("\n"))
        lines.append(f"| `{key}` | {kind} | {default} | {meaning} | {ex} |")
    return lines


def files_markdown() -> str:
    """The whole page."""
    from sim.labels import heading
    from sim.outcomes import RUN_COLUMNS
    from sim.params import PARAM_NAMES, info

    out = [HEADER, "## Scenario files", "", "```toml", 'description = "Our alumni group: 300 '
           'invited, a 9.9-yuan fee, two shill accounts for the first month."',
           'extends = "baseline"', "days = 180", "", "[params]", "group_size = 300",
           "entry_fee = 9.9", "shills = 2", "shills_end = 30.0", "```", "",
           "Top-level keys:", "", *_table(_scenario_keys()), "",
           "## Parameters (the `[params]` table, `--set key=value`, `[vary]`)", "",
           "A lever is off when its main value is 0 and acts from `<lever>_start` (a day) up to "
           "`<lever>_end` (exclusive; `inf` = never ends). Sources: a P-number of "
           "[principles.md](principles.md), a study (see [ODD.md](ODD.md)) or an assumption."]
    section = None
    for name in PARAM_NAMES:
        meta = info(name)
        if meta["section"] != section:
            section = meta["section"]
            out += ["", f"### {section}", "",
                    "| key | unit | range | default | meaning | source | example |",
                    "|---|---|---|---|---|---|---|"]
        out.append(f"| `{name}` | {meta['unit']} | {_range(name)} | "
                   f"{_toml(meta['default'])} | {meta['doc']} | {meta['source']} | "
                   f"`{name} = {_toml(example_value(name))}` |")
    out += ["", "## Experiment files", "", "```toml", 'name = "fee_or_shills"',
            'description = "A 9.9-yuan fee or two shills for a 300-person group?"',
            'scenarios = ["baseline", "shills", "fee_99"]', "replicates = 30", "days = 180",
            "seed = 1", "", "[vary]", "group_size = [300]", "```", "",
            "Top-level keys:", "", *_table(_experiment_keys()), "",
            "A range table takes exactly `low` and `high` (inclusive, within the parameter's "
            "range); whole-number parameters are drawn in equal-width bins.", "",
            "## Outcomes (`outcomes = [...]`, `commsim compare --outcome`)", "",
            "| code name | in words (unit) | definition |", "|---|---|---|"]
    out += [f"| `{k}` | {heading(k)} | {v} |" for k, v in RUN_COLUMNS.items()]
    return "\n".join(out) + "\n"


def documented_keys() -> tuple[set[str], set[str]]:
    """The scenario and experiment keys this page documents (a test compares with the code)."""
    return set(_scenario_keys()), set(_experiment_keys())


if __name__ == "__main__":  # python -m sim.filedoc > docs/files.md
    print(files_markdown(), end="")
