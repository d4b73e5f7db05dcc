"""An optimisation problem: a group (a scenario), a budget over a horizon, levers with bounds and
one or two objectives, read from a TOML file and/or command-line flags.

A problem file (``experiments/optimize_300.toml``) holds::

    name = "optimize_300"
    description = "..."
    scenario = "baseline"            # the group: a scenario name or a .toml file
    budget = 5000                    # yuan the plan may spend over the horizon
    days = 90                        # the horizon
    objectives = ["max active_members_d90"]  # one or two: "max NAME" / "min NAME" (bare = max)
    replicates = 16                  # seeds every candidate runs on (the same for all)
    fresh_replicates = 40            # fresh seeds the chosen plans are re-scored on
    trials = 240                     # candidates evaluated
    batch = 24                       # candidates simulated together
    seed = 0                         # the sampler's seed and the replicate seeds
    sampler = "nsga2"                # "nsga2" (NSGA-II), "tpe" (multi-objective TPE) or "random"

    [params]                         # overrides of the group (world parameters)
    group_size = 300

    [levers]                         # what the search may change, each with bounds
    shills = { low = 0, high = 3 }   # a count or a cadence: whole numbers in [low, high]
    shills_end = { low = 7, high = 90 }   # a window (days)
    checkin = [false, true]          # on/off, or a list of choices

Cost (the lever costs the engine counts, in yuan) is always one axis of the search: the result is
the Pareto front of cost against the objectives, and a plan whose runs spend more than the budget
in any seed is never returned.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import UserError, closest
from sim.outcomes import RUN_COLUMNS
from sim.params import PARAM_NAMES, Params, info, resolve, toml_value
from sim.scenarios import (
    MAX_DAYS,
    Scenario,
    check_keys,
    expect,
    expect_int,
    expect_strings,
    load_scenario,
    read_toml,
    with_overrides,
)

PROBLEM_KEYS = ("name", "description", "scenario", "budget", "days", "objectives", "replicates",
                "fresh_replicates", "trials", "batch", "seed", "sampler", "params", "levers")
SAMPLERS = ("nsga2", "tpe", "random")
# outcomes computed from the per-run columns, beside RUN_COLUMNS
DERIVED = {
    "profit": "revenue minus cost, yuan",
    "not_silent": "share of runs that did not fall silent within the horizon",
}
MAX_OBJECTIVES = 2


def outcome_names() -> list[str]:
    """Per-run outcomes an objective may name."""
    return [c for c in RUN_COLUMNS if c != "days"] + list(DERIVED)


@dataclass(frozen=True)
class Lever:
    """One searched parameter: a numeric range (integer or not) or a list of choices."""

    name: str
    low: float | None = None
    high: float | None = None
    integer: bool = False
    choices: tuple[Any, ...] = ()
    off: bool = False  # the range is "off (0), or on between low and high"
    as_float: bool = False  # searched in whole steps (days) but stored as a float parameter

    @property
    def switch_key(self) -> str:
        """The name of the searched on/off choice of a lever with ``off``."""
        return f"{self.name}:on"

    @property
    def numeric(self) -> bool:
        """A range rather than a list of choices."""
        return not self.choices

    def describe(self) -> str:
        """'shills: 0 to 3 accounts/group' or 'checkin: false or true'."""
        if self.choices:
            return f"{self.name}: " + " or ".join(toml_value(c) for c in self.choices)
        lo = int(self.low) if self.integer else self.low
        hi = int(self.high) if self.integer else self.high
        off = "off (0), or " if self.off else ""
        return f"{self.name}: {off}{lo:g} to {hi:g} {info(self.name)['unit']}"

    def to_dict(self) -> dict[str, Any]:
        """The lever as written in a problem file."""
        if self.choices:
            return {"name": self.name, "choices": list(self.choices)}
        return {"name": self.name, "low": self.low, "high": self.high, "integer": self.integer,
                "off": self.off, "as_float": self.as_float}


@dataclass(frozen=True)
class Objective:
    """An outcome to maximise or minimise (the mean over a candidate's runs)."""

    name: str
    maximise: bool = True

    @property
    def text(self) -> str:
        """'max active_members_d90'."""
        return f"{'max' if self.maximise else 'min'} {self.name}"

    @property
    def label(self) -> str:
        """The outcome in words."""
        return DERIVED.get(self.name) or RUN_COLUMNS.get(self.name, self.name)


@dataclass
class Problem:
    """A resolved optimisation problem."""

    name: str
    description: str
    scenario: Scenario
    budget: float
    days: int
    objectives: list[Objective]
    levers: list[Lever]
    replicates: int = 16
    fresh_replicates: int = 40
    trials: int = 200
    batch: int = 20
    seed: int = 0
    sampler: str = "nsga2"
    path: Path | None = None
    world: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> dict[str, Any]:
        """The group's overrides (scenario and [params]) every candidate starts from."""
        return dict(self.scenario.overrides)

    def params(self, plan: dict[str, Any]) -> Params:
        """The resolved parameters of a plan (lever values on top of the group)."""
        return resolve({**self.base, **plan}, source=f"{self.path or self.name} plan")

    def start_values(self) -> dict[str, Any]:
        """Each lever's value in the group without a plan (the baseline)."""
        values = self.scenario.params.model_dump()
        return {lv.name: values[lv.name] for lv in self.levers}

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON data (for the manifest)."""
        return {"name": self.name, "description": self.description,
                "scenario": self.scenario.name,
                "scenario_path": str(self.scenario.path) if self.scenario.path else None,
                "group": _jsonable(self.base), "budget": self.budget, "days": self.days,
                "objectives": [o.text for o in self.objectives],
                "levers": [_jsonable(lv.to_dict()) for lv in self.levers],
                "replicates": self.replicates, "fresh_replicates": self.fresh_replicates,
                "trials": self.trials, "batch": self.batch, "seed": self.seed,
                "sampler": self.sampler, "path": str(self.path) if self.path else None}

    def fingerprint(self) -> str:
        """A hash of everything that decides the search (not the number of trials: a resumed
        search may ask for more)."""
        data = {k: v for k, v in self.to_dict().items() if k not in ("trials", "description",
                                                                     "path", "scenario_path")}
        data["params"] = _jsonable(self.scenario.params.model_dump())
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


# -- parsing --------------------------------------------------------------------------------------

def parse_objective(text: str, where: str) -> Objective:
    """'max NAME', 'min NAME' or 'NAME' (maximised).

    Raises:
        UserError: an unknown outcome (with the closest one) or a bad direction.
    """
    words = str(text).split()
    if len(words) == 1:
        direction, name = "max", words[0]
    elif len(words) == 2:
        direction, name = words
    else:
        raise UserError(f"{where}: objective {toml_value(text)}: expected 'max NAME' or "
                        "'min NAME', e.g. \"max active_members_d90\"")
    if direction not in ("max", "min"):
        raise UserError(f"{where}: objective {toml_value(text)}: the direction must be max or "
                        f"min, not {direction!r}")
    known = outcome_names()
    if name not in known:
        raise UserError(f"{where}: objective {toml_value(text)}: unknown outcome '{name}'"
                        f"{closest(name, known)}; known outcomes: {', '.join(known)}")
    return Objective(name, direction == "max")


def parse_lever(name: str, spec: Any, where: str) -> Lever:
    """A lever from a problem file's [levers] entry or a --lever flag.

    Raises:
        UserError: an unknown parameter, a range on a non-numeric one, bad bounds.
    """
    here = f"{where} [levers] {name}"
    if name not in PARAM_NAMES:
        raise UserError(f"{here}: unknown parameter '{name}'{closest(name, PARAM_NAMES)}; "
                        "'commsim show baseline' lists them all")
    kind = Params.model_fields[name].annotation
    if isinstance(spec, list):
        if len(spec) < 2:
            raise UserError(f"{here} = {toml_value(spec)}: expected at least two choices")
        for value in spec:
            resolve({name: value}, source=here)
        return Lever(name, choices=tuple(spec))
    if not isinstance(spec, dict):
        raise UserError(f"{here} = {toml_value(spec)}: expected a range {{ low = A, high = B }} "
                        "or a list of choices")
    check_keys(spec, ("low", "high"), here)
    if kind not in (int, float):
        raise UserError(f"{here}: a range needs a numeric parameter, and '{name}' is "
                        f"{info(name)['unit']}: give a list of choices instead")
    for key in ("low", "high"):
        if key not in spec:
            raise UserError(f"{here}: missing '{key}': a range needs low and high")
        value = spec[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        resolve({name: value}, source=here)
    if not spec["low"] < spec["high"]:
        raise UserError(f"{here}: low = {toml_value(spec['low'])} must be below "
                        f"high = {toml_value(spec['high'])}")
    low, high = float(spec["low"]), float(spec["high"])
    if low == 0 and name in switches():
        # 0 switches the lever off, and a cadence of 1 (every day) is its dearest setting:
        # searching "off, or on from the smallest setting up" keeps off one choice away.
        return Lever(name, 1.0 if kind is int else high / 100, high, integer=kind is int,
                     off=True)
    if kind is float and info(name)["unit"] == "day":  # start and end days: whole days
        return Lever(name, math.ceil(low), math.floor(high), integer=True, as_float=True)
    return Lever(name, low, high, integer=kind is int)


def switches() -> set[str]:
    """The parameters whose 0 switches a lever off (shills, content_every, ...)."""
    from sim.levers import LEVERS

    return {lever.switch for lever in LEVERS}


def parse_lever_flag(text: str) -> tuple[str, Any]:
    """``--lever shills=0:3`` (a range) or ``--lever checkin=false,true`` (choices)."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise UserError(f"--lever {text}: expected NAME=LOW:HIGH or NAME=A,B, e.g. "
                        "--lever shills=0:3")
    if ":" in value:
        lo, _, hi = value.partition(":")
        return name, {"low": _number(lo, text), "high": _number(hi, text)}
    return name, [_choice(v.strip()) for v in value.split(",")]


