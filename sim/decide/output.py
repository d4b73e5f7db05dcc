"""The results folder of ``commsim optimize``: its manifest, the trials (kept after every batch,
so a search can resume), the front, the re-scored plans and the plans as scenario files.

    <out>/manifest.json        command, problem, fingerprint, versions, times, status
    <out>/trials.parquet       every candidate: lever values, objective means, cost, feasible
    <out>/front.csv            the Pareto front of cost against the objectives (search seeds)
    <out>/scores.csv           the plans on fresh seeds, with paired 95% intervals
    <out>/contributions.csv    what each lever adds to its plan (paired 95% intervals)
    <out>/plans/start.toml, plan_01.toml, ...   scenario files (commsim run accepts them)
    <out>/plans/plans.toml     an experiment of the start and the plans (commsim sweep, compare)
    <out>/optimize.html        the page: front, time courses, lever contributions
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from sim.decide.optimize import TRIALS, Optimised
from sim.decide.problem import Problem
from sim.errors import UserError
from sim.files import atomic_write, write_with
from sim.params import PARAM_NAMES, Params, toml_value

MANIFEST = "manifest.json"  # the name sweep's folders use too (sim.store.MANIFEST)


def write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary file renamed into place (:mod:`sim.files`)."""
    atomic_write(path, text)


