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

import sim
from sim.errors import UserError
from sim.files import shown as _shown

# Only light modules at the top: `commsim --help` and `commsim scenarios` must not import numba,
# pandas, plotly or scipy (tests/test_cli_start.py); each command imports what it needs.
MAX_DAYS = 3650  # days a run may last; the same as sim.scenarios.MAX_DAYS (checked by a test)
MAX_SEED = 2**63 - 1

if TYPE_CHECKING:
    from sim.dask_executor import DaskExecutor
    from sim.estimate import Estimate

EXIT_INTERRUPTED = 130
ANNOUNCE_SECONDS = 60  # jobs estimated longer than this are announced with their estimate
YES_HELP = ("Run even a job estimated above 10 minutes or 8 GB of memory (without it such a job "
            "is refused, with the estimate).")
WIDTH = 100


def _dirs(ctx: click.Context) -> list[Path]:
    return list((ctx.obj or {}).get("scenario_dirs", ()))


def _paths(ctx: click.Context) -> bool:
    """--allow-paths: may files name other files by path (extends, an experiment's scenarios)?"""
    return bool((ctx.obj or {}).get("allow_paths", False))


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent)


# Commands that live beside the feature they serve, loaded only when they are invoked (so that
# `commsim --help` stays fast): name -> ("module:attribute", the one line shown by --help).
# Adding a command is one line here. A test checks each line against the command it names.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "lessons": ("sim.lessons.commands:lessons_command", "List the lessons and their claims."),
    "lesson": ("sim.lessons.commands:lesson_command", "Run a lesson: claim, finding, verdict."),
    "viz": ("sim.lessons.commands:viz_command", "Start the interactive app in the browser."),
    "compare": ("sim.report.commands:compare_command",
                "Effects against the baseline, with 95% intervals."),
    "report": ("sim.report.commands:report_command", "One self-contained HTML report of results."),
    "sensitivity": ("sim.report.commands:sensitivity_command",
                    "Sobol or Morris sensitivity indices of a sweep."),
    "import": ("sim.calibration.commands:import_command",
               "Read a chat export into an event table (members hashed)."),
    "measure": ("sim.calibration.commands:measure_command",
                "Measure real groups with the model's outcomes."),
    "calibrate": ("sim.calibration.commands:calibrate_command",
                  "Fit a scenario's parameters to real groups."),
    "ask": ("sim.ask.commands:ask_command",
            "Should I? Weigh options for your group, with 95% intervals."),
    "facts": ("sim.facts.commands:facts_command",
              "Week-level facts of real or simulated groups, measured alike."),
    "optimize": ("sim.decide.commands:optimize_command",
                 "The best lever plans within a budget (cost against effect)."),
    "discover": ("sim.decide.commands:discover_command",
                 "When plans fail: where an outcome happens, by PRIM boxes."),
}

