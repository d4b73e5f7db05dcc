"""``commsim optimize`` and ``commsim discover``: parse, call :mod:`sim.decide`, print.

Attached to ``commsim`` through ``LAZY_COMMANDS`` in sim/cli.py; heavy imports happen inside the
commands.
"""

from __future__ import annotations

import math
import shlex
from pathlib import Path

import click

from sim.errors import UserError
from sim.files import shown as _shown

MAX_FRONT_LINES = 12


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def optimize_text(result) -> str:
    """The front and the plans, in words and numbers with units."""
    p, r = result.problem, result.rescored
    o = p.objectives[0]
    lines = [f"{p.name}: {len(result.trials)} candidate plans on {p.replicates} seeds each "
             f"({result.simulated:,} runs of {p.days} days) in {result.seconds:.1f} s; "
             f"{int(result.trials['feasible'].sum())} within the budget of {p.budget:,.0f} yuan",
             "", f"Pareto front (search seeds), cost against {o.label}:"]
    front = result.front
    if len(front) > MAX_FRONT_LINES:
        lines.append(f"  ({len(front)} plans; one in {math.ceil(len(front) / MAX_FRONT_LINES)}"
                     " shown; all in front.csv)")
        front = front.iloc[::math.ceil(len(front) / MAX_FRONT_LINES)]
    for row in front.itertuples():
        lines.append(f"  {row.cost_mean:>9,.0f} yuan   {getattr(row, 'obj_' + o.name):>8.3g}   "
                     + ", ".join(f"{lv.name}={_val(getattr(row, lv.name))}" for lv in p.levers))
    lines += ["", f"Plans re-scored on {p.fresh_replicates} fresh seeds (paired 95% intervals):"]
    s = r.scores
    for name, plan in zip(r.names, r.plans):
        rows = s[s.plan == name].set_index("outcome")
        cost = rows.loc["cost", "mean"]
        head = f"  {name}: cost {cost:,.0f} yuan"
        for obj in p.objectives:
            x = rows.loc[obj.name]
            head += f"; {obj.label}: {_num(x['mean'])}"
            if name != "start":
                head += (f" ({x['vs_start']:+.3g}, 95% CI {x['vs_start_low']:+.3g} to "
                         f"{x['vs_start_high']:+.3g} vs start")
                if "vs_previous" in x and x["vs_previous"] == x["vs_previous"]:
                    head += (f"; {x['vs_previous']:+.3g}, {x['vs_previous_low']:+.3g} to "
                             f"{x['vs_previous_high']:+.3g} vs the next-cheaper plan")
                head += ")"
        lines.append(head)
        if name != "start":
            lines.append("      " + ", ".join(f"{k}={_val(v)}" for k, v in plan.items()
                                             if v != r.plans[0][k]) or "      (the start)")
    for d in r.dropped:
        lines.append(f"  dropped: {d}")
    best = _best(result)
    if best is not None:
        lines += ["", f"Best plan for {o.label}: {best} (see plans/{best}.toml)"]
    return "\n".join(lines)


def _best(result) -> str | None:
    o = result.problem.objectives[0]
    s = result.rescored.scores
    rows = s[(s.outcome == o.name) & (s.plan != "start")]
    if rows.empty:
        return None
    i = rows["mean"].idxmax() if o.maximise else rows["mean"].idxmin()
    return str(rows.loc[i, "plan"])


def _val(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


@click.command("optimize")
@click.argument("problem", required=False)
@click.option("--scenario", help="The group: a scenario name or .toml file.")
@click.option("--budget", type=click.FloatRange(min=0, min_open=True),
              help="Yuan the plan may spend over the horizon.")
@click.option("--days", type=click.IntRange(1, 3650), help="The horizon in days.")
@click.option("--lever", "levers", multiple=True, metavar="NAME=LOW:HIGH|A,B",
              help="A lever to search, with bounds or choices (repeat).")
@click.option("--objective", "objectives", multiple=True, metavar="'max NAME'",
              help="An outcome to maximise or minimise (one or two; cost is always searched).")
@click.option("--trials", type=click.IntRange(2, 100_000), help="Candidates to evaluate.")
@click.option("--replicates", type=click.IntRange(2, 10_000),
              help="Seeds every candidate runs on (the same for all).")
@click.option("--fresh-replicates", type=click.IntRange(2, 100_000),
              help="Fresh seeds the chosen plans are re-scored on.")
@click.option("--batch", type=click.IntRange(1, 10_000), help="Candidates simulated together.")
@click.option("--sampler", type=click.Choice(["nsga2", "tpe", "random"]),
              help="Optuna sampler [default: nsga2].")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1),
              help="Seed of the sampler and of the replicate seeds.")
@click.option("--workers", type=click.IntRange(1, 1024), default=1, show_default=True,
              help="Worker processes; the results do not depend on it.")
@click.option("--out", type=click.Path(path_type=Path),
              help="Results folder [default: results/<name>-<UTC time>].")
