"""The answer in plain words: the verdict, a table per option, the head-to-head differences and
what the model assumes. The same text goes to the terminal and (as paragraphs) to the page."""

from __future__ import annotations

import math
import textwrap

from sim.ask.core import NUMBERS, RESAMPLES, Answer, Difference, Estimate

WIDTH = 100
LABEL = 42


def _n(value: float, digits: int = 0, sign: bool = False) -> str:
    if value is None or not math.isfinite(float(value)):
        return "-"
    return f"{float(value):{'+' if sign else ''},.{digits}f}"


def _digits(e: Estimate) -> int:
    values = [abs(v) for v in (e.value, e.low, e.high) if math.isfinite(v)]
    return 0 if not values or max(values) >= 20 or all(v == round(v) for v in values) else 1


def estimate_text(e: Estimate, sign: bool = False) -> str:
    """'247 (240 to 254)' with as many decimals as the size calls for; one number when every
    run gave the same."""
    d = _digits(e)
    if not math.isfinite(e.low) or e.low == e.high:
        return _n(e.value, d, sign and e.value != 0)
    return f"{_n(e.value, d, sign)} ({_n(e.low, d, sign)} to {_n(e.high, d, sign)})"


def _points(e: Estimate) -> str:
    """A difference of shares in percentage points with its interval."""
    if not math.isfinite(e.value):
        return "-"
    if not math.isfinite(e.low):
        return f"{e.value * 100:+.1f} points"
    return f"{e.value * 100:+.1f} points ({e.low * 100:+.1f} to {e.high * 100:+.1f})"


def group_line(answer: Answer) -> str:
    """The group as asked: scenario, members wanted or invitations, fee, cap."""
    q = answer.question
    g = q.group
    parts = [f"scenario '{q.scenario}'"]
    if g.get("members_target"):
        parts.append(f"{g['members_target']} members wanted")
    if "group_size" in g:
        parts.append(f"{g['group_size']} people invited")
    if "entry_fee" in g:
        parts.append(f"entry fee {g['entry_fee']:g} yuan")
    if "platform_cap" in g:
        parts.append(f"platform cap {g['platform_cap']} members")
    parts += [f"{k}={v}" for k, v in g.items()
              if k not in ("members_target", "group_size", "entry_fee", "platform_cap")]
    return ", ".join(parts)


def verdict(answer: Answer) -> list[str]:
    """The answer in a few sentences: who keeps the group active past the horizon, how sure."""
    q, h = answer.question, answer.question.horizon
    arms = {a.option.label: a for a in answer.arms}
    lines = []
    for d in answer.differences:
        a, b = arms[d.label], arms[d.reference]
        pa, pb = a.active.share, b.active.share
        diff = d.numbers["active"]
        better, worse = (a, b) if diff.value > 0 else (b, a)
        if d.clear:
            lines.append(
                f"\"{better.option.label}\" keeps the group active past day {h} more often than "
                f"\"{worse.option.label}\": {better.active.share:.0%} of groups against "
                f"{worse.active.share:.0%} (difference {abs(diff.value) * 100:.1f} percentage "
                f"points, 95% interval {min(abs(diff.low), abs(diff.high)) * 100:.1f} to "
                f"{max(abs(diff.low), abs(diff.high)) * 100:.1f}).")
        elif d.leaning:
            lines.append(
                f"\"{better.option.label}\" leans ahead of \"{worse.option.label}\" on keeping "
                f"the group active past day {h}: {better.active.share:.0%} of groups against "
                f"{worse.active.share:.0%} (difference {_points(diff)}); its 95% interval "
                "excludes zero, but not the stricter interval that allows for checking after "
                "every block: a lean, not a clear answer.")
        else:
            lines.append(
                f"No clear winner between \"{d.label}\" and \"{d.reference}\" on keeping the "
                f"group active past day {h}: {pa:.0%} against {pb:.0%} of groups (difference "
                f"{_points(diff)}, an interval that includes zero).")
        cost, revenue = d.numbers["cost"], d.numbers["revenue"]
        lines.append(
            f"By day {h} \"{d.label}\" costs {_money(cost)} and earns {_money(revenue)} "
            f"than \"{d.reference}\".".replace("the same than", "the same as"))
    how = (f"the differences were clear (their {q.check_level:.1%} check intervals exclude "
           "zero)" if answer.stopped == "clear" else
           f"the cap of {q.cap} replicates (--max-replicates) was reached before "
           f"{'every' if len(answer.differences) > 1 else 'the'} difference was clear")
    lines.append(f"Based on {answer.replicates} paired runs per option (same seeds under every "
                 f"option); stopped because {how}.")
    return lines


def _money(e: Estimate) -> str:
    if not math.isfinite(e.value):
        return "-"
    if e.value == 0 and e.low == e.high:
        return "the same"
    word = "more" if e.value >= 0 else "less"
    if not math.isfinite(e.low) or e.low == e.high:
        interval = ""
    elif e.low > 0 or e.high < 0:  # one side of zero: in the words' own direction
        low, high = sorted((abs(e.low), abs(e.high)))
        interval = f" (95% interval {low:,.0f} to {high:,.0f})"
    else:
        interval = f" (95% interval {_n(e.low, 0, True)} to {_n(e.high, 0, True)} yuan)"
    return f"{abs(e.value):,.0f} yuan {word}{interval}"