def _load(target: str) -> click.Command:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in LAZY_COMMANDS:
            return None
        command = _load(LAZY_COMMANDS[cmd_name][0])
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, with the one-line help of unloaded commands from LAZY_COMMANDS."""
        width = formatter.width - 6 - max(len(n) for n in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS and name not in self.commands:
                rows.append((name, LAZY_COMMANDS[name][1]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(width)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _interrupted() -> type[BaseException]:
    """The exception of a Ctrl-C during a run, if the module that raises it was loaded."""
    sweep = sys.modules.get("sim.sweep")
    return sweep.Interrupted if sweep is not None else _NeverRaised


class _NeverRaised(Exception):
    pass


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sim.__version__, prog_name="commsim")
@click.option("--scenario-dir", "scenario_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Also look for scenarios by name in this folder (before the bundled ones).")
@click.option("--allow-paths", is_flag=True,
              help="Let scenario and experiment files name other files by path (extends, "
                   "scenarios) outside the scenario folders and the file's own folder.")
@click.pass_context
def cli(ctx: click.Context, scenario_dirs: tuple[str, ...], allow_paths: bool) -> None:
    """commsim: simulate chat-group communities and test an operator's interventions.

    \b
    Examples:
      commsim scenarios                 list the bundled scenarios
      commsim run baseline              run an unmanaged group and print its days
      commsim sweep smoke --workers 2   run an experiment into results/
    """
    ctx.ensure_object(dict)["scenario_dirs"] = [Path(d) for d in scenario_dirs]
    ctx.obj["allow_paths"] = allow_paths
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
    from sim.scenarios import list_scenarios

    for s in list_scenarios(_dirs(ctx)):
        click.echo(f"{s.name}  ({s.days} days; {', '.join(s.principles) or 'no principles'})")
        click.echo(_wrap(s.description) + "\n")


@cli.command()
@click.option("--no-estimate", is_flag=True,
              help="Do not estimate run times (the first estimate times a small batch of runs).")
def experiments(no_estimate: bool) -> None:
    """List the bundled experiments with their size and an estimate of their run time here.

    \b
    Example:
      commsim experiments
    """
    from sim import throughput
    from sim.executors import available_cores
    from sim.experiments import list_experiments, load_experiment

    cores = available_cores()
    per_core = None if no_estimate else throughput.speed()
    if per_core:
        click.echo(f"Run times estimated for {cores} core(s) at {per_core / 1e6:.1f} M "
                   "invitee-days per second per core, measured on this machine (a busy "
                   "machine is slower).\n")
    for path in list_experiments():
        e = load_experiment(path)
        click.echo(f"{e.name}  ({len(e.scenarios)} scenarios x {len(e.points)} points x "
                   f"{e.replicates} replicates = {e.n_runs:,} runs of {e.days} days)")
        if per_core:
            seconds = throughput.estimate(e, per_core, cores)
            click.echo(f"    run time: {throughput.duration(seconds)} "
                       f"({throughput.invitee_days(e) / 1e6:,.1f} M invitee-days)")
        click.echo(_wrap(e.description) + "\n")


@cli.command(short_help="Print a scenario's resolved parameters.")
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
    from sim.params import PARAM_NAMES, info
    from sim.scenarios import load_scenario

    s = load_scenario(name, _dirs(ctx), _paths(ctx))
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
    from sim.scenarios import read_toml

    if path.is_file() and {"budget", "levers"} <= set(read_toml(path)):
        return "problem"  # commsim optimize's problem file (sim/decide/problem.py)
    if path.parent.name == "experiments":
        return "experiment"
    if path.parent.name == "scenarios":
        return "scenario"
    data = read_toml(path)
    return "experiment" if {"scenarios", "vary", "replicates"} & set(data) else "scenario"


@cli.command(short_help="Check scenario or experiment files without running them.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check scenario or experiment files without running them (exit 2 if any is wrong).

    The kind of each file is told by its folder (scenarios/, experiments/) or its keys.

    \b
    Example:
      commsim validate scenarios/*.toml experiments/*.toml
    """
    from sim.experiments import load_experiment
    from sim.scenarios import load_scenario

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
                e = load_experiment(path, _dirs(ctx), _paths(ctx))
                what = (f"experiment '{e.name}': {len(e.scenarios)} scenarios x {len(e.points)} "
                        f"points x {e.replicates} replicates = {e.n_runs} runs")
            else:
                s = load_scenario(path, _dirs(ctx), _paths(ctx))
                what = (f"scenario '{s.name}': {' -> '.join(s.chain)}, "
                        f"{len(s.overrides)} overrides, {s.days} days")
            click.echo(f"ok  {path}  ({what})")
        except UserError as err:
            failed += 1
            _print_error(err)
    if failed:
        ctx.exit(UserError.exit_code)


@cli.command(short_help="Run a scenario and print its days and outcomes.")
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
@click.option("--yes", is_flag=True, help=YES_HELP)
@click.option("--record", metavar="TABLES",
              help="Also write per-member and per-group tables: members, groups or "
                   "members,groups (members.parquet, groups.parquet).")
@click.pass_context
def run(ctx: click.Context, scenario: str, days: int | None, seed: int | None, replicates: int,
        sets: tuple[str, ...], every: int, out: Path | None, force: bool, yes: bool,
        record: str | None) -> None:
    """Run a scenario (a name or a .toml file) and print its days and outcomes.

    \b
    Examples:
      commsim run baseline
      commsim run fee_99 --replicates 10 --set entry_fee=199 --set shill_roles=expert
      commsim run baseline --days 455 --record members,groups --out results/facts
    """
    import pandas as pd

    from sim.experiments import single_run
    from sim.records import parse_records
    from sim.scenarios import load_scenario, parse_assignment, with_overrides
    from sim.store import DAILY, RUNS, check_out_folder, default_out
    from sim.summary import daily_table, runs_table, survival_lines
    from sim.sweep import check_size, run_experiment
    from sim.warmup import prepare_engine

    kept = parse_records(record, "--record")
    s = load_scenario(scenario, _dirs(ctx), _paths(ctx))
    s = with_overrides(s, dict(parse_assignment(text) for text in sets))
    experiment = single_run(s, replicates, days, seed, kept)
    out = out or default_out(s.name)
    check_out_folder(out)  # a file, a link or an unwritable place: said as such
    if out.exists() and not force:  # `run` cannot resume: say what it can do
        raise UserError(f"--out {_shown(out)} already exists: use --force to replace it, or "
                        "another --out")
    _announce(check_size(experiment, experiment.run_specs(), None, 1, None, yes))
    prepare_engine()
    result = run_experiment(experiment, out, ctx.obj.get("command", ["commsim"]), workers=1,
                            force=force, progress=None)
    last = experiment.days - 1  # only the days printed are read: the table can be large
    shown = sorted({0, last, *range(every - 1, last + 1, every)})
    daily = pd.read_parquet(result.path / DAILY, filters=[("day", "in", shown)])
    runs = pd.read_parquet(result.path / RUNS)
    click.echo(f"{s.name}: {replicates} runs of {experiment.days} days, master seed "
               f"{experiment.seed}, in {result.seconds:.1f} s")
    click.echo(f"\nDaily means across runs:\n{daily_table(daily, every)}")
    click.echo(f"\nOutcomes across runs:\n{runs_table(runs)}")
    click.echo(f"\n{survival_lines(runs)}")
    extra = "".join(f", {name}.parquet" for name in kept)
    click.echo(f"\nResults: {_shown(result.path)}/ ({RUNS}, {DAILY}{extra}, manifest.json)")


