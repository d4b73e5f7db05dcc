"""Experiment files: scenarios compared over a design of varied parameters, with replicates.

An experiment file (``experiments/<name>.toml``) holds::

    name = "fee"
    description = "..."
    scenarios = ["baseline", "daily_digest"]  # compared; the first is the reference ...
    baseline = "baseline"                     # ... unless named here
    replicates = 10                           # runs per scenario and design point
    days = 180                                # run length (default: the scenarios' days)
    seed = 0                                  # master seed
    outcomes = ["joined", "cost"]             # per-run outcome columns kept (default: all)
    record = ["members", "groups"]            # also write members.parquet, groups.parquet
    method = "sobol"                          # "sobol"/"morris": a SALib design of the ranges
    sampler = "lhs"                           # "lhs" or "sobol", for ranges in [vary]
    samples = 32

    [vary]
    shills = [0, 1, 2]                        # a list: levels of a full factorial
    [vary.entry_fee]                          # a range: sampled by the sampler
    low = 0
    high = 199

Lists are crossed (full factorial, in file order) and the sampled points are crossed with them.
Each run's seed depends only on the master seed and the replicate index, so replicate r uses the
same seed in every scenario and design point: common random numbers, paired comparisons. (The
``seed`` and ``days`` of the scenario files are defaults for ``commsim run``; an experiment uses
its own.)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.designs import sensitivity_points
from sim.errors import Mistakes, UserError, closest
from sim.outcomes import RUN_COLUMNS
from sim.params import PARAM_NAMES, Params, info, resolve, toml_value
from sim.scenarios import (
    MAX_DAYS,
    MAX_SEED,
    NAME_RULE,
    PATHS_HINT,
    Scenario,
    bundled_dir,
    check_keys,
    check_name,
    expect,
    expect_int,
    expect_strings,
    inside,
    is_path,
    load_scenario,
    read_toml,
    scenario_dirs,
)

EXPERIMENT_KEYS = ("name", "description", "scenarios", "baseline", "vary", "sampler", "samples",
                   "replicates", "days", "seed", "outcomes", "method", "record")
RANGE_KEYS = ("low", "high")
SAMPLERS = ("lhs", "sobol")
METHODS = ("sobol", "morris")
DEFAULT_REPLICATES = 10
MAX_REPLICATES = 100_000
MAX_SAMPLES = 1_000_000


def experiments_dir() -> Path:
    """The ``experiments/`` folder shipped beside the ``sim`` package."""
    return bundled_dir().parent / "experiments"


def run_outcome_names() -> tuple[str, ...]:
    """The per-run outcome columns of ``summarize_runs``."""
    return tuple(RUN_COLUMNS)


def replicate_seed(master_seed: int, replicate: int) -> int:
    """The seed of every run of replicate ``replicate``: a 63-bit hash of (master seed, index)."""
    state = np.random.SeedSequence(master_seed, spawn_key=(replicate,)).generate_state(
        1, dtype=np.uint64)
    return int(state[0] >> np.uint64(1))


def jsonable(value: Any) -> Any:
    """``value`` as strict JSON data: infinite and missing floats become "inf", "-inf", "nan"."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, np.generic):
        return jsonable(value.item())
    return value


@dataclass
class RunSpec:
    """One run of an experiment: where it sits in the design and everything needed to run it."""

    run_id: int
    scenario: str
    point: dict[str, Any]
    replicate: int
    seed: int
    params: Params


