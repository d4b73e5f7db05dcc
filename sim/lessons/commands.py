"""Click commands for teaching: ``lessons``, ``lesson NAME`` and ``viz``.

Standalone ``@click.command`` functions, attached to the main ``commsim`` group by the CLI. Heavy
imports (the lessons, plotly, solara) happen inside the commands, so ``commsim --help`` stays fast.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import click

from sim.errors import UserError

DEFAULT_PORT = 8765  # Solara's own default


@click.command("lessons")
def lessons_command() -> None:
    """List the lessons: name, principle and the claim they test."""
    from sim.lessons import LESSONS

    for name, lesson in LESSONS.items():
        claim = textwrap.shorten(lesson.claim, 64, placeholder="...")
        click.echo(f"{name:<20} {lesson.principle:<8} {lesson.title}")
        click.echo(f"{'':<29} {claim}")
    click.echo("\nP1-P30: the practitioners' principles each lesson tests, in plain words with "
               "their article, levers and scenarios: docs/principles.md")


@click.command("lesson")
@click.argument("name")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML page with the plot to this file.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Change a parameter. A lever the lesson tests changes its intervention arm; "
                   "any other parameter changes the world every arm shares. Repeatable.")
@click.option("--replicates", type=click.IntRange(1, 10_000), default=None,
              help="Seeds per arm (default: the lesson's own).")
@click.option("--force", is_flag=True, help="Replace the --html file if it exists.")
def lesson_command(name: str, html_path: Path | None, assignments: tuple[str, ...],
                   replicates: int | None, force: bool) -> None:
    """Run lesson NAME: the claim, the finding with 95% intervals, the verdict, what to try next.
    """
    from sim.files import check_output
    from sim.lessons import render_text, run_lesson
    from sim.lessons.overrides import parse_assignments
    from sim.lessons.render import write_html
    from sim.lessons.runner import get_lesson
    from sim.warmup import prepare_engine

    get_lesson(name)  # an unknown name fails before the --set values are judged
    overrides = parse_assignments(assignments, source=f"lesson '{name}': --set")
    check_output(html_path, "--html", force)  # before the runs, so that nothing is wasted
    prepare_engine()
    result = run_lesson(name, overrides, replicates)
    click.echo(render_text(result))
    if html_path is not None:
        path = write_html(result, html_path)
        click.echo(f"wrote {path}")


def viz_invocation(lesson: str | None, host: str, port: int, open_browser: bool,
                   compare: tuple[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The command that serves the app (the two-arm app when ``compare`` names two arms) and the
    environment it needs.

    Raises:
        UserError: an unknown lesson, or an arm that is no scenario or valid ``key=value`` list.
    """
    import json

    from sim.lessons.runner import get_lesson
    from sim.viz import APP_PATH, COMPARE_APP_PATH
    from sim.viz.compare import COMPARE_ENV, parse_arm
    from sim.viz.controls import LESSON_ENV

    if lesson is not None:
        get_lesson(lesson)
    if compare is not None:
        if lesson is not None:
            raise UserError("--lesson and --compare: choose one (the --compare app has a lesson "
                            "picker)")
        for arm in compare:
            parse_arm(arm)
    app = COMPARE_APP_PATH if compare is not None else APP_PATH
    # --no-check-version: Solara would otherwise ask PyPI for a newer version at every start
    cmd = [sys.executable, "-m", "solara", "run", str(app), "--host", host, "--port",
           str(port), "--production", "--no-check-version",
           "--open" if open_browser else "--no-open"]
    env = {**os.environ, LESSON_ENV: lesson or "",
           COMPARE_ENV: json.dumps(list(compare)) if compare is not None else "",
           # the app runs offline: no usage reports to Solara's telemetry service
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    return cmd, env


def is_loopback(host: str) -> bool:
    """Is ``host`` an address only this computer can reach (localhost, 127.x, ::1)?"""
    import ipaddress

    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("viz")
@click.option("--lesson", "lesson", default=None, metavar="NAME",
              help="Open the app on this lesson's intervention instead of the baseline.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="The TCP port to serve on (1 to 65535).")
@click.option("--host", default="localhost", show_default=True,
              help="The address to serve on; only this computer can reach localhost.")
@click.option("--public", is_flag=True,
              help="Allow a --host other computers can reach (the app has no login).")
@click.option("--compare", nargs=2, default=None, metavar="A B",
              help="Open the two-arm app: A and B side by side on the same seed, over the "
                   "bands of many seeds. Each is a scenario name or key=value pairs joined by "
                   "commas; the app also has a lesson picker.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser tab.")
def viz_command(lesson: str | None, port: int, host: str, public: bool,
                compare: tuple[str, str] | None, no_browser: bool) -> None:
    """Start the interactive app in the browser (Ctrl-C stops it).

    \b
    Examples:
      commsim viz --lesson shills
      commsim viz --compare baseline shills=2,shills_start=30
    """
    if not is_loopback(host):
        if not public:
            raise UserError(f"--host {host}: other computers could reach the app, which has no "
                            "login and runs simulations for anyone; add --public if that is "
                            "meant, or use --host localhost")
        click.echo(f"commsim viz: warning: serving on {host}, reachable from other computers "
                   "(no login)", err=True)
    if importlib.util.find_spec("solara") is None:
        raise UserError("commsim viz needs the app's extra packages: "
                        "pip install -e \".[viz]\" (in the project folder)")
    cmd, env = viz_invocation(lesson, host, port, not no_browser, compare)
    what = (f"A: {compare[0]} and B: {compare[1]} side by side" if compare else
            f"lesson {lesson}" if lesson else "baseline")
    click.echo(f"commsim viz: serving on http://{host}:{port}/ ({what}); Ctrl-C stops it")
    try:
        code = subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        code = 0
    if code:
        raise click.exceptions.Exit(code)
