"""``commsim compare``, ``commsim report`` and ``commsim sensitivity``: parse, call, print."""

from __future__ import annotations

from pathlib import Path

import click

from sim.errors import UserError
from sim.files import check_output, write_with
from sim.files import shown as _shown
from sim.report.compare import RESAMPLES, compare, default_outcomes, head_to_head, parse_at
from sim.report.results import open_results
from sim.report.text import compare_text, sensitivity_text

PARTIAL_HELP = "Use the finished runs of an unfinished (interrupted) sweep."
FORCE_HELP = "Replace the output files if they exist."
OUTCOME_HELP = "A per-run outcome (repeat, or separate with commas) [default: the main ones]."


def _outcomes(values: tuple[str, ...]) -> list[str] | None:
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    return names or None


def check_png_folder(folder: Path) -> None:
    """--png FOLDER: a folder (not a file or a link), where this user may write."""
    from sim.errors import UserError
    from sim.files import check_folder_for

    if folder.exists() and not folder.is_dir():
        raise UserError(f"--png {folder}: it is a file; expected a folder for the PNG files")
    if folder.is_symlink():
        raise UserError(f"--png {folder}: it is a symbolic link; give the folder itself")
    check_folder_for(folder / "x.png", "--png")


@click.command("compare")
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--baseline", help="Reference scenario [default: the experiment's baseline].")
@click.option("--a", "arm_a", metavar="SCENARIO",
              help="Head to head: this scenario (A) ...")
@click.option("--b", "arm_b", metavar="SCENARIO",
              help="... against this one (B); the table names both, and gives A - B.")
@click.option("--at", "at", multiple=True, metavar="KEY=VALUE",
              help="Reference design point of the baseline (repeat per varied parameter) "
                   "[default: the first point].")
@click.option("--same-point", is_flag=True,
              help="Compare each scenario with the baseline at the same design point "
                   "[default for sampled designs].")
@click.option("--outcome", "outcomes", multiple=True, metavar="NAME", help=OUTCOME_HELP)
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="CSV file [default: RESULTS/compare.csv].")
@click.option("--unpaired", is_flag=True,
              help="Ignore the pairing by seed (to see how much wider the intervals get).")
@click.option("--resamples", type=click.IntRange(100, 1_000_000), default=RESAMPLES,
              show_default=True, help="Bootstrap resamples.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seed of the bootstrap.")
@click.option("--partial", is_flag=True, help=PARTIAL_HELP)
@click.option("--force", is_flag=True, help=FORCE_HELP)
def compare_command(results: Path, baseline: str | None, arm_a: str | None, arm_b: str | None,
                    at: tuple[str, ...], same_point: bool, outcomes: tuple[str, ...],
                    out: Path | None, unpaired: bool, resamples: int, seed: int,
                    partial: bool, force: bool) -> None:
    """Effects of every scenario and setting against the baseline, with 95% intervals.

    Runs with the same seed are paired (common random numbers): the effect is the mean of the
    per-replicate differences, its interval a seeded bootstrap of that mean.

    \b
    Examples:
      commsim compare results/smoke-20250101T000000Z
      commsim compare results/shills --at shills=0 --outcome total_messages,churned
      commsim compare results/playbook --a shills --b fee_99
    """
    check_output(out, "-o", force)
    r = open_results(results, partial=partial)
    names = None
    if arm_a or arm_b:
        if not (arm_a and arm_b):
            raise UserError("--a and --b go together: name both scenarios, e.g. --a shills "
                            "--b fee_99")
        if baseline:
            raise UserError(f"--baseline {baseline} and --a/--b contradict each other: --b is "
                            "the reference of a head-to-head comparison")
        baseline, names = head_to_head(r, arm_a, arm_b)[1], (arm_a, arm_b)
    point = parse_at(r, at) if at else None
    table = compare(r, _outcomes(outcomes), baseline, point, same_point or None,
                    paired=not unpaired, resamples=resamples, seed=seed,
                    only=arm_a if names else None)
    notes = []
    if not _outcomes(outcomes):
        skipped = default_outcomes(r)[1]
        if skipped:
            notes.append(f"left out (no values in these runs, e.g. day-90 outcomes of shorter "
                         f"runs): {', '.join(skipped)}")
    if r.missing:
        notes.append(f"UNFINISHED: {r.missing}")
    out = out or r.path / ("compare-unpaired.csv" if unpaired else "compare.csv")
    write_with(out, lambda tmp: table.to_csv(tmp, index=False), "-o")
    click.echo(compare_text(table, resamples, seed, notes, names))
    click.echo(f"\nWritten: {_shown(out)}")


@click.command("report")
@click.argument("results", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="HTML file [default: RESULTS/report.html].")
@click.option("--png", type=click.Path(file_okay=False, path_type=Path),
              help="Also write each figure as a PNG file in this folder (needs kaleido).")
@click.option("--partial", is_flag=True, help=PARTIAL_HELP)
@click.option("--force", is_flag=True, help=FORCE_HELP)
def report_command(results: Path, out: Path | None, png: Path | None, partial: bool,
                   force: bool) -> None:
    """One self-contained HTML report of a results folder (no network needed to view it).

    Activity over time, who has spoken, participation, effects with intervals, cost against
    effect, response curves and heatmaps of swept parameters, sensitivity indices, and how the
    results were made.

    \b
    Examples:
      commsim report results/smoke-20250101T000000Z
      commsim report results/shills -o shills.html --png figures/
    """
    from sim.report.html import write_report

    check_output(out, "-o", force)
    if png is not None:
        check_png_folder(png)
    r = open_results(results, partial=partial)
    out = out or r.path / "report.html"
    report, pngs = write_report(r, out, png, force=force)
    click.echo(f"{len(report.panels)} figures: {', '.join(p.title for p in report.panels)}")
    for note in report.notes:
        click.echo(f"note: {note}")
    click.echo(f"Written: {_shown(out)}")
    if pngs:
        click.echo(f"PNG files: {len(pngs)} in {_shown(png)}/")


@click.command("sensitivity")
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--outcome", "outcomes", multiple=True, metavar="NAME", help=OUTCOME_HELP)
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="CSV file [default: RESULTS/sensitivity.csv].")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seed of SALib's bootstrap of the confidence intervals.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def sensitivity_command(results: Path, outcomes: tuple[str, ...], out: Path | None,
                        seed: int, force: bool) -> None:
    """Sobol or Morris sensitivity indices (SALib) of a sweep made with method = ...

    The experiment must declare method = "sobol" or "morris" with [vary] ranges and no sampler,
    so that the sweep ran SALib's design. The report shows the indices once they are written.

    \b
    Examples:
      commsim sweep sensitivity_levers --out results/levers
      commsim sensitivity results/levers --outcome total_messages
    """
    from sim.report.sensitivity import analyse

    check_output(out, "-o", force)
    r = open_results(results)
    table, notes = analyse(r, _outcomes(outcomes), seed)
    out = out or r.path / "sensitivity.csv"
    write_with(out, lambda tmp: table.to_csv(tmp, index=False), "-o")
    click.echo(sensitivity_text(table))
    for note in notes:
        click.echo(f"note: {note}")
    click.echo(f"\nWritten: {_shown(out)}")
