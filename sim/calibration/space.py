"""The search space: which parameters a calibration fits, and over which ranges.

The default set is the one the targets can pin down: how much members talk (``activity_median``),
how unequally (``activity_sigma``), how fast a group fades (``attention_decay``), how fast silent
members leave (``leave_base``) and how much talk begets talk (``social_gain``). Ranges are
narrower than the parameters' allowed ranges (sim/params.py): wide enough to hold any plausible
chat group, and searched on a log scale where the parameter spans orders of magnitude.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.errors import UserError, closest
from sim.params import PARAM_NAMES, info

DEFAULT_PARAMS = ("activity_median", "activity_sigma", "attention_decay", "leave_base",
                  "social_gain")
# name: (low, high, log scale); the ranges a chat group plausibly spans (assumption)
RANGES: dict[str, tuple[float, float, bool]] = {
    "activity_median": (0.0005, 0.5, True),  # one post in 2000 days to one in 2 days
    "activity_sigma": (0.5, 4.0, False),  # from near-equal to extremely heavy-tailed
    "attention_decay": (0.0005, 0.3, True),  # attention half-life from ~4 years to ~2 days
    "leave_base": (0.00005, 0.03, True),  # silent members leave after ~50 years to ~1 month
    "social_gain": (0.0, 10.0, False),
    "social_half": (0.005, 5.0, True),
    "attention_floor": (0.0, 0.8, False),
    "burst_mean": (0.0, 5.0, False),
    "crowding_size": (5.0, 2000.0, True),
    "radiation_base": (0.0, 1.0, False),
    "seen_boost": (0.0, 3.0, False),
}
# set from the data (group size, inflow) or meaningless to fit from message logs
FROM_DATA = ("group_size", "recruit_per_day", "platform_cap", "n_groups")
GENERIC_SPAN = 10.0  # a parameter without a listed range is searched from default/10 to x10


@dataclass(frozen=True)
class Dimension:
    """One fitted parameter: its range, whether it is searched on a log scale, whole numbers."""

    name: str
    lo: float
    hi: float
    log: bool = False
    integer: bool = False

    def scaled(self, value: float) -> float:
        """Position of ``value`` in the range, 0 at ``lo`` and 1 at ``hi`` (log scale if log)."""
        if self.log:
            return (math.log(value) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return (value - self.lo) / (self.hi - self.lo)

    def unscaled(self, position: float) -> float:
        """The value at ``position`` (0 to 1) of the range; the inverse of :meth:`scaled`."""
        if self.log:
            value = math.exp(math.log(self.lo) + position * (math.log(self.hi) - math.log(self.lo)))
        else:
            value = self.lo + position * (self.hi - self.lo)
        return float(round(value)) if self.integer else value


def dimension(name: str, bounds: tuple[float, float] | None = None,
              source: str = "--params") -> Dimension:
    """The search range of one parameter: ``bounds`` if given, else :data:`RANGES`, else the
    default divided and multiplied by 10 (within the parameter's allowed range).

    Raises:
        UserError: an unknown parameter (with the closest name), one that is set from the data
            or is not a number, or bounds outside the allowed range.
    """
    if name not in PARAM_NAMES:
        raise UserError(f"{source}: unknown parameter '{name}'{closest(name, PARAM_NAMES)}; "
                        "'commsim show baseline' lists them all")
    if name in FROM_DATA:
        raise UserError(f"{source}: '{name}' is set from the data (members seen, their inflow), "
                        "not fitted; choose other parameters")
    meta = info(name)
    default = meta["default"]
    if isinstance(default, bool) or not isinstance(default, int | float):
        raise UserError(f"{source}: '{name}' is not a number ({meta['unit']}), so it cannot be "
                        "fitted; set it in the base scenario instead")
    allowed_lo = meta["lo"] if meta["lo"] is not None else -math.inf
    allowed_hi = meta["hi"] if meta["hi"] is not None else math.inf
    if bounds is not None:
        lo, hi = bounds
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo < allowed_lo or hi > allowed_hi:
            raise UserError(f"{source}: '{name}' range {lo:g} to {hi:g} goes outside what the "
                            f"parameter allows ({allowed_lo:g} to {allowed_hi:g} "
                            f"{meta['unit']}); give a range within it")
        log = lo > 0 and hi / lo >= 20
    elif name in RANGES:
        lo, hi, log = RANGES[name]
    elif default > 0:
        lo, hi, log = default / GENERIC_SPAN, default * GENERIC_SPAN, True
    else:
        raise UserError(f"{source}: '{name}' has default {default} and no known search range; "
                        f"give one as {name}=LOW:HIGH")
    lo, hi = max(lo, allowed_lo), min(hi, allowed_hi)
    if not lo < hi or math.isinf(hi):
        raise UserError(f"{source}: '{name}' range {lo:g} to {hi:g} is empty or unbounded; "
                        f"expected LOW < HIGH within {allowed_lo:g} to {allowed_hi:g}")
    return Dimension(name, float(lo), float(hi), log and lo > 0, isinstance(default, int))


def parse_params(text: str | None) -> list[Dimension]:
    """The dimensions named by ``--params``: ``a,b,c`` with optional ranges ``a=LOW:HIGH``.

    Args:
        text: comma-separated parameter names, or None for :data:`DEFAULT_PARAMS`.

    Raises:
        UserError: an empty list, a repeated or unknown name, or a range that is not two numbers.
    """
    if text is None:
        return [dimension(name) for name in DEFAULT_PARAMS]
    dims: list[Dimension] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, span = (s.strip() for s in item.partition("="))
        bounds = None
        if sep:
            try:
                lo_text, hi_text = span.split(":")
                bounds = (float(lo_text), float(hi_text))
            except ValueError:
                raise UserError(f"--params: '{item}' has range {span!r}; expected LOW:HIGH, "
                                f"e.g. {name}=0.001:0.1") from None
        if name in [d.name for d in dims]:
            raise UserError(f"--params: '{name}' is given twice")
        dims.append(dimension(name, bounds))
    if not dims:
        raise UserError("--params: no parameter given; expected names such as "
                        + ",".join(DEFAULT_PARAMS))
    return dims
