"""The ``commsim`` command line: parse, call the library, print. Mistakes a user can make raise
:class:`~sim.errors.UserError`, printed by :func:`main` as one line on stderr with exit code 2.
"""

from __future__ import annotations

import importlib
import shlex
import sys
import textwrap
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pandas as pd

import sim
from sim.errors import UserError
from sim.executors import MAX_CHUNK, WorkersLost, available_cores
from sim.experiments import list_experiments, load_experiment, single_run
from sim.params import PARAM_NAMES, info
from sim.scenarios import (
    MAX_DAYS,
    MAX_SEED,
    list_scenarios,
    load_scenario,
    parse_assignment,
    read_toml,
    with_overrides,
)
from sim.store import DAILY, RUNS, default_out, latest_unfinished
from sim.summary import daily_table, runs_table, sweep_table
from sim.sweep import Interrupted, run_experiment

if TYPE_CHECKING:
    from sim.dask_executor import DaskExecutor

EXIT_INTERRUPTED = 130
WIDTH = 100


def _dirs(ctx: click.Context) -> list[Path]:
    return list((ctx.obj or {}).get("scenario_dirs", ()))


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is inside it (shorter to copy)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sim.__version__, prog_name="commsim")
@click.option("--scenario-dir", "scenario_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also look for scenarios by name in this folder (before the bundled ones).")
@click.pass_context
def cli(ctx: click.Context, scenario_dirs: tuple[str, ...]) -> None:
    """commsim: simulate chat-group communities and test an operator's interventions.

    \b
    Examples:
      commsim scenarios                 list the bundled scenarios
      commsim run baseline              run an unmanaged group and print its days
      commsim sweep smoke --workers 2   run an experiment into results/
    """
    ctx.ensure_object(dict)["scenario_dirs"] = [Path(d) for d in scenario_dirs]
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.pass_context
def scenarios(ctx: click.Context) -> None:
    """List the scenarios with their descriptions.

    \b
    Example:
      commsim scenarios
    """
    for s in list_scenarios(_dirs(ctx)):
        click.echo(f"{s.name}  ({s.days} days; {', '.join(s.principles) or 'no principles'})")
        click.echo(_wrap(s.description) + "\n")


@cli.command()
def experiments() -> None:
    """List the bundled experiments with their size.

    \b
    Example:
      commsim experiments
    """
    for path in list_experiments():
        e = load_experiment(path)
        click.echo(f"{e.name}  ({len(e.scenarios)} scenarios x {len(e.points)} points x "
                   f"{e.replicates} replicates = {e.n_runs} runs of {e.days} days)")
        click.echo(_wrap(e.description) + "\n")


@cli.command()
@click.argument("name")
@click.option("--changed", is_flag=True, help="Only the parameters the scenario changes.")
@click.pass_context
def show(ctx: click.Context, name: str, changed: bool) -> None:
    """Print the fully resolved parameters of a scenario (a name or a .toml file).

    Each line: name, value, unit and source; '*' marks a value the scenario changes.

    \b
    Example:
      commsim show fee_99
    """
    s = load_scenario(name, _dirs(ctx))
    click.echo(f"scenario {s.name}: {' -> '.join(s.chain)}  ({s.path})")
    click.echo(_wrap(s.description, "  "))
    click.echo(f"  principles: {', '.join(s.principles) or '-'}; days: {s.days}; seed: {s.seed}")
    values = s.params.model_dump()
    section = None
    for key in PARAM_NAMES:
        if changed and key not in s.overrides:
            continue
        meta = info(key)
        if meta["section"] != section:
            section = meta["section"]
            click.echo(f"\n[{section}]")
        mark = "*" if key in s.overrides else " "
        value = _toml(values[key])
        click.echo(f"{mark} {key:<24} {value:>14}  {meta['unit']:<20} {meta['source']}")


def _toml(value: object) -> str:
    """A value as it is written in a scenario file (true, "private", inf)."""
    if isinstance(value, bool):
        return str(value).lower()
    return f'"{value}"' if isinstance(value, str) else str(value)