@click.option("--resume", is_flag=True, help="Continue the search in --out.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def optimize_command(ctx: click.Context, problem: str | None, scenario: str | None,
                     budget: float | None, days: int | None, levers: tuple[str, ...],
                     objectives: tuple[str, ...], trials: int | None, replicates: int | None,
                     fresh_replicates: int | None, batch: int | None, sampler: str | None,
                     seed: int | None, workers: int, out: Path | None, resume: bool,
                     force: bool, quiet: bool) -> None:
    """The best lever plans for a group within a budget: a Pareto front of cost against effect.

    PROBLEM is a problem file (see experiments/optimize_300.toml) or a bundled name; flags
    override it, or replace it entirely.

    \b
    Examples:
      commsim optimize optimize_300 --workers 2
      commsim optimize --scenario baseline --budget 3000 --days 90 \\
          --lever shills=0:3 --lever content_every=0:7 --objective "max active_members_d90"
    """
    from tqdm import tqdm

    from sim.decide import output
    from sim.decide.optimize import EngineEvaluator, optimise
    from sim.decide.problem import load_problem, parse_lever_flag
    from sim.store import default_out

    if resume and force:
        raise UserError("--resume and --force contradict each other: choose one")
    if resume and out is None:
        raise UserError("--resume needs the folder to continue: --out FOLDER")
    dirs = list((ctx.obj or {}).get("scenario_dirs", ()))
    prob = load_problem(problem, dirs, scenario=scenario, budget=budget, days=days,
                        objectives=list(objectives) or None,
                        levers=[parse_lever_flag(t) for t in levers], trials=trials,
                        replicates=replicates, fresh_replicates=fresh_replicates, batch=batch,
                        sampler=sampler, seed=seed)
    out = out or default_out(prob.name)
    output.check_folder_name(out)
    command = (ctx.obj or {}).get("command", ["commsim", "optimize"])
    done = output.open_folder(out, prob, command, resume, force)
    kept = [a for a in command if a != "--force"]
    resume_cmd = shlex.join([*kept, *([] if "--resume" in kept else ["--resume"])]
                            + ([] if "--out" in kept else ["--out", _shown(out)]))
    bar = tqdm(total=prob.trials, initial=min(len(done) if done is not None else 0, prob.trials),
               unit="plan", desc=prob.name, disable=quiet, dynamic_ncols=True)
    evaluator = EngineEvaluator(prob, workers)
    try:
        result = optimise(prob, evaluator, done, lambda t: output.save_trials(out, t),
                          bar.update)
    except KeyboardInterrupt:
        bar.close()
        output.mark(out, "interrupted")
        click.echo(f"\ncommsim: interrupted: the trials so far are kept in {_shown(out)}\n"
                   f"resume with: {resume_cmd}", err=True)
        ctx.exit(130)
    finally:
        bar.close()
        evaluator.close()
    result.path = out
    paths = output.write_outputs(result, out)
    output.mark(out, "complete", {"seconds": round(result.seconds, 2),
                                  "runs_simulated": result.simulated})
    click.echo(optimize_text(result))
    click.echo(f"\nResults: {_shown(out)}/ ({len(paths)} files: front.csv, scores.csv, "
               "contributions.csv, plans/*.toml, optimize.html)")
    click.echo(f"next: commsim run {_shown(out / 'plans' / 'plan_01.toml')}; commsim sweep "
               f"{_shown(out / 'plans' / 'plans.toml')} then commsim compare on its folder")


def discover_text(d) -> str:
    """The rule in words, the box, its stability and CART's view."""
    lines = [f"{d.runs} runs ({d.points} design points) over {len(d.inputs)} inputs: "
             f"{', '.join(d.inputs)}",
             f"condition: {d.condition.text} ({d.condition.words}): met by {d.hits} runs "
             f"({d.base_rate:.0%}); judged run by run, replicates of a design point count "
             "separately", "", "Rule (PRIM):", f"  {d.rule_text()}", "",
             f"Box limits (quasi-p-value; stability over {_resamples(d)} bootstrap resamples "
             "of the design points):"]
    stab = d.stability.set_index("input") if len(d.stability) else None
    for lim in d.box.limits:
        line = f"  {lim.text():<40} p = {lim.qp:.2g}"
        if stab is not None and lim.name in stab.index:
            row = stab.loc[lim.name]
            line += f"; restricted in {row['restricted_share']:.0%} of resamples"
            if lim.low is not None and row["low_p05"] == row["low_p05"]:
                line += f", lower limit {_num(row['low_p05'])} to {_num(row['low_p95'])}"
            if lim.high is not None and row["high_p05"] == row["high_p05"]:
                line += f", upper limit {_num(row['high_p05'])} to {_num(row['high_p95'])}"
        lines.append(line)
    if stab is not None:
        others = stab[(~stab["in_box"]) & (stab["restricted_share"] >= 0.25)]
        for name, row in others.iterrows():
            lines.append(f"  ({name} is not in the box but restricted in "
                         f"{row['restricted_share']:.0%} of resamples)")
    lines.append(f"  coverage {d.box.coverage:.0%}, density {d.box.density:.0%}, "
                 f"{d.box.n} runs inside ({d.box.mass:.0%} of all), peeling step {d.box.step} "
                 f"of {len(d.trajectory) - 1}")
    if d.cart is not None and len(d.cart):
        good = d.cart[d.cart["coverage"] >= 0.1].head(2)
        lines += ["", "Second view (CART leaves, densest with coverage >= 10%):"]
        for row in good.itertuples():
            lines.append(f"  {row.rule}: density {row.density:.0%}, coverage {row.coverage:.0%}")
        if len(good):
            used = {w for w in str(good.iloc[0]["rule"]).split() if w in d.inputs}
            boxed = {lim.name for lim in d.box.limits}
            if used - boxed:
                lines.append(f"  CART's densest leaf also uses {', '.join(sorted(used - boxed))}"
                             ", which PRIM's box leaves free: a second candidate rule")
            elif used:
                lines.append("  CART's densest leaf uses the box's inputs: the two views agree")
    lines += [f"note: {n}" for n in d.notes]
    return "\n".join(lines)


