"""The facts as a terminal table in plain words, CSV, JSON and a standalone HTML page."""

from __future__ import annotations

import html
import json
import math
import textwrap

import pandas as pd

SUMMARY_WORDS = {"median": "IQR", "share": "95% interval", "pooled": "95% bootstrap interval"}


def number(value: float, unit: str) -> str:
    """A value with its unit, in plain words."""
    if value is None or not math.isfinite(float(value)):
        return "-"
    v = float(value)
    if unit == "share":
        return f"{100 * v:.0f}%"
    if unit == "per week":
        return f"{100 * v:.2f}%/week"
    if unit in ("rho", "ratio", "0-1"):
        return f"{v:.2f}"
    if unit in ("week", "weeks"):
        return f"{v:.1f}" if v != round(v) else f"{v:.0f}"
    return f"{v:.1f}"


def cell(value: float, low: float, high: float, n: int, unit: str, note: str) -> str:
    """``value (low-high, n groups)`` or the note when the source cannot support the fact."""
    if note and not math.isfinite(float(value)):
        return "n/a: " + note.split(":")[0]
    rng = (f" ({number(low, unit)} to {number(high, unit)})"
           if math.isfinite(float(low)) else "")
    words = {"week": " weeks", "weeks": " weeks", "messages": " msgs"}.get(unit, "")
    return f"{number(value, unit)}{rng}{words}, n={n}"


def text_table(table: pd.DataFrame, a_name: str, b_name: str | None = None) -> str:
    """The facts, one per line: label, then each source's value with its range and n."""
    label_width = 58
    lines = []
    head = f"{'fact':<{label_width}}  {a_name:<34}"
    if b_name:
        head += f"  {b_name:<34}  inside {b_name}'s range?"
    lines.append(head)
    lines.append("-" * len(head))
    single = b_name is None
    for _, r in table.iterrows():
        label = textwrap.wrap(f"{r['label']} [{SUMMARY_WORDS[r['summary']]}]", label_width)
        if single:
            cols = [cell(r["value"], r["low"], r["high"], r["n"], r["unit"], r["note"])]
        else:
            inside = {True: "inside", False: "OUTSIDE"}.get(r["inside"], "-")
            cols = [cell(r["a_value"], r["a_low"], r["a_high"], r["a_n"], r["unit"],
                         r["a_note"]),
                    cell(r["b_value"], r["b_low"], r["b_high"], r["b_n"], r["unit"],
                         r["b_note"]), inside]
        first = f"{label[0]:<{label_width}}  " + "  ".join(f"{c:<34}" for c in cols)
        lines.append(first.rstrip())
        lines.extend(label[1:])
    if not single:
        known = table["inside"].dropna()
        lines.append(f"\n{int(known.sum())} of {len(known)} facts measurable on both sides lie "
                     f"inside {b_name}'s range.")
    lines.append("Ranges: IQR = middle half of the groups; shares have a 95% Wilson interval; "
                 "rank correlations and leaving rates a 95% bootstrap interval over groups; "
                 "n = groups measured.")
    return "\n".join(lines)


def to_json(table: pd.DataFrame, sources: list[dict]) -> str:
    """The table and a description of each source, as strict JSON (NaN as null)."""
    rows = []
    for row in table.to_dict(orient="records"):
        rows.append({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                     for k, v in row.items()})
    return json.dumps({"sources": sources, "facts": rows}, indent=2, default=str,
                      allow_nan=False) + "\n"


def report_section(path, scenarios: list[str]) -> list[str]:
    """HTML for ``commsim report``: the facts of each scenario of a results folder recorded with
    ``--record members,groups``; nothing when the folder has no records."""
    from pathlib import Path

    from sim.errors import UserError
    from sim.facts.battery import summarise
    from sim.facts.sources import load_results

    path = Path(path)
    if not ((path / "members.parquet").is_file() and (path / "groups.parquet").is_file()):
        return []
    out = ["<h2 id='facts'>How the groups live and die (facts)</h2>",
           "<p class=caption>Week-level facts of every simulated group (each run's group), "
           "with the definitions used for real logs (<code>commsim facts</code>; "
           "docs/validation.md): medians with their interquartile range across groups.</p>"]
    for name in scenarios:
        try:
            source = load_results(path, name if len(scenarios) > 1 else None)
        except UserError as err:
            out.append(f"<p class=note>{html.escape(str(err))}</p>")
            continue
        out += [f"<h3>{html.escape(name)}</h3>", table_html(summarise(source), source.name)]
    return out


def table_html(table: pd.DataFrame, a_name: str, b_name: str | None = None) -> str:
    """The facts as an HTML table (one source, or two side by side)."""
    e = html.escape
    head = ["fact", "range", a_name] + ([b_name, f"inside {b_name}'s range?"] if b_name else [])
    body = []
    for _, r in table.iterrows():
        if b_name:
            inside = {True: "inside", False: "outside"}.get(r["inside"], "-")
            cells = [cell(r["a_value"], r["a_low"], r["a_high"], r["a_n"], r["unit"],
                          r["a_note"]),
                     cell(r["b_value"], r["b_low"], r["b_high"], r["b_n"], r["unit"],
                          r["b_note"]), inside]
        else:
            cells = [cell(r["value"], r["low"], r["high"], r["n"], r["unit"], r["note"])]
        body.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in
                                     [r["label"], SUMMARY_WORDS[r["summary"]], *cells]) + "</tr>")
    return ("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
            + "".join(body) + "</table>")


def to_html(table: pd.DataFrame, title: str, a_name: str, b_name: str | None = None) -> str:
    """A self-contained page with the facts table."""
    e = html.escape
    return ("<!doctype html><html><head><meta charset='utf-8'><title>" + e(title) +
            "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
            "collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>"
            "</head><body><h1>" + e(title) + "</h1>" + table_html(table, a_name, b_name) +
            "<p>Weeks count from each group's start (week 1 = its first 7 days); only "
            "full observed weeks count, so weeks after the end of observation are never taken "
            "for silence. IQR = middle half of the groups.</p></body></html>\n")
