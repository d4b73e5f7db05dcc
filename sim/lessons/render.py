"""A lesson's result as text for the terminal and as a self-contained HTML page."""

from __future__ import annotations

import html
import json
import textwrap
from pathlib import Path

from sim.lessons.core import VERDICT_RULE, Lesson, LessonResult

WIDTH = 96


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def arms_text(design: dict[str, dict], labels: dict[str, str] | None = None) -> list[str]:
    """One line per arm: its name (as relabelled by a --set) and its overrides."""
    labels = labels or {}
    return [f"{labels.get(name, name)}: {json.dumps(arm) if arm else 'defaults'}"
            for name, arm in design.items()]


def _labels(result: LessonResult) -> dict[str, str]:
    from sim.lessons.runner import set_labels

    return set_labels(result.lesson, result.overrides)


def _set_note(result: LessonResult) -> list[str]:
    """Say which arm a --set changed, since the claim and checks name the arm by its old name."""
    return [f"Your --set changed the '{arm}' arm: it is now {label.split(' (')[0]}; where the "
            f"claim and the checks say '{arm}', read that."
            for arm, label in _labels(result).items()]


def try_next_command(lesson: Lesson) -> str:
    """The command the learner runs next."""
    return f"commsim lesson {lesson.name} --set {lesson.try_next[0]}"


def render_text(result: LessonResult) -> str:
    """The claim, the experiment, the finding with intervals, the verdict and what to try next."""
    lesson = result.lesson
    out = [f"{lesson.principle}  {lesson.title}   [{lesson.name}]", "",
           "Claim:", _wrap(lesson.claim), "",
           f"Experiment: {len(result.design)} arm(s) x {result.replicates} seeds x "
           f"{lesson.days} days, the same seeds in every arm (paired); reference: "
           f"{lesson.reference}"]
    labels = _labels(result)
    out += [_wrap(line, "    ") for line in arms_text(result.design, labels)]
    if result.overrides:
        out.append(_wrap(f"your --set: {json.dumps(result.overrides)}", "    "))
    out += [_wrap(line, "    ") for line in _set_note(result)]
    out += ["", "Finding (means over seeds, 95% bootstrap intervals):"]
    out += [_wrap("- " + s) for s in result.analysis.finding]
    out += ["", f"Verdict: {result.verdict.upper()}", _wrap(f"(rule: {VERDICT_RULE})")]
    out += [_wrap(r) for r in result.reasons]
    out += [_wrap("Note: " + n) for n in result.analysis.notes]
    out += ["", "What to try next:", _wrap(f"{try_next_command(lesson)}   # {lesson.try_next[1]}"),
            "", f"(ran in {result.seconds:.1f} s; {lesson.principle} and the other principles "
                f"in plain words: docs/principles.md)"]
    return "\n".join(out)


def to_html(result: LessonResult) -> str:
    """A full HTML page with the text and the plot (plotly.js embedded, works offline)."""
    lesson = result.lesson
    esc = html.escape
    checks = "".join(f"<li>{esc(r)}</li>" for r in result.reasons)
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.analysis.notes)
    finding = "".join(f"<li>{esc(s)}</li>" for s in result.analysis.finding)
    arms = "".join(f"<li><code>{esc(a)}</code></li>"
                   for a in arms_text(result.design, _labels(result)))
    arms += "".join(f"<li>{esc(n)}</li>" for n in _set_note(result))
    plot = result.figure.to_html(full_html=False, include_plotlyjs=True,
                                 config={"displaylogo": False})
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(lesson.principle)} {esc(lesson.title)}</title>
<style>body{{font-family:sans-serif;max-width:1150px;margin:1.5em auto;color:#222}}
.verdict{{font-size:1.2em;font-weight:bold}} code{{background:#f3f3f3}}</style></head>
<body>
<h1>{esc(lesson.principle)} {esc(lesson.title)}</h1>
<p><b>Claim.</b> {esc(lesson.claim)}</p>
<div id="plot">{plot}</div>
<p class="verdict">Verdict: {esc(result.verdict)}</p>
<ul>{checks}</ul>
<p><b>Finding</b> (means over seeds, 95% bootstrap intervals of paired differences)</p>
<ul>{finding}</ul>
{f"<p><b>Notes</b></p><ul>{notes}</ul>" if notes else ""}
<p><b>Experiment.</b> {len(result.design)} arm(s) &times; {result.replicates} seeds &times;
{lesson.days} days, the same seeds in every arm; reference: {esc(lesson.reference)}.</p>
<ul>{arms}</ul>
<p><b>Verdict rule.</b> {esc(VERDICT_RULE)}.</p>
<p><b>What to try next.</b> <code>{esc(try_next_command(lesson))}</code> &mdash;
{esc(lesson.try_next[1])}</p>
</body></html>
"""


def write_html(result: LessonResult, path: str | Path) -> Path:
    """Write :func:`to_html` to ``path`` (folders created) all at once (:mod:`sim.files`) and
    return the path."""
    from sim.files import atomic_write

    return atomic_write(path, to_html(result), "--html")