@cli.command(short_help="Run an experiment into a results folder.")
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
              help="Runs per chunk [default: up to 700, several chunks per worker].")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--yes", is_flag=True, help=YES_HELP)
@click.pass_context
def sweep(ctx: click.Context, experiment: str, workers: int | None, executor: str,
          scheduler: str | None, out: Path | None, resume: bool, force: bool,
          chunk_size: int | None, quiet: bool, yes: bool) -> None:
    """Run an experiment (a .toml file or a bundled name) into a results folder.

    Finished chunks are saved as they come; after Ctrl-C, --resume runs only what is missing.

    \b
    Examples:
      commsim sweep experiments/smoke.toml --workers 2
      commsim sweep shills_count --out results/shills --resume
      commsim sweep entry_fee --executor dask --scheduler tcp://10.0.0.5:8786
    """
    import pandas as pd

    from sim.executors import WorkersLost, available_cores
    from sim.experiments import load_experiment
    from sim.store import DAILY, RUNS, default_out, latest_unfinished
    from sim.summary import survival_table, sweep_table
    from sim.sweep import Interrupted, check_size, run_experiment
    from sim.warmup import prepare_engine

    e = load_experiment(experiment, _dirs(ctx), _paths(ctx))
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
    if resume and (not out.exists() or (out.is_dir() and not any(out.iterdir()))):
        # a sweep killed before it wrote anything: nothing to resume, so start it
        click.echo(f"commsim: {_shown(out)} holds no runs yet: starting the sweep there", err=True)
        if out.exists():
            out.rmdir()
        resume = False
    if not scheduler:
        workers = workers or available_cores()
    extra = [a for d in _dirs(ctx) for a in ("--scenario-dir", str(d))] + (
        ["--allow-paths"] if _paths(ctx) else [])
    where = (["--executor", "dask"] if executor == "dask" else []) + (
        ["--scheduler", scheduler] if scheduler else ["--workers", str(workers)])
    resume_cmd = shlex.join(["commsim", *extra, "sweep", experiment, "--out", _shown(out),
                             "--resume", *where])
    # before a Dask cluster starts; a remote one's size is not known yet: 1 worker
    _announce(check_size(e, e.run_specs(), out if resume else None, workers or 1, chunk_size,
                         yes))
    prepare_engine()  # once here, not in every worker at once
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
    click.echo("\nStill active (not yet silent) on day N, share of groups [95% interval];\n"
               "median lifetime in days ('>': longer than the run):\n"
               f"{survival_table(runs, levels)}")
    click.echo(f"\nResults: {_shown(result.path)}/ ({RUNS}, {DAILY}, manifest.json)")


def _announce(estimate: Estimate | None) -> None:
    """Say on stderr how long a job of more than a minute will take (refused ones never get
    here without --yes)."""
    if estimate is not None and estimate.seconds > ANNOUNCE_SECONDS:
        click.echo(f"commsim: this job will take {estimate.text()} of memory (an estimate: "
                   f"{estimate.basis()})", err=True)


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


def _print_error(err: UserError) -> None:
    """Each mistake on a line of its own (a file may hold several, told at once)."""
    for line in str(err).splitlines() or [""]:
        click.echo(f"commsim: error: {line}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input, 130 interrupted)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = cli.main(args=args, prog_name="commsim", standalone_mode=False,
                        obj={"command": ["commsim", *args]})
    except UserError as err:
        _print_error(err)
        return UserError.exit_code
    except _interrupted() as err:  # Ctrl-C during `commsim run`: short runs, nothing to resume
        click.echo(f"\ncommsim: {err}", err=True)
        return EXIT_INTERRUPTED
    except click.exceptions.Abort:  # Ctrl-C while loading: nothing to keep
        click.echo("commsim: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.UsageError as err:  # a bad option or argument: one line, like every error
        where = err.ctx.command_path if err.ctx is not None else "commsim"
        click.echo(f"commsim: error: {err.format_message()} (see: {where} -h)", err=True)
        return err.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover - the console script and sim/__main__.py call main
    sys.exit(main())