def option_rows(answer: Answer) -> list[tuple[str, list[str]]]:
    """(label, one cell per option) rows of the table of options."""
    h = answer.question.horizon
    rows = [(f"chance still active on day {h}",
             [f"{a.active.share:.0%} ({a.active.low * 100:.0f} to {a.active.high:.0%})"
              for a in answer.arms]),
            ("median lifetime (days)", [a.median.text().replace(" days", "")
                                                      .replace("95% interval ", "")
                                                      for a in answer.arms])]
    for key, label in NUMBERS.items():
        rows.append((label.format(h=h), [estimate_text(a.numbers[key]) for a in answer.arms]))
    return rows


def difference_rows(d: Difference, horizon: int) -> list[tuple[str, str, bool]]:
    """(label, difference with interval, includes zero) rows of one head-to-head comparison."""
    rows = [(f"chance still active on day {horizon}", _points(d.numbers["active"]),
             not d.clear),
            ("lifetime (days, mean up to run length)",
             estimate_text(d.numbers["lifetime"], True), _zero(d.numbers["lifetime"]))]
    for key, label in NUMBERS.items():
        if key == "invited":
            continue
        e = d.numbers[key]
        rows.append((label.format(h=horizon), estimate_text(e, True), _zero(e)))
    return rows


def _zero(e: Estimate) -> bool:
    return not (e.low > 0 or e.high < 0)


def assumptions(answer: Answer) -> list[str]:
    """What the model assumes, in words: calibration, the definition of active, sizes."""
    q = answer.question
    lines = []
    if q.calibration:
        lines.append(f"Parameters: scenario '{q.scenario}': {q.calibration}")
    else:
        lines.append(
            f"Parameters: the model's defaults (scenario '{q.scenario}'), which reproduce the "
            "patterns practitioners describe but are NOT fitted to your group (calibration "
            "status: not calibrated). Fit them to your own chat log with `commsim import` and "
            "`commsim calibrate`, then ask again with --scenario.")
    lines.append(
        "Active: the 7-day mean of members' messages has not yet fallen below 20% of its peak "
        "for good (the model's silence definition); a group still active when the runs end "
        f"(day {q.days}) counts as living at least {q.days} days (censored).")
    if q.group.get("members_target"):
        sizes = ", ".join(f"\"{a.option.label}\" {a.params.group_size}" for a in answer.arms)
        lines.append(
            f"Members wanted: {q.group['members_target']} per group; the invitations that give "
            f"that many joiners were computed from the model's joining rule ({sizes} people "
            "invited), so a fee is met by inviting more people.")
    else:
        lines.append("Group size: the same invitations under every option; a fee or a test "
                     "lowers how many join (see members who joined).")
    lines.append("Intervals: 95%; shares by Wilson score, the median by order statistics, means "
                 f"and differences by a paired percentile bootstrap ({RESAMPLES:,} resamples). "
                 f"Runs were added in blocks of {q.block} and the answer checked after each, up "
                 f"to {q.looks} checks: each check used a {q.check_level:.1%} interval "
                 "(Bonferroni), so that checking often does not make a false \"clear\" answer "
                 "likelier than 5%.")
    return lines


def answer_text(answer: Answer) -> str:
    """The whole answer for the terminal."""
    q = answer.question
    out = [f"Question: which option keeps the group active past day {q.horizon}?",
           f"  your group: {group_line(answer)}; runs of {q.days} days, master seed {q.seed}",
           *(f"  option {i + 1}: \"{o.label}\" ({o.describe()})" for i, o in
             enumerate(q.options)), "", "Answer:"]
    for line in verdict(answer):
        out.append(textwrap.fill(line, WIDTH, initial_indent="  ", subsequent_indent="  "))
    width = max(25, *(len(a.option.label) + 2 for a in answer.arms))
    out += ["", f"  {'per option (95% interval)':<{LABEL}}"
            + "".join(f"{a.option.label[:width - 1]:>{width}}" for a in answer.arms)]
    for label, cells in option_rows(answer):
        out.append(f"  {label:<{LABEL}}" + "".join(f"{c:>{width}}" for c in cells))
    for d in answer.differences:
        out += ["", f"  head to head: \"{d.label}\" minus \"{d.reference}\", paired by seed "
                    f"({answer.replicates} pairs)", "  ('~': the 95% interval includes zero)"]
        for label, text, zero in difference_rows(d, q.horizon):
            out.append(f"  {label:<{LABEL}}{text:>{width}}  {'~' if zero else ''}".rstrip())
    out += ["", "What the model assumes:"]
    for line in assumptions(answer):
        out.append(textwrap.fill(line, WIDTH, initial_indent="  ", subsequent_indent="    "))
    return "\n".join(out)
