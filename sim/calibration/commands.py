"""The commands that bring real groups in: ``import``, ``measure`` and ``calibrate``.

Standalone click commands, attached to ``commsim`` through ``LAZY_COMMANDS`` in sim/cli.py.
They parse, call :mod:`sim.io`, :mod:`sim.measure` and :mod:`sim.calibration`, and print; every
mistake is a :class:`~sim.errors.UserError` (one line, exit code 2). Outputs are checked before
any work (an existing file needs ``--force``) and written through a temporary file.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from sim.errors import UserError
from sim.files import shown as _shown

MAX_DAYS_DEFAULT = 365
KEEP_HELP = ("Keep group and chat names as they are (phone numbers in them are still hashed) "
             "[default: hashed like members, since names often name people].")
SALT_HELP = ("Hash members and groups with the salt in this file (made if missing) [default: "
             "$COMMSIM_SALT, else ~/.config/commsim/salt].")


def _salt_place(salt_file: Path | None) -> str:
    """Where the salt comes from, in the order :func:`sim.io.load_salt` reads it."""
    from sim.io.common import SALT_ENV, default_salt_path

    if salt_file is not None:
        return str(salt_file)
    if os.environ.get(SALT_ENV) is not None:
        return f"the environment variable {SALT_ENV}"
    return str(default_salt_path())


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--format", "fmt", metavar="FORMAT",
              help="csv, telegram, whatsapp, slack or discord [default: detected].")
@click.option("--group", metavar="NAME",
              help="A WhatsApp chat's name [default: the file name]; for the other formats, "
                   "keep only this group.")
@click.option("--salt-file", type=click.Path(dir_okay=False, path_type=Path), help=SALT_HELP)
@click.option("--keep-group-names", is_flag=True, help=KEEP_HELP)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The event table to write (Parquet).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def import_command(source: Path, fmt: str | None, group: str | None, salt_file: Path | None,
                   keep_group_names: bool, out: Path, force: bool) -> None:
    """Read a chat export (file or folder) into an event table, names hashed, no texts.

    \b
    Examples:
      commsim import slack-export/ -o events.parquet
      commsim import "WhatsApp Chat with Club.txt" --group club -o club.parquet
    """
    import pandas as pd

    from sim.errors import closest
    from sim.files import check_output
    from sim.io import detect_format, load_salt, protect, read_export, write_events

    check_output(out, "-o", force)
    detected = fmt is None
    fmt = fmt or detect_format(source)
    salt = load_salt(salt_file)
    events, fmt = read_export(source.expanduser(), fmt, salt,
                              group if fmt == "whatsapp" else None)
    if group is not None and fmt != "whatsapp":
        known = sorted(events["group"].unique())
        if group not in known:
            raise UserError(f"--group: unknown group '{group}'{closest(group, known)}; "
                            f"{source} holds {', '.join(known)}")
        events = events[events["group"] == group]
    names = sorted(events["group"].unique())
    events = protect(events, salt, keep_group_names, hash_members=fmt == "csv")
    write_events(events, out)
    counts = events["event"].value_counts()
    click.echo(f"format: {fmt}{' (detected)' if detected else ''}")
    click.echo(f"imported {len(events)} events ({counts.get('message', 0)} messages, "
               f"{counts.get('join', 0)} joins, {counts.get('leave', 0)} leaves) in "
               f"{events['group'].nunique()} group(s), {events['time'].min():%Y-%m-%d} to "
               f"{events['time'].max():%Y-%m-%d}")
    click.echo(f"wrote {_shown(out)}")
    kept = ("group names are kept (phone numbers in them hashed)" if keep_group_names else
            "group names too (give a group's name to --group of calibrate: it is hashed the "
            "same way)")
    click.echo(f"privacy: member names, ids and phone numbers are stored as salted hashes, and "
               f"{kept}; message texts are not stored. The salt is in "
               f"{_salt_place(salt_file)}: it stays with you; keep it private, and keep it to "
               "give the same people and groups the same hashes in later imports.")
    if not keep_group_names and len(names) <= 20:
        stored = protect(pd.DataFrame({"group": names, "member": names}), salt)["group"]
        click.echo("groups (shown here only): " + ", ".join(
            f"{n} = {h}" for n, h in zip(names, stored, strict=True)))


def _csv_salt(events: Path, salt_file: Path | None, load_salt) -> str | None:
    """The salt for an event log that is a CSV (hashed as it is read), else None (not needed)."""
    try:
        with events.open("rb") as f:
            parquet = f.read(4) == b"PAR1"
    except OSError:
        return None  # read_events says what is wrong with the file
    return None if parquet else load_salt(salt_file)


@click.command("measure")
@click.argument("events", type=click.Path(path_type=Path))
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write weekly activity plots to this self-contained HTML file.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table of outcomes per group to this CSV file.")
@click.option("--force", is_flag=True, help="Replace --out and --html if they exist.")
@click.option("--keep-group-names", is_flag=True, help="For a CSV log: " + KEEP_HELP)
@click.option("--salt-file", type=click.Path(dir_okay=False, path_type=Path),
              help="For a CSV log: " + SALT_HELP)
def measure_command(events: Path, html_path: Path | None, out: Path | None, force: bool,
                    keep_group_names: bool, salt_file: Path | None) -> None:
    """Measure each group of an event table with the model's outcome definitions.

    \b
    Example:
      commsim measure events.parquet --html groups.html -o groups.csv
    """
    from sim.calibration.report import measure_html, measure_text
    from sim.files import atomic_write, check_output
    from sim.io import load_salt, read_events
    from sim.measure import joins_warning, measure

    for path, option in ((out, "-o"), (html_path, "--html")):
        check_output(path, option, force)
    measured = measure(read_events(events, keep_group_names, _csv_salt(events, salt_file,
                                                                       load_salt)))
    warning = joins_warning(measured["groups"], events.name)
    if warning:
        click.echo(warning, err=True)
    click.echo(measure_text(measured["groups"]))
    if out is not None:
        atomic_write(out, measured["groups"].to_csv(index=False))
        click.echo(f"wrote {_shown(out)}")
    if html_path is not None:
        atomic_write(html_path, measure_html(measured, f"commsim measure: {events.name}"))
        click.echo(f"wrote {_shown(html_path)}")


@click.command("calibrate")
@click.argument("events", type=click.Path(path_type=Path))
@click.option("--scenario", default="baseline", show_default=True,
              help="The base scenario (a name or a .toml file); the result extends it.")
@click.option("--group", "groups", multiple=True, metavar="NAME",
              help="Fit this group; repeat to fit one parameter set to several.")
@click.option("--pooled", is_flag=True,
              help="Fit one parameter set to every group with enough data (--min-messages).")
@click.option("--params", "param_text", metavar="A,B,C",
              help="Parameters to fit, optionally with ranges (name=LOW:HIGH) [default: "
                   "activity_median,activity_sigma,attention_decay,leave_base,social_gain].")
@click.option("--trials", type=click.IntRange(2, 100_000), default=60, show_default=True,
              help="Trials per restart.")
@click.option("--replicates", type=click.IntRange(1, 10_000), default=16, show_default=True,
              help="Simulated runs per trial and group (the same seeds for every trial).")
@click.option("--restarts", type=click.IntRange(1, 100), default=3, show_default=True,
              help="Searches with different sampler seeds (their spread shows identifiability).")
@click.option("--seed", type=click.IntRange(0, 10**9), default=0, show_default=True,
              help="Sets the replicate seeds and the samplers' seeds (same seed, same result).")
@click.option("--max-days", type=click.IntRange(14, 3650), default=MAX_DAYS_DEFAULT,
              show_default=True, help="Cap on each group's window (its first days).")
@click.option("--arrivals", type=click.Choice(["launch", "observed"]), default="launch",
              show_default=True, help="launch: everyone invited on day 0; observed: the first "
                                      "week's members on day 0, the rest as a steady inflow.")
@click.option("--min-messages", type=click.IntRange(1, 10**9), default=100, show_default=True,
              help="With --pooled: the messages a group needs in its window.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The calibrated scenario file to write (.toml).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The report [default: --out with .html].")
@click.option("--holdout/--no-holdout", default=True, show_default=True,
              help="With several groups: fit on half of them (by a hash of their names) and "
                   "report the loss on the other half too.")
@click.option("--force", is_flag=True, help="Replace --out and --html if they exist.")
@click.option("--keep-group-names", is_flag=True, help="For a CSV log: " + KEEP_HELP)
@click.option("--salt-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The salt the groups were hashed with on import (to find --group NAME) "
                   "and that hashes a CSV log [default: $COMMSIM_SALT, else "
                   "~/.config/commsim/salt].")
@click.pass_context
def calibrate_command(ctx: click.Context, events: Path, scenario: str, groups: tuple[str, ...],
                      pooled: bool, param_text: str | None, trials: int, replicates: int,
                      restarts: int, seed: int, max_days: int, arrivals: str, min_messages: int,
                      out: Path, html_path: Path | None, holdout: bool, force: bool,
                      keep_group_names: bool, salt_file: Path | None) -> None:
    """Fit a scenario's parameters to real groups and write the calibrated scenario.

    \b
    Examples:
      commsim calibrate events.parquet --group questions -o scenarios/questions.toml
      commsim calibrate events.csv --pooled --params activity_median,attention_decay -o pooled.toml
    """
    from sim.calibration import evaluate, fit, output, report, space, targets
    from sim.files import atomic_write, check_output
    from sim.io import load_salt, read_events
    from sim.io.privacy import find_group
    from sim.params import resolve, to_dict
    from sim.scenarios import check_name, load_scenario

    dims = space.parse_params(param_text)
    if pooled and groups:
        raise UserError("--pooled and --group contradict each other: choose one")
    if out.suffix != ".toml":
        raise UserError(f"-o {out}: expected a .toml file name (a scenario file)")
    check_name(out.stem, f"-o {out}: the scenario's name (the file name)")
    html_path = html_path or out.with_suffix(".html")
    for path, option in ((out, "-o"), (html_path, "--html")):
        check_output(path, option, force)
    dirs = list((ctx.obj or {}).get("scenario_dirs", ()))
    base = load_scenario(scenario, dirs, bool((ctx.obj or {}).get("allow_paths")))
    salt = _csv_salt(events, salt_file, load_salt)
    table = read_events(events, keep_group_names, salt)
    known = list(table["group"].unique())
    if groups and not set(groups) <= set(known):  # names the user knows, stored as hashes
        salt = salt or load_salt(salt_file)
        groups = tuple(find_group(g, known, salt) for g in groups)
    chosen = list(groups) or None
    if not pooled and chosen is None:
        names = sorted(table["group"].unique())
        if len(names) > 1:
            raise UserError(f"{events}: it holds {len(names)} groups; choose with --group NAME "
                            f"or fit them all with --pooled ({', '.join(names[:10])}"
                            f"{', ...' if len(names) > 10 else ''})")
        chosen = names
    observed = targets.observe(table, chosen, max_days, min_messages=min_messages)
    train, test = split_groups(observed) if holdout else (observed, [])
    base_values = to_dict(base.params)
    accepted = evaluate.acceptance(base_values, arrivals=arrivals)  # eventually (reported)
    shares = [evaluate.acceptance(base_values, o.days, arrivals) for o in train]  # by window end
    contexts = [evaluate.context_for(o, base_values, share, arrivals)
                for o, share in zip(train, shares)]
    for obs, context, share in zip(train, contexts, shares):  # targets it cannot hold: say so now
        try:
            resolve({**base_values, **context.overrides()}, source="")
        except UserError as err:
            raise UserError(f"{events}: group '{obs.group}' ({obs.members} members seen, "
                            f"{share:.3f} of invitations accepted within its "
                            f"{obs.days} days) cannot be simulated: "
                            f"{str(err).removeprefix(': ')}; the model's groups are smaller: "
                            "calibrate smaller groups, or a shorter window (--max-days)"
                            ) from None
    blind = [o.group for o in observed if not o.joins_known]
    if blind:
        click.echo(f"warning: {events.name} has no join records for {', '.join(blind[:5])}"
                   f"{', ...' if len(blind) > 5 else ''}: members who never post are not seen, "
                   "so the ever-spoken share is left out of the loss, activity is compared as "
                   "messages per poster, and the simulated group is sized to the posters seen "
                   "(fewer than the members it really had)", err=True)
    settings = fit.Settings(trials=trials, replicates=replicates, restarts=restarts, seed=seed)
    cal = fit.calibrate(train, contexts, accepted, base_values, dims, settings,
                        progress=lambda line: click.echo(line, err=True))
    held = held_out_text(cal, test, base_values, accepted, arrivals, settings, base.name)
    digest = output.file_hash(events)
    text = output.scenario_text(cal, out.stem, base, events, digest, max_days, arrivals,
                                html_path)
    provenance = (f"{base.name} calibrated to {', '.join(o.group for o in train)} of "
                  f"{events.name} (sha256 {digest[:12]}); arrivals {arrivals}; windows capped "
                  f"at {max_days} days; scenario written to {out.name}. {held}")
    page = report.calibration_html(cal, f"commsim calibrate: {out.stem}", provenance)
    output.write_scenario(text, out, dirs)  # both made before either is written
    atomic_write(html_path, page)
    click.echo(report.summary_text(cal, base.name, arrivals, max_days))
    click.echo(f"\n{held}")
    click.echo(f"\nwrote {_shown(out)} and {_shown(html_path)}")
    click.echo(f"next: commsim validate {_shown(out)}; commsim run {_shown(out)}")


def split_groups(observed: list) -> tuple[list, list]:
    """Train and test groups: half A and half B of a hash of their names
    (:func:`sim.facts.sources.half`); with one group, no test. When the hash puts every group
    on one side, the group with the largest hash is held out."""
    import hashlib

    from sim.facts.sources import half

    if len(observed) < 2:
        return list(observed), []
    train = [o for o in observed if half(o.group) == "A"]
    test = [o for o in observed if half(o.group) == "B"]
    if not train or not test:
        key = [hashlib.sha256(o.group.encode("utf-8")).hexdigest() for o in observed]
        last = int(max(range(len(observed)), key=key.__getitem__))
        train = [o for i, o in enumerate(observed) if i != last]
        test = [observed[last]]
    return train, test


def held_out_text(cal, test: list, base_values: dict, accepted: float, arrivals: str,
                  settings, base_name: str) -> str:
    """The losses on the training groups and, when there are any, on the held-out groups."""
    from sim.calibration import evaluate, fit

    train_names = ", ".join(o.group for o in cal.observed)
    if not test:
        return (f"train/test: fitted on {train_names}; no held-out group (one group, or "
                f"--no-holdout), so the loss on fresh seeds ({cal.fresh_loss:.4f}) is the "
                "only check, and it is measured on the fitting group(s).")
    contexts = [evaluate.context_for(o, base_values,
                                     evaluate.acceptance(base_values, o.days, arrivals), arrivals)
                for o in test]
    ev = evaluate.Evaluator(test, contexts, base_values,
                            fit.replicate_seeds(settings.seed, settings.replicates, fresh=True))
    fitted_sims, base_sims = ev.simulate([cal.best, cal.base_values])
    test_fit, test_base = ev.score(fitted_sims)[0], ev.score(base_sims)[0]
    return (f"train/test (groups split by a hash of their names): trained on {train_names}; "
            f"held out {', '.join(o.group for o in test)}. Loss on fresh seeds: train "
            f"{cal.fresh_loss:.4f} fitted vs {cal.base_loss:.4f} {base_name}; test "
            f"{test_fit:.4f} fitted vs {test_base:.4f} {base_name}.")