def _discover_files(out: Path) -> tuple[Path, Path, Path]:
    """The page and the two tables beside it."""
    stem = out.with_suffix("")
    return out, Path(f"{stem}_trajectory.csv"), Path(f"{stem}_stability.csv")


def _resamples(d) -> int:
    return int(d.stability["resamples"].max()) if len(d.stability) else 0


@click.command("discover")
@click.argument("results", type=click.Path(path_type=Path))
@click.argument("condition")
@click.option("--min-coverage", type=click.FloatRange(0.01, 1.0), default=0.5,
              show_default=True,
              help="The box shown is the densest covering at least this share of the runs that "
                   "meet the condition.")
@click.option("--bootstrap", "resamples", type=click.IntRange(0, 10_000), default=20,
              show_default=True, help="Resamples of the design points for the limits' "
                                      "stability (0: none).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seed of the bootstrap.")
@click.option("--input", "input_names", multiple=True, metavar="NAME",
              help="Only these inputs (repeat) [default: every varied parameter].")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The page [default: RESULTS/discover.html]; the tables go beside it.")
@click.option("--force", is_flag=True, help="Replace the -o page and its tables if they exist.")
@click.option("--partial", is_flag=True, help="Use the finished runs of an unfinished sweep.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def discover_command(results: Path, condition: str, min_coverage: float, resamples: int,
                     seed: int, input_names: tuple[str, ...], out: Path | None, force: bool,
                     partial: bool, quiet: bool) -> None:
    """When does CONDITION hold? Scenario discovery (PRIM) on a sweep's results folder.

    CONDITION is judged per run: silent_by_day_90, "members_final < 100",
    "active_members_d90 < 10", "profit < 0", silent, "not silent".

    \b
    Examples:
      commsim sweep playbook_worlds --out results/worlds
      commsim discover results/worlds "active_members_d90 < 10"
    """
    from sim.decide.discover import discover, parse_condition
    from sim.decide.pages import discover_page
    from sim.errors import closest
    from sim.files import atomic_write, check_output, write_with
    from sim.report.results import open_results

    if out is not None:  # the user's own files: refused before the work, as everywhere
        for path in _discover_files(out):
            check_output(path, "-o", force)
    r = open_results(results, partial=partial)
    cond = parse_condition(condition, r.runs, str(r.path))
    names = list(input_names) or list(r.varied)
    known = list(r.varied) + (["scenario"] if len(r.scenarios) > 1 else [])
    for name in names:
        if name not in known:
            raise UserError(f"--input {name}: not an input of {r.path}{closest(name, known)}; "
                            f"its inputs: {', '.join(known) or 'none'}")
    if not input_names and len(r.scenarios) > 1:
        names.append("scenario")
    clusters = (r.runs["scenario"].astype(str) + "#" + r.runs["point"].astype(str)).to_numpy()
    from tqdm import tqdm

    with tqdm(total=resamples, unit="resample", desc="bootstrap of the box", disable=quiet
              or not resamples, dynamic_ncols=True) as bar:
        d = discover(r.runs, names, cond, clusters, str(r.path), min_coverage, resamples, seed,
                     progress=bar.update)
    out = out or r.path / "discover.html"
    page, trajectory, stability = _discover_files(out)
    write_with(trajectory, lambda tmp: d.trajectory.to_csv(tmp, index=False), "-o")
    write_with(stability, lambda tmp: d.stability.to_csv(tmp, index=False), "-o")
    atomic_write(page, discover_page(d, r.path.name), "-o")
    click.echo(discover_text(d))
    click.echo(f"\nWritten: {_shown(page)}, {_shown(trajectory)}, {_shown(stability)}")