def _number(text: str, flag: str) -> float | int:
    try:
        return int(text) if text.strip().lstrip("-").isdigit() else float(text)
    except ValueError:
        raise UserError(f"--lever {flag}: {text!r} is not a number") from None


def _choice(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip('"')


def load_problem(path: str | Path | None = None, dirs: list[Path] | None = None,
                 **flags: Any) -> Problem:
    """Read a problem file (optional) and apply the flags on top.

    Args:
        path: the problem file (a path or a name in ``experiments/``), or None for flags only.
        dirs: extra scenario folders.
        flags: scenario, budget, days, objectives (list of str), levers (list of (name, spec)),
            replicates, fresh_replicates, trials, batch, seed, sampler; None means "not given".

    Raises:
        UserError: every mistake, naming the file or flag, the key, the value and what was
            expected.
    """
    data: dict[str, Any] = {}
    where = "command line"
    file = None
    if path is not None:
        from sim.experiments import experiments_dir
        from sim.scenarios import is_path

        file = Path(path)
        if not is_path(str(path)) and not file.is_file():
            candidate = experiments_dir() / f"{path}.toml"
            file = candidate if candidate.is_file() else file
        data = read_toml(file)
        where = str(file)
        check_keys(data, PROBLEM_KEYS, where)
    scenario_name = flags.get("scenario") or expect(data, "scenario", str, where,
                                                    "a scenario name or .toml file")
    if scenario_name is None:
        raise UserError(f"{where}: no scenario: give scenario = \"NAME\" in the file or "
                        "--scenario NAME")
    search = [*(dirs or [])] + ([file.parent / "scenarios", file.parent.parent / "scenarios"]
                                if file else [])
    base_dir = file.parent if file else Path.cwd()
    try:
        target = (base_dir / scenario_name if scenario_name.endswith(".toml") and file
                  else scenario_name)
        scenario = load_scenario(target, search)
    except UserError as err:
        raise UserError(f"{where}: scenario: {err}") from None
    world = expect(data, "params", dict, where, "a [params] table of the group's parameters") or {}
    scenario = with_overrides(scenario, dict(world), source=f"{where} [params]")
    budget = flags.get("budget")
    if budget is None:
        budget = expect(data, "budget", (int, float), where, "yuan, a number above 0")
    if budget is None or not budget > 0 or not math.isfinite(float(budget)):
        raise UserError(f"{where}: budget = {toml_value(budget)}: expected the yuan the plan may "
                        "spend over the horizon, a number above 0 (budget = 5000 or --budget "
                        "5000)")
    days = flags.get("days") or expect_int(data, "days", 1, MAX_DAYS, where) or scenario.days
    texts = list(flags.get("objectives") or expect_strings(data, "objectives", where) or [])
    if not texts:
        raise UserError(f"{where}: no objective: give objectives = [\"max active_members_d90\"] "
                        "or --objective \"max active_members_d90\"")
    objectives = [parse_objective(t, where) for t in texts]
    objectives = [o for o in objectives if o.name != "cost"] or objectives
    if len(objectives) > MAX_OBJECTIVES:
        raise UserError(f"{where}: {len(objectives)} objectives: at most {MAX_OBJECTIVES} "
                        "besides cost (cost is always searched)")
    if len({o.name for o in objectives}) < len(objectives):
        raise UserError(f"{where}: an objective is listed twice: {', '.join(texts)}")
    specs: dict[str, Any] = dict(expect(data, "levers", dict, where, "a [levers] table") or {})
    for name, spec in flags.get("levers") or []:
        specs[name] = spec
    if not specs:
        raise UserError(f"{where}: no levers to search: give a [levers] table or --lever "
                        "NAME=LOW:HIGH")
    levers = [parse_lever(n, s, where) for n, s in specs.items()]

    def number(key: str, lo: int, hi: int, default: int) -> int:
        value = flags.get(key)
        return value if value is not None else (expect_int(data, key, lo, hi, where) or default)

    sampler = flags.get("sampler") or expect(data, "sampler", str, where,
                                             f"one of {', '.join(SAMPLERS)}") or "nsga2"
    if sampler not in SAMPLERS:
        raise UserError(f"{where}: sampler = {toml_value(sampler)}: expected one of "
                        f"{', '.join(map(repr, SAMPLERS))}")
    seed = flags.get("seed")
    if seed is None:
        seed = expect_int(data, "seed", 0, 2**31 - 1, where) or 0
    name = flags.get("name") or expect(data, "name", str, where, "a string") or (
        file.stem if file else f"optimize_{scenario.name}")
    return Problem(name=name,
                   description=expect(data, "description", str, where, "a string") or "",
                   scenario=scenario, budget=float(budget), days=int(days),
                   objectives=objectives, levers=levers,
                   replicates=number("replicates", 2, 10_000, 16),
                   fresh_replicates=number("fresh_replicates", 2, 100_000, 40),
                   trials=number("trials", 2, 100_000, 200),
                   batch=number("batch", 1, 10_000, 20), seed=int(seed), sampler=sampler,
                   path=file, world=dict(world))
