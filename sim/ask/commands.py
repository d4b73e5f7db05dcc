"""``commsim ask``: parse (or prompt for) the question, run it, print the answer, write the page."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sim.errors import UserError
from sim.files import atomic_write, check_output

HELP_OPTION = ("An option to weigh: \"LABEL: KEY=VALUE, KEY=VALUE\" (parameters as in --set), "
               "\"LABEL: SCENARIO\", or a scenario name; repeat for each option (two or more). "
               "The first is the reference of the head-to-head differences.")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _prompt_question(members: int | None, invitations: int | None, fee: float | None,
                     cap: int | None, options: list[str], horizon: int | None
                     ) -> tuple[int | None, int | None, float | None, int | None, list[str], int]:
    """Ask for what is missing, on a terminal: the group first (when it is not described at
    all), then the options and the horizon."""
    if members is None and invitations is None:
        members = click.prompt("How many members should the group have (members wanted)",
                               type=click.IntRange(1, 100_000), default=200)
        if fee is None:
            fee = click.prompt("Entry fee the group charges today, yuan (0 = free)",
                               type=click.FloatRange(0, 100_000), default=0.0)
        if cap is None:
            cap = click.prompt("Most members the platform allows in one group",
                               type=click.IntRange(2, 100_000), default=500)
    while len(options) < 2:
        text = click.prompt(f"Option {len(options) + 1} to weigh (LABEL: KEY=VALUE, ...; "
                            "e.g. 2 shills: shills=2)", type=str)
        options.append(text)
    if horizon is None:
        horizon = click.prompt("Still active on which day (the horizon, in days)",
                               type=click.IntRange(1, 3650), default=90)
    return members, invitations, fee, cap, options, horizon


def answer_json(answer) -> dict:
    """The answer as JSON data (for scripts and tests)."""
    from dataclasses import asdict

    from sim.ask.text import verdict
    from sim.experiments import jsonable

    q = answer.question
    return jsonable({
        "question": {"scenario": q.scenario, "group": q.group, "horizon": q.horizon,
                     "days": q.days, "seed": q.seed, "block": q.block, "cap": q.cap,
                     "options": [{"label": o.label, "scenario": o.scenario, "sets": o.sets}
                                 for o in q.options]},
        "replicates": answer.replicates, "stopped": answer.stopped,
        "verdict": verdict(answer),
        "options": [{"label": a.option.label, "runs": a.runs,
                     "invitations": a.params.group_size,
                     "active": asdict(a.active),
                     "median_lifetime": asdict(a.median),
                     **{k: asdict(v) for k, v in a.numbers.items()}} for a in answer.arms],
        "differences": [{"option": d.label, "reference": d.reference, "clear": d.clear,
                         **{k: asdict(v) for k, v in d.numbers.items()}}
                        for d in answer.differences],
    })


@click.command("ask")
@click.option("--members", type=click.IntRange(1, 100_000),
              help="Members wanted in the group (members_target): the model invites as many "
                   "people as that needs under each option.")
@click.option("--invitations", type=click.IntRange(1, 5000),
              help="Or: people invited (group_size), the same under every option; a fee then "
                   "means fewer members.")
@click.option("--fee", type=click.FloatRange(0, 100_000),
              help="The group's entry fee today, yuan (entry_fee) [default: the scenario's].")
@click.option("--cap", type=click.IntRange(2, 100_000),
              help="The platform's cap on members per group (platform_cap) [default: 500].")
@click.option("--option", "options", multiple=True, metavar="\"LABEL: KEY=VALUE, ...\"",
              help=HELP_OPTION)
@click.option("--horizon", type=click.IntRange(1, 3650),
              help="The day the group should still be active on [default: 90, asked on a "
                   "terminal].")
@click.option("--scenario", default="baseline", show_default=True,
              help="The group's scenario (e.g. one made by `commsim calibrate`).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Change a parameter of the group under every option; repeat for more.")
@click.option("--days", type=click.IntRange(1, 3650),
              help="Run length [default: the horizon, and at least 180 days for the lifetime].")
@click.option("--replicates", type=click.IntRange(2, 100_000), default=30, show_default=True,
              help="Paired runs per option in each block.")
@click.option("--max-replicates", "max_replicates", type=click.IntRange(2, 100_000), default=300,
              show_default=True, help="Stop adding blocks here even if the answer is not clear.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True,
              help="Master seed (replicate r has the seed of replicate r of any experiment with "
                   "this seed).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the answer as a self-contained HTML page.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the answer's numbers as JSON.")
@click.option("--force", is_flag=True, help="Replace the --html/--json files if they exist.")
@click.pass_context
def ask_command(ctx: click.Context, members: int | None, invitations: int | None,
                fee: float | None, cap: int | None, options: tuple[str, ...], horizon: int | None,
                scenario: str, sets: tuple[str, ...], days: int | None, replicates: int,
                max_replicates: int, seed: int, html_path: Path | None, json_path: Path | None,
                force: bool) -> None:
    """Answer an operator's question: which option keeps my group active past day N?

    Runs every option with the same seeds (paired), adding blocks of replicates until the
    difference in the chance of being still active on day N is clear (its interval excludes
    zero; 95% shared over the planned checks, one per block), or --max-replicates is reached;
    then says which option wins, by how much, at what cost, and what the model assumes, with
    95% intervals. On a terminal it asks for what is missing.

    \b
    Example:
      commsim ask --members 300 --option "2 shills: shills=2" \\
                  --option "9.9-yuan fee: entry_fee=9.9" --horizon 90
    """
    from sim.ask.core import Question, answer, default_days, parse_option
    from sim.ask.text import answer_text
    from sim.scenarios import parse_assignment

    options_list = list(options)
    if members is not None and invitations is not None:
        raise UserError("--members and --invitations contradict each other: give the members "
                        "you want, or the people you invite")
    if _interactive() and (len(options_list) < 2 or horizon is None or
                           (members is None and invitations is None)):
        members, invitations, fee, cap, options_list, horizon = _prompt_question(
            members, invitations, fee, cap, options_list, horizon)
    horizon = horizon or 90
    check_output(html_path, "--html", force)
    check_output(json_path, "--json", force)
    group = dict(parse_assignment(text) for text in sets)
    if members is not None:
        group["members_target"] = members
    if invitations is not None:
        group["group_size"] = invitations
    if fee is not None:
        group["entry_fee"] = float(fee)
    if cap is not None:
        group["platform_cap"] = cap
    dirs = tuple((ctx.obj or {}).get("scenario_dirs", ()))
    question = Question(scenario, group, [parse_option(t) for t in options_list], horizon,
                        days or default_days(horizon), seed, replicates, max_replicates, dirs)

    def progress(done: int, most: int) -> None:
        click.echo(f"commsim: {done} paired runs per option (at most {most})...", err=True)

    result = answer(question, progress, curves=html_path is not None)
    click.echo(answer_text(result))
    if json_path is not None:
        atomic_write(json_path, json.dumps(answer_json(result), indent=1), "--json")
        click.echo(f"\nWritten: {json_path}")
    if html_path is not None:
        from sim.ask.page import write_page

        write_page(result, html_path)
        click.echo(f"{'' if json_path else chr(10)}Written: {html_path}")