@dataclass
class Experiment:
    """A resolved experiment: its scenarios, its design points and how many replicates."""

    name: str
    description: str
    scenarios: list[Scenario]
    baseline: str
    vary: dict[str, Any]  # as written: lists of levels or {low, high} ranges
    points: list[dict[str, Any]]  # the design: one dict of varied values per point
    replicates: int
    days: int
    seed: int
    outcomes: list[str] | None = None  # per-run outcome columns kept (None = all)
    sampler: str | None = None
    samples: int | None = None
    method: str | None = None
    record: tuple[str, ...] = ()  # opt-in tables of sim/records.py ("members", "groups")
    path: Path | None = None
    _params: dict[tuple[str, int], Params] = field(default_factory=dict, repr=False)

    @property
    def n_runs(self) -> int:
        """Scenarios x design points x replicates."""
        return len(self.scenarios) * len(self.points) * self.replicates

    def params_of(self, scenario: Scenario, index: int) -> Params:
        """The resolved parameters of a scenario at design point ``index``."""
        key = (scenario.name, index)
        if key not in self._params:
            where = f"{self.path or self.name} [vary] in scenario '{scenario.name}'"
            self._params[key] = resolve({**scenario.overrides, **self.points[index]}, where)
        return self._params[key]

    def run_specs(self) -> list[RunSpec]:
        """Every run, ordered by scenario, then design point, then replicate; ids 0, 1, ..."""
        seeds = [replicate_seed(self.seed, r) for r in range(self.replicates)]
        specs = []
        for scenario in self.scenarios:
            for i, point in enumerate(self.points):
                params = self.params_of(scenario, i)
                for r in range(self.replicates):
                    specs.append(RunSpec(len(specs), scenario.name, dict(point), r, seeds[r],
                                         params))
        return specs

    def to_dict(self) -> dict[str, Any]:
        """The resolved experiment as JSON data (for the manifest); scenarios by name."""
        return jsonable({
            "name": self.name, "description": self.description,
            "path": str(self.path) if self.path else None,
            "scenarios": [s.name for s in self.scenarios], "baseline": self.baseline,
            "vary": self.vary, "sampler": self.sampler, "samples": self.samples,
            "method": self.method, "replicates": self.replicates, "days": self.days,
            "seed": self.seed, "outcomes": self.outcomes, "points": self.points,
            "n_runs": self.n_runs, "record": list(self.record)})

    def fingerprint(self) -> str:
        """A hash of everything that decides the results: scenarios' parameters, design, seeds."""
        data = {"scenarios": {s.name: s.params.model_dump() for s in self.scenarios},
                "points": self.points, "replicates": self.replicates, "days": self.days,
                "seed": self.seed, "outcomes": self.outcomes}
        if self.record:  # only when asked, so older folders keep their fingerprint
            data["record"] = list(self.record)
        text = json.dumps(jsonable(data), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# -- the design -----------------------------------------------------------------------------------

def _levels(name: str, values: list, where: str) -> list:
    if not values:
        raise UserError(f"{where}: vary.{name} = []: expected at least one value")
    m = Mistakes()
    for v in values:
        m.get(resolve, {name: v}, source=f"{where} [vary]")
    m.raise_all()
    return list(values)


def _range(name: str, spec: dict, where: str) -> tuple[float, float]:
    here = f"{where} [vary.{name}]"
    check_keys(spec, RANGE_KEYS, here)
    field_type = Params.model_fields[name].annotation
    if field_type not in (int, float):
        raise UserError(f"{here}: a range needs a numeric parameter, and '{name}' is "
                        f"{info(name)['unit']}: give a list of values instead")
    for key in RANGE_KEYS:
        if key not in spec:
            raise UserError(f"{here}: missing '{key}': a range needs low and high")
        resolve({name: spec[key]}, source=here)
    if not spec["low"] < spec["high"]:
        raise UserError(f"{here}: low = {toml_value(spec['low'])} must be below "
                        f"high = {toml_value(spec['high'])}")
    return spec["low"], spec["high"]


def _sample(ranges: dict[str, tuple[float, float]], sampler: str, samples: int,
            seed: int) -> list[dict[str, Any]]:
    from scipy.stats import qmc  # only needed for sampled designs

    d = len(ranges)
    if sampler == "sobol":
        u = qmc.Sobol(d, scramble=True, rng=seed).random_base2(int(math.log2(samples)))
    else:
        u = qmc.LatinHypercube(d, rng=seed).random(samples)
    points = []
    for row in u:
        point: dict[str, Any] = {}
        for (name, (low, high)), x in zip(ranges.items(), row):
            if Params.model_fields[name].annotation is int:
                point[name] = int(min(high, low + math.floor(x * (high - low + 1))))
            else:
                point[name] = float(low + x * (high - low))
        points.append(point)
    return points


def design(vary: dict[str, Any], sampler: str | None, samples: int | None, seed: int,
           where: str, method: str | None = None) -> list[dict[str, Any]]:
    """The design points: the full factorial of the lists crossed with the sampled ranges.

    With a sensitivity ``method`` and no ``sampler``, the ranges get that method's SALib design
    (:func:`sim.designs.sensitivity_points`); with a sampler, ``method`` is only
    carried through.
    """
    lists: dict[str, list] = {}
    ranges: dict[str, tuple[float, float]] = {}
    m = Mistakes()
    for name, spec in vary.items():
        if name not in PARAM_NAMES:
            m.get(resolve, {name: None}, source=f"{where} [vary]")  # names the closest one
        elif isinstance(spec, list):
            lists[name] = m.get(_levels, name, spec, where)
        elif isinstance(spec, dict):
            ranges[name] = m.get(_range, name, spec, where)
        else:
            m.add(UserError(f"{where}: vary.{name} = {toml_value(spec)}: expected a list of "
                            f"values (vary.{name} = [1, 2]) or a range table ([vary.{name}] "
                            "with low and high)"))
    m.raise_all()
    if method is not None and sampler is None:  # the SALib design of the method
        sampled = sensitivity_points(ranges, method, samples, seed, where)
        factorial = [dict(zip(lists, c)) for c in itertools.product(*lists.values())]
        return [{**f, **s} for f in factorial for s in sampled]
    if ranges and sampler is None:
        raise UserError(f"{where}: vary.{next(iter(ranges))} is a range, so the experiment needs "
                        f"sampler = one of {', '.join(map(repr, SAMPLERS))} and samples = N")
    if sampler is not None and not ranges:
        raise UserError(f"{where}: sampler = {toml_value(sampler)} but [vary] has no range to "
                        "sample; "
                        "give ranges as [vary.<name>] tables with low and high")
    if ranges and samples is None:
        raise UserError(f"{where}: sampler = {toml_value(sampler)} needs samples = N "
                        "(the design points)")
    factorial = [dict(zip(lists, combo)) for combo in itertools.product(*lists.values())]
    if not ranges:
        return factorial
    sampled = _sample(ranges, sampler, samples, seed)
    return [{**f, **s} for f in factorial for s in sampled]


# -- loading --------------------------------------------------------------------------------------

def _scenarios(names: list[str], path: Path, dirs: list[Path], allow_paths: bool = False
               ) -> list[Scenario]:
    where = f"{path}: scenarios"
    if not names:
        raise UserError(f"{where} = []: expected at least one scenario name")
    loaded = []
    folders = [path.parent, *dirs, *scenario_dirs()]
    m = Mistakes()
    for name in names:
        if is_path(name):
            file = Path(name) if Path(name).is_absolute() else path.parent / name
            if not allow_paths and (Path(name).is_absolute() or not inside(file, folders)):
                m.add(UserError(f"{where} holds {toml_value(name)}: a file outside the "
                                "experiment's folder and the scenario folders; expected a "
                                f"scenario name ({NAME_RULE}) or a file beside the experiment; "
                                f"{PATHS_HINT}"))
                continue
        try:
            loaded.append(load_scenario(file if is_path(name) else name, dirs, allow_paths))
        except UserError as err:
            for e in getattr(err, "errors", [err]):
                m.add(UserError(f"{where}: {e}"))
    m.raise_all()
    seen = [s.name for s in loaded]
    for name in seen:
        if seen.count(name) > 1:
            raise UserError(f"{where}: scenario '{name}' is listed twice")
    return loaded


def _days(scenarios: list[Scenario], where: str) -> int:
    days = {s.days for s in scenarios}
    if len(days) > 1:
        listing = ", ".join(f"{s.name}: {s.days}" for s in scenarios)
        raise UserError(f"{where}: the scenarios have different default days ({listing}); "
                        "set days = N in the experiment")
    return days.pop()


def load_experiment(path: str | Path, dirs: Iterable[str | Path] = (),
                    allow_paths: bool = False) -> Experiment:
    """Read, check and resolve an experiment file (a path, or a name in ``experiments/``).

    Args:
        path: the experiment file, or the name of a bundled experiment (``"smoke"``).
        dirs: extra folders searched for scenarios, before ``scenarios/`` beside the file's
            folder and the bundled ones.
        allow_paths: let ``scenarios`` (and the scenarios' ``extends``) name files anywhere;
            without it a path must lead to a file beside the experiment or in a scenario folder.

    Raises:
        UserError: a missing file, bad TOML, an unknown key, a bad value, an unknown scenario or
            a bad design, naming the file, the key, the value and what was expected.
    """
    path = Path(path)
    if not is_path(str(path)) and not path.is_file():
        candidate = experiments_dir() / f"{path}.toml"
        if candidate.is_file():
            path = candidate
    data = read_toml(path)
    where = str(path)
    m = Mistakes()  # every mistake of the file at once, not the first only
    m.get(check_keys, data, EXPERIMENT_KEYS, where,
          hint=" (varied parameters go in the [vary] table)" if set(data) & set(PARAM_NAMES)
          else "")
    search = [*map(Path, dirs), path.parent / "scenarios", path.parent.parent / "scenarios"]
    names = m.get(expect_strings, data, "scenarios", where)
    scenarios: list[Scenario] = []
    if names is None and "scenarios" not in data:
        m.add(UserError(f"{where}: missing key 'scenarios': expected a list of scenario names, "
                        "e.g. scenarios = [\"baseline\", \"shills\"]"))
    elif names is not None:
        scenarios = m.get(_scenarios, names, path, search, allow_paths, default=[])
    baseline = m.get(expect, data, "baseline", str, where, "one of the scenario names")
    if baseline is None:
        baseline = scenarios[0].name if scenarios else None
    elif scenarios and baseline not in [s.name for s in scenarios]:
        m.add(UserError(f"{where}: baseline = {toml_value(baseline)} is not one of the "
                        "experiment's "
                        f"scenarios: {', '.join(s.name for s in scenarios)}"))
    sampler = m.get(expect, data, "sampler", str, where,
                    f"one of {', '.join(map(repr, SAMPLERS))}")
    if sampler is not None and sampler not in SAMPLERS:
        m.add(UserError(f"{where}: sampler = {toml_value(sampler)} is not allowed: expected one "
                        f"of {', '.join(map(repr, SAMPLERS))}"))
    samples = m.get(expect_int, data, "samples", 1, MAX_SAMPLES, where)
    if sampler == "sobol" and samples is not None and samples & (samples - 1):
        m.add(UserError(f"{where}: samples = {samples} is not allowed with sampler = 'sobol': "
                        "expected a power of 2 (e.g. 64), which keeps the Sobol design "
                        "balanced"))
    method = m.get(expect, data, "method", str, where, f"one of {', '.join(map(repr, METHODS))}")
    if method is not None and method not in METHODS:
        m.add(UserError(f"{where}: method = {toml_value(method)} is not allowed: expected one of "
                        f"{', '.join(map(repr, METHODS))}"))
    outcomes = m.get(expect_strings, data, "outcomes", where)
    for name in outcomes or []:
        if name not in run_outcome_names():
            m.add(UserError(f"{where}: outcomes holds unknown outcome '{name}'"
                            f"{closest(name, run_outcome_names())}; known outcomes: "
                            f"{', '.join(run_outcome_names())}"))
    from sim.records import parse_records

    record = m.get(parse_records, data.get("record"), f"{where}: record", default=())
    seed = m.get(expect_int, data, "seed", 0, MAX_SEED, where)
    seed = 0 if seed is None else seed
    vary = m.get(expect, data, "vary", dict, where, "a [vary] table of varied parameters") or {}
    days = m.get(expect_int, data, "days", 1, MAX_DAYS, where)
    if days is None and scenarios:
        days = m.get(_days, scenarios, where)
    replicates = m.get(expect_int, data, "replicates", 1, MAX_REPLICATES, where)
    name = m.get(expect, data, "name", str, where, "a string") or path.stem
    m.get(check_name, name, f"{where}: name" if "name" in data else f"{where}: the name taken "
          "from the file name")
    description = m.get(expect, data, "description", str, where, "a string") or ""
    points = m.get(design, vary, sampler, samples, seed, where, method)
    m.raise_all()
    experiment = Experiment(
        name=name, description=description, scenarios=scenarios, baseline=baseline, vary=vary,
        points=points,
        replicates=replicates or DEFAULT_REPLICATES, days=days, seed=seed,
        outcomes=list(outcomes) if outcomes is not None else None, sampler=sampler,
        samples=samples, method=method, record=record, path=path)
    for scenario in scenarios:  # every scenario x point must resolve before anything runs
        for i in range(len(experiment.points)):
            experiment.params_of(scenario, i)
    return experiment


def single_run(scenario: Scenario, replicates: int, days: int | None = None,
               seed: int | None = None, record: tuple[str, ...] = ()) -> Experiment:
    """The experiment of ``commsim run``: one scenario, no design, some replicates."""
    return Experiment(name=scenario.name, description=scenario.description,
                      scenarios=[scenario], baseline=scenario.name, vary={}, points=[{}],
                      replicates=replicates, days=days or scenario.days,
                      seed=scenario.seed if seed is None else seed, record=tuple(record),
                      path=scenario.path)


def list_experiments() -> list[Path]:
    """The bundled experiment files, sorted by name (not the problem files of ``commsim
    optimize`` that sit beside them, e.g. optimize_300.toml)."""
    folder = experiments_dir()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    return [p for p in files if not _is_problem(p)]


def _is_problem(path: Path) -> bool:
    try:
        return {"budget", "levers"} <= set(read_toml(path))
    except UserError:  # a broken file is listed, so that loading it reports the mistake
        return False
