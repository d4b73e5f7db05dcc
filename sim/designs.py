"""Sensitivity designs: the points a SALib method asks for over an experiment's ranges.

An experiment with ``method = "sobol"`` or ``"morris"``, ranges in ``[vary]`` and no ``sampler``
gets its design points here (``sim.experiments.design`` calls :func:`sensitivity_points`); the
indices are computed from the results by ``sim.report.sensitivity``, which draws the same unit
design again from the manifest.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.errors import UserError
from sim.params import Params

METHODS = ("sobol", "morris")
MORRIS_LEVELS = 4


def salib_problem(names: list[str]) -> dict[str, Any]:
    """SALib's problem dict for ``names`` on the unit cube (designs are scaled afterwards)."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def unit_design(method: str, names: list[str], samples: int, seed: int) -> np.ndarray:
    """The SALib design of ``method`` on the unit cube, one row per point, one column per name.

    Args:
        method: "sobol" (Saltelli, first and total order) or "morris" (trajectories).
        names: the parameters, in order.
        samples: base points (Sobol, a power of 2) or trajectories (Morris).
        seed: seed of the design.
    """
    problem = salib_problem(names)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)


def design_size(method: str, n_params: int, samples: int) -> int:
    """Points in the design of ``method`` for ``n_params`` ranges and ``samples``."""
    return samples * (n_params + (2 if method == "sobol" else 1))


def scale(u: float, low: float, high: float, integer: bool) -> int | float:
    """A unit value in [0, 1] as a value of the range [low, high] (integers: equal-width bins)."""
    if integer:
        return int(min(high, low + math.floor(u * (high - low + 1))))
    return float(low + u * (high - low))


def is_int(name: str) -> bool:
    """Whether a parameter takes whole numbers."""
    return Params.model_fields[name].annotation is int


def sensitivity_points(ranges: dict[str, tuple[float, float]], method: str, samples: int | None,
                       seed: int, where: str) -> list[dict[str, Any]]:
    """The design points of a sensitivity ``method`` over ``ranges`` (for ``[vary]`` ranges).

    Raises:
        UserError: no ranges, no ``samples``, or a number of samples the method cannot use.
    """
    if not ranges:
        raise UserError(f"{where}: method = \"{method}\" without a sampler makes a SALib design "
                        "over ranges, and [vary] has none: give [vary.<name>] tables with low "
                        "and high")
    if samples is None:
        raise UserError(f"{where}: method = \"{method}\" needs samples = N ("
                        + ("base points, a power of 2, e.g. 64)" if method == "sobol"
                           else "Morris trajectories, e.g. 20)"))
    if method == "sobol" and samples & (samples - 1):
        raise UserError(f"{where}: samples = {samples} is not allowed with method = \"sobol\": "
                        "expected a power of 2 (e.g. 64): Saltelli's scheme needs a balanced "
                        "Sobol sequence")
    if method == "morris" and samples < 2:
        raise UserError(f"{where}: samples = {samples}: Morris screening needs at least 2 "
                        "trajectories (10 to 50 is usual)")
    names = list(ranges)
    u = unit_design(method, names, samples, seed)
    return [{n: scale(x, *ranges[n], integer=is_int(n)) for n, x in zip(names, row)}
            for row in u]