def _kind(path: Path) -> str:
    if path.is_file() and {"budget", "levers"} <= set(read_toml(path)):
        return "problem"  # commsim optimize's problem file (sim/decide/problem.py)
    if path.parent.name == "experiments":
        return "experiment"
    if path.parent.name == "scenarios":
        return "scenario"
    data = read_toml(path)
    return "experiment" if {"scenarios", "vary", "replicates"} & set(data) else "scenario"


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check scenario or experiment files without running them (exit 2 if any is wrong).

    The kind of each file is told by its folder (scenarios/, experiments/) or its keys.

    \b
    Example:
      commsim validate scenarios/*.toml experiments/*.toml
    """
    failed = 0
    for path in files:
        try:
            kind = _kind(path)
            if kind == "problem":
                from sim.decide.problem import load_problem

                p = load_problem(path, _dirs(ctx))
                what = (f"optimisation problem '{p.name}': {len(p.levers)} levers, budget "
                        f"{p.budget:,.0f} yuan over {p.days} days")
            elif kind == "experiment":
                e = load_experiment(path, _dirs(ctx))
                what = (f"experiment '{e.name}': {len(e.scenarios)} scenarios x {len(e.points)} "
                        f"points x {e.replicates} replicates = {e.n_runs} runs")
            else:
                s = load_scenario(path, _dirs(ctx))
                what = (f"scenario '{s.name}': {' -> '.join(s.chain)}, "
                        f"{len(s.overrides)} overrides, {s.days} days")
            click.echo(f"ok  {path}  ({what})")
        except UserError as err:
            failed += 1
            click.echo(f"commsim: error: {err}", err=True)
    if failed:
        ctx.exit(UserError.exit_code)


@cli.command()
@click.argument("scenario")
@click.option("--days", type=click.IntRange(1, MAX_DAYS), help="Days to simulate.")
@click.option("--seed", type=click.IntRange(0, MAX_SEED), help="Master seed.")
@click.option("--replicates", type=click.IntRange(1, 10_000), default=5, show_default=True,
              help="Runs with different seeds.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter (a TOML value); repeat for more.")
@click.option("--every", type=click.IntRange(1, MAX_DAYS), default=15, show_default=True,
              help="Days between the rows of the daily table.")
@click.option("--out", type=click.Path(path_type=Path),
              help="Results folder [default: results/<scenario>-<UTC time>].")
@click.option("--force", is_flag=True, help="Replace the results folder if it exists.")
@click.pass_context
def run(ctx: click.Context, scenario: str, days: int | None, seed: int | None, replicates: int,
        sets: tuple[str, ...], every: int, out: Path | None, force: bool) -> None:
    """Run a scenario (a name or a .toml file) and print its days and outcomes.

    \b
    Examples:
      commsim run baseline
      commsim run fee_99 --replicates 10 --set entry_fee=199 --set shill_roles=expert
    """
    s = load_scenario(scenario, _dirs(ctx))
    s = with_overrides(s, dict(parse_assignment(text) for text in sets))
    experiment = single_run(s, replicates, days, seed)
    out = out or default_out(s.name)
    result = run_experiment(experiment, out, ctx.obj.get("command", ["commsim"]), workers=1,
                            force=force, progress=False)
    daily, runs = pd.read_parquet(result.path / DAILY), pd.read_parquet(result.path / RUNS)
    click.echo(f"{s.name}: {replicates} runs of {experiment.days} days, master seed "
               f"{experiment.seed}, in {result.seconds:.1f} s")
    click.echo(f"\nDaily means across runs:\n{daily_table(daily, every)}")
    click.echo(f"\nOutcomes across runs:\n{runs_table(runs)}")
    click.echo(f"\nResults: {_shown(result.path)}/ ({RUNS}, {DAILY}, manifest.json)")


@cli.command()
@click.argument("experiment")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Worker processes, here or in a local Dask cluster [default: all cores]; "
                   "results do not depend on it.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="Where the chunks run: local worker processes, or a Dask cluster (needs "
                   "pip install \"commsim[distributed]\"; see docs/distributed.md).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: the address of a running Dask scheduler "
                   "(tcp://host:8786) [default: start a local cluster].")
@click.option("--out", type=click.Path(path_type=Path),
              help="Results folder [default: results/<experiment>-<UTC time>].")
@click.option("--resume", is_flag=True,
              help="Run only the missing runs of --out (default: the newest unfinished folder).")
@click.option("--force", is_flag=True, help="Replace the results folder if it exists.")
@click.option("--chunk-size", type=click.IntRange(1, 100_000),
              help=f"Runs per chunk [default: up to {MAX_CHUNK}, several chunks per worker].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def sweep(ctx: click.Context, experiment: str, workers: int | None, executor: str,
          scheduler: str | None, out: Path | None, resume: bool, force: bool,
          chunk_size: int | None, quiet: bool) -> None:
    """Run an experiment (a .toml file or a bundled name) into a results folder.

    Finished chunks are saved as they come; after Ctrl-C, --resume runs only what is missing.

    \b
    Examples:
      commsim sweep experiments/smoke.toml --workers 2
      commsim sweep shills_count --out results/shills --resume
      commsim sweep entry_fee --executor dask --scheduler tcp://10.0.0.5:8786
    """
    e = load_experiment(experiment, _dirs(ctx))
    if resume and force:
        raise UserError("--resume and --force contradict each other: choose one")
    if scheduler and executor != "dask":
        raise UserError(f"--scheduler {scheduler} is the address of a Dask scheduler: add "
                        "--executor dask")
    if resume and out is None:
        out = latest_unfinished(e.name)
        if out is None:
            raise UserError(f"--resume: no unfinished results/{e.name}-* folder here; "
                            "give the folder with --out")
    out = out or default_out(e.name)
    if not scheduler:
        workers = workers or available_cores()
    extra = [a for d in _dirs(ctx) for a in ("--scenario-dir", str(d))]
    where = (["--executor", "dask"] if executor == "dask" else []) + (
        ["--scheduler", scheduler] if scheduler else ["--workers", str(workers)])
    resume_cmd = shlex.join(["commsim", *extra, "sweep", experiment, "--out", _shown(out),
                             "--resume", *where])
    pool = _dask_executor(scheduler, workers) if executor == "dask" else None
    try:
        with pool or nullcontext():
            result = run_experiment(e, out, ctx.obj.get("command", ["commsim"]),
                                    workers=workers or 1, chunk_size=chunk_size, resume=resume,
                                    force=force, progress=not quiet, executor=pool)
    except Interrupted as err:
        click.echo(f"\ncommsim: {err}\nresume with: {resume_cmd}", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    except WorkersLost as err:
        raise UserError(f"{err}; finished runs are kept: resume with: {resume_cmd}") from None
    if result.ran == 0 and resume:
        click.echo(f"{_shown(result.path)} is already complete: nothing to run")
    else:
        rate = result.ran / result.seconds if result.seconds > 0 else 0.0
        kind = " Dask" if pool else ""
        click.echo(f"{e.name}: {result.ran} of {result.n_runs} runs in {result.seconds:.1f} s "
                   f"({rate:.0f} runs/s) on {result.workers}{kind} worker(s)")
    runs = pd.read_parquet(result.path / RUNS)
    levels = [k for k, v in e.vary.items() if isinstance(v, list)]  # sampled ones: too many
    click.echo(f"\nMeans per scenario and design point:\n{sweep_table(runs, levels)}")
    click.echo(f"\nResults: {_shown(result.path)}/ ({RUNS}, {DAILY}, manifest.json)")


def _dask_executor(scheduler: str | None, workers: int | None) -> DaskExecutor:
    """A Dask executor, started (connected, or its local cluster up), its dashboard printed."""
    from sim.dask_executor import DaskExecutor  # distributed itself is imported by start()

    where = f"connecting to the Dask scheduler at {scheduler}" if scheduler else (
        f"starting a local Dask cluster of {workers} worker(s)")
    pool = DaskExecutor(scheduler, workers)
    click.echo(f"commsim: {where}...", err=True)
    pool.start()
    link = pool.dashboard_link
    board = f"; dashboard: {link}" if link else ""
    click.echo(f"commsim: {pool.threads} Dask worker(s){board}", err=True)
    if not pool.threads:
        click.echo("commsim: no worker has joined the scheduler yet: the chunks wait for the "
                   f"first (start some with: dask worker {scheduler})", err=True)
    return pool


# Commands that live beside the feature they serve: each module has a list COMMANDS of click
# commands. Add a module here when a feature brings commands of its own.
COMMAND_MODULES: tuple[str, ...] = ("sim.lessons.commands", "sim.report.commands",
                                     "sim.calibration.commands", "sim.decide.commands")


def add_feature_commands(group: click.Group = cli) -> None:
    """Attach the commands of every module in COMMAND_MODULES to the command group."""
    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).COMMANDS:
            group.add_command(command)


add_feature_commands()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input, 130 interrupted)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = cli.main(args=args, prog_name="commsim", standalone_mode=False,
                        obj={"command": ["commsim", *args]})
    except UserError as err:
        click.echo(f"commsim: error: {err}", err=True)
        return UserError.exit_code
    except Interrupted as err:  # Ctrl-C during `commsim run`: short runs, nothing to resume
        click.echo(f"\ncommsim: {err}", err=True)
        return EXIT_INTERRUPTED
    except click.exceptions.Abort:  # Ctrl-C while loading: nothing to keep
        click.echo("commsim: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as err:
        err.show()
        return err.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover - the console script and sim/__main__.py call main
    sys.exit(main())
