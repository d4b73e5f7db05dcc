"""Files a calibration writes: the calibrated scenario (TOML) and, for every output, a safe write.

Every file is written to a temporary file in its folder and renamed into place, so an error or a
Ctrl-C never leaves half a file; an existing file is replaced only when asked (``force``). The
scenario file is also loaded as a scenario (``extends`` resolved, every value checked) before it
takes its place, so a file that ``commsim validate`` would refuse is never written.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import textwrap
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from sim.calibration.fit import Calibration
from sim.errors import UserError
from sim.files import atomic_write
from sim.params import toml_value
from sim.scenarios import Scenario, load_scenario, scenario_dirs

SIGNIFICANT = 4  # digits kept of a fitted value: the fit is not more precise than that


def file_hash(path: Path) -> str:
    """The sha256 of a file, or of a folder's files in name order (an export folder)."""
    digest = hashlib.sha256()
    files = sorted(p for p in Path(path).rglob("*") if p.is_file()) if Path(path).is_dir() \
        else [Path(path)]
    for file in files:
        with file.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def rounded(value: float) -> float:
    """``value`` to :data:`SIGNIFICANT` significant digits, as a float."""
    return float(f"{value:.{SIGNIFICANT}g}")


def _comment(text: str) -> str:
    return "\n".join("# " + line if line else "#" for line in text.splitlines())


def scenario_text(cal: Calibration, name: str, base: Scenario, source: Path, source_hash: str,
                  max_days: int, arrivals: str, report: Path | None) -> str:
    """The calibrated scenario as TOML: provenance in comments and description, the context set
    from the data and the fitted values in ``[params]``, each with a comment saying where it
    came from."""
    groups = ", ".join(o.group for o in cal.observed)
    windows = "; ".join(f"{o.group}: first {o.days} of {o.span} days" for o in cal.observed)
    s = cal.settings
    ctx = _typical_context(cal)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (f"Calibrated by `commsim calibrate` on {when}.\n"
              f"Source: {source.name} (sha256 {source_hash}).\n"
              f"Groups: {windows} (windows capped at {max_days} days).\n"
              f"Loss {cal.fresh_loss:.4f} on fresh seeds, against {cal.base_loss:.4f} for the "
              f"base scenario '{base.name}';\n{s.restarts} restart(s) x {s.trials} trials, "
              f"{s.replicates} replicates, seed {s.seed}, arrivals \"{arrivals}\".")
    if report is not None:
        header += f"\nReport: {report.name}"
    if len(cal.observed) > 1:
        header += ("\nOne parameter set for all groups; group_size and days below are the "
                   "median group's.")
    fitted = ", ".join(d.name for d in cal.dims)
    description = (f"{base.name} calibrated to {groups} of {source.name} (sha256 "
                   f"{source_hash[:12]}): {fitted} fitted to the weekly activity curve, the "
                   f"ever-spoken share, the concentration of messages and messages per member; "
                   f"loss {cal.fresh_loss:.3f} against {cal.base_loss:.3f} for {base.name}.")
    lines = [_comment(header), f"name = {toml_value(name)}",
             'description = """\n' + textwrap.fill(description, 99) + '"""',
             f"extends = {toml_value(base.name)}",
             f"days = {ctx['days']}", "", "[params]", "# set from the data"]
    lines += [f"{k} = {toml_value(v)}  # {why}" for k, (v, why) in ctx["params"].items()]
    lines.append("# fitted (restarts' best values in brackets)")
    ident = cal.identifiability()
    for dim in cal.dims:
        info = ident[dim.name]
        note = "identified" if info["identified"] else f"NOT identified: {info['why']}"
        value = int(round(cal.best[dim.name])) if dim.integer else rounded(cal.best[dim.name])
        lines.append(f"{dim.name} = {toml_value(value)}  # [{info['min']:.3g}, "
                     f"{info['max']:.3g}]; {note}")
    return "\n".join(lines) + "\n"


def _typical_context(cal: Calibration) -> dict[str, Any]:
    """The context written to the file: the group's, or the median group's when pooled."""
    i = int(np.argsort([c.group_size for c in cal.contexts])[len(cal.contexts) // 2])
    c, o = cal.contexts[i], cal.observed[i]
    params: dict[str, tuple[Any, str]] = {
        "group_size": (c.group_size, f"{o.members} members seen in {o.group} / "
                                     f"{cal.accepted:.3f} of invitations accepted")}
    if c.recruit_per_day > 0:
        params["recruit_per_day"] = (c.recruit_per_day, "the observed inflow of later members")
        params["recruit_cost"] = (0.0, "arrivals the operator did not pay for")
    if c.platform_cap is not None:
        params["platform_cap"] = (c.platform_cap, "no cap binds on this platform")
    if c.friend_adds is not None:
        params["friend_adds"] = (c.friend_adds, "room for the observed inflow")
    return {"days": int(np.median([x.days for x in cal.contexts])), "params": params}


def write_scenario(text: str, out: Path, dirs: Iterable[str | Path] = ()) -> Scenario:
    """Check the scenario text as a file named ``out`` would be loaded, then write it there.

    Raises:
        UserError: the text does not load (for instance its ``extends`` is not found from the
            output folder), or the file cannot be written.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=".commsim-"))
    except OSError as exc:
        raise UserError(f"{out}: cannot write it ({exc.strerror or exc})") from None
    try:
        trial = staging / out.name
        trial.write_text(text, encoding="utf-8")
        try:
            load_scenario(trial, [out.parent, *scenario_dirs(dirs)])
        except UserError as err:
            raise UserError(f"{out}: the calibrated scenario would not load ({err}); put it "
                            "beside its base scenario or pass --scenario-dir") from None
        atomic_write(out, text)
        return load_scenario(out, dirs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

