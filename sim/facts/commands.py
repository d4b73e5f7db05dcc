"""``commsim facts``: the facts battery of a real log or a recorded results folder."""

from __future__ import annotations

from pathlib import Path

import click


def _refuse(paths: list[tuple[str, Path | None]], force: bool) -> None:
    from sim.files import check_output  # the same refusal as every command's

    for option, path in paths:
        check_output(path, option, force)


@click.command("facts")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--against", type=click.Path(path_type=Path),
              help="Another source to set beside it (usually a real log); says whether each "
                   "fact of SOURCE lies inside its range.")
@click.option("--groups", "groups_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with group, observed_until for SOURCE [default: groups.csv beside "
                   "the events, if it has observed_until].")
@click.option("--against-groups", type=click.Path(dir_okay=False, path_type=Path),
              help="The same for --against.")
@click.option("--scenario", metavar="NAME",
              help="For results folders holding several scenarios: the one to measure.")
@click.option("--min-messages", type=click.IntRange(0, 10**9), default=20, show_default=True,
              help="Leave out groups with fewer messages (they say little about decay).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table to this CSV file.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table to this JSON file.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table as a self-contained HTML page.")
@click.option("--force", is_flag=True, help="Replace --csv, --json and --html if they exist.")
def facts_command(source: Path, against: Path | None, groups_file: Path | None,
                  against_groups: Path | None, scenario: str | None, min_messages: int,
                  csv_path: Path | None, json_path: Path | None, html_path: Path | None,
                  force: bool) -> None:
    """Measure how groups live and die: peak, decay, silence, burstiness, who posts.

    SOURCE is an event log (.parquet from commsim import, .csv, .csv.gz, or a folder holding
    events.csv and groups.csv) or a results folder run with --record members,groups. The same
    definitions apply to both (docs/validation.md).

    \b
    Examples:
      commsim facts gitter/ --csv gitter-facts.csv
      commsim run baseline --replicates 200 --days 455 --record members,groups --out results/b
      commsim facts results/b --against gitter/ --html facts.html
    """
    from sim.facts import render
    from sim.facts.battery import compare, summarise
    from sim.facts.sources import load_source
    from sim.files import atomic_write

    _refuse([("--csv", csv_path), ("--json", json_path), ("--html", html_path)], force)
    a = load_source(source, groups_file, scenario)
    b = load_source(against, against_groups, scenario) if against is not None else None
    described = []
    for s in (a, b):
        if s is None:
            continue
        joins = "joins recorded" if s.has_joins else "no join records (posters only)"
        note = f"; {s.note}" if s.note else ""
        click.echo(f"{s.name}: {'simulated runs' if s.kind == 'model' else 'real log'}, "
                   f"{len(s.groups)} groups, {joins}{note}")
        described.append({"name": s.name, "kind": s.kind, "groups": len(s.groups),
                          "has_joins": s.has_joins, "note": s.note})
    if b is not None and not (a.has_joins and b.has_joins):
        click.echo("One side has no join records: both are measured from posters only.")
    if b is None:
        table = summarise(a, min_messages)
        text = render.text_table(table, a.name)
    else:
        table = compare(a, b, min_messages)
        text = render.text_table(table, a.name, b.name)
    click.echo(f"Groups with fewer than {min_messages} messages are left out.\n")
    click.echo(text)
    title = f"Facts: {a.name}" + (f" against {b.name}" if b is not None else "")
    for option, path, data in (
            ("--csv", csv_path, lambda: table.to_csv(index=False)),
            ("--json", json_path, lambda: render.to_json(table, described)),
            ("--html", html_path,
             lambda: render.to_html(table, title, a.name, b.name if b is not None else None))):
        if path is not None:
            atomic_write(path, data())
            click.echo(f"wrote {path} ({option[2:]})")