def _optimize_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a commsim optimize folder, or None when ``out`` is not one (no, an
    unreadable or another program's manifest.json)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("kind") == "optimize" else None


def open_folder(out: Path, problem: Problem, command: list[str], resume: bool,
                force: bool) -> pd.DataFrame | None:
    """Make (or reopen with ``resume``) the results folder; returns the trials already done.

    Raises:
        UserError: the folder exists (without --resume or --force), it is not an optimize
            folder, or it holds another problem.
    """
    from sim.store import commsim_commit, utc_now, versions

    out = Path(out)
    manifest_path = out / MANIFEST
    if resume:
        if not manifest_path.is_file():
            raise UserError(f"--resume: {out} holds no {MANIFEST}: nothing to resume; run "
                            "without --resume")
        manifest = _optimize_manifest(out)
        if manifest is None:
            raise UserError(f"--resume: {out} is not a commsim optimize folder (its {MANIFEST} "
                            "is not one commsim optimize wrote)")
        if manifest.get("fingerprint") != problem.fingerprint():
            raise UserError(f"--resume: {out} holds another problem (its group, budget, horizon, "
                            "levers, objectives, replicates, batch or seed differ); resume it "
                            "with the same file and flags, or use another --out")
        manifest["status"] = "running"
        manifest.setdefault("resumed", []).append({"command": command, "at": utc_now()})
        write_text(manifest_path, json.dumps(manifest, indent=2) + "\n")
        trials = out / TRIALS
        return pd.read_parquet(trials) if trials.is_file() else None
    if out.exists():
        if not force:
            raise UserError(f"{out} already exists: use --resume to finish it, --force to "
                            "replace it, or another --out")
        if any(out.iterdir()) and _optimize_manifest(out) is None:
            raise UserError(f"{out} is not a commsim results folder (its {MANIFEST} does not "
                            "say so); --force replaces only results folders: choose another "
                            "--out")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = {"kind": "optimize", "command": command, "status": "running",
                "started": utc_now(), "finished": None, "problem": _json(problem.to_dict()),
                "fingerprint": problem.fingerprint(),
                "group_params": _json(problem.scenario.params.model_dump()),
                "version": versions().get("commsim"), "git_commit": commsim_commit(),
                "versions": versions(), "resumed": []}
    write_text(manifest_path, json.dumps(manifest, indent=2) + "\n")
    return None


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def save_trials(out: Path, table: pd.DataFrame) -> None:
    """Keep the trials so far (atomic)."""
    write_with(Path(out) / TRIALS, lambda tmp: table.to_parquet(tmp, index=False))


def mark(out: Path, status: str, extra: dict[str, Any] | None = None) -> None:
    """Record the status (complete, interrupted) in the manifest."""
    from sim.store import utc_now

    path = Path(out) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(status=status, finished=utc_now(), **_json(extra or {}))
    write_text(path, json.dumps(manifest, indent=2) + "\n")


def plan_overrides(problem: Problem, plan: dict[str, Any]) -> dict[str, Any]:
    """The group's overrides plus the plan's lever values that differ from the defaults; the
    window of a lever the plan leaves off is left out (it changes nothing)."""
    from sim.levers import LEVERS

    merged = {**problem.base, **plan}
    defaults = Params().model_dump()
    for lever in LEVERS:
        if not merged.get(lever.switch, defaults[lever.switch]):
            for key in (f"{lever.name}_start", f"{lever.name}_end"):
                if key in plan and key not in problem.base:
                    merged[key] = defaults[key]
    return {k: v for k, v in merged.items() if k in PARAM_NAMES and v != defaults[k]
            or k in problem.base}


def scenario_text(name: str, description: str, overrides: dict[str, Any], days: int,
                  seed: int) -> str:
    """A scenario file (extends the baseline; every override written out)."""
    lines = [f"name = {toml_value(name)}", f'description = """\n{description}"""',
             'extends = "baseline"', f"days = {days}", f"seed = {seed}", "", "[params]"]
    for key in PARAM_NAMES:
        if key in overrides:
            value = overrides[key]
            if isinstance(value, float) and value == int(value) and math.isfinite(value):
                text = f"{value:.1f}"
            else:
                text = toml_value(value)
            lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def _short(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value) and value != int(value):
        return f"{value:.3g}"
    return toml_value(value)


def write_plans(result: Optimised, folder: Path) -> list[Path]:
    """plans/start.toml, plans/plan_NN.toml and plans/plans.toml; each scenario is loaded back
    (as ``commsim run`` would) before the next is written."""
    from sim.scenarios import load_scenario

    p, r = result.problem, result.rescored
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, plan in zip(r.names, r.plans):
        if name == "start":
            text = (f"The group of {p.name} without a plan: scenario {p.scenario.name} with "
                    "the problem's [params].")
        else:
            scores = r.scores[r.scores["plan"] == name].set_index("outcome")
            said = "; ".join(f"{o.label}: {scores.loc[o.name, 'mean']:.4g}"
                             for o in p.objectives)
            levers = ", ".join(f"{k} = {_short(v)}" for k, v in plan.items()
                               if v != r.plans[0][k]) or "no lever changed"
            text = (f"A plan found by commsim optimize ({p.name}): {levers}. On "
                    f"{p.fresh_replicates} fresh seeds over {p.days} days it cost "
                    f"{scores.loc['cost', 'mean']:,.0f} yuan on average (budget "
                    f"{p.budget:,.0f}); {said}.")
        path = folder / f"{name}.toml"
        write_text(path, scenario_text(name, text, plan_overrides(p, plan), p.days, p.seed))
        load_scenario(path)
        written.append(path)
    scenarios = ", ".join(f'"{n}.toml"' for n in r.names)
    experiment = (f'name = "{p.name}_plans"\n'
                  f'description = """\nThe plans of commsim optimize ({p.name}) against the '
                  f'group without a plan, paired by seed."""\n'
                  f"scenarios = [{scenarios}]\nbaseline = \"start\"\n"
                  f"replicates = {p.fresh_replicates}\ndays = {p.days}\nseed = {p.seed}\n")
    path = folder / "plans.toml"
    write_text(path, experiment)
    written.append(path)
    return written


def write_outputs(result: Optimised, out: Path) -> list[Path]:
    """Every output file of a finished search."""
    from sim.decide.pages import optimize_page

    out = Path(out)
    front = result.front.drop(columns=["values", "params", "user_attrs", "system_attrs"])
    for name, table in (("front.csv", front), ("scores.csv", result.rescored.scores),
                        ("contributions.csv", result.rescored.contributions)):
        write_with(out / name, lambda tmp, t=table: t.to_csv(tmp, index=False))
    paths = write_plans(result, out / "plans")
    write_text(out / "optimize.html", optimize_page(result))
    return [out / "front.csv", out / "scores.csv", out / "contributions.csv", *paths,
            out / "optimize.html"]


def check_folder_name(out: Path) -> None:
    """Refuse an --out that cannot be a results folder: a link, a file, a path under a file or a
    place this user cannot write in (as ``sweep`` does)."""
    from sim.store import check_out_folder

    check_out_folder(Path(out))
