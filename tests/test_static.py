"""Mistakes that must not compile silently: compiled kernels are called by keyword, and the
constants a rule uses are parameters (so `show`, sweeps and calibration see them).

A kernel with 44 positional arguments accepts two swapped arrays of the same type and gives wrong
numbers; called by keyword, a swap is a swap of names, which reads wrong, and a renamed or missing
argument is a TypeError at the call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from sim.params import Params, info
from tests.conftest import paired_diff, run_arms

SIM = Path(__file__).resolve().parents[1] / "sim"
SMALL_HELPERS = 3  # kernels of at most this many scalars (draw, pair_key) may be positional


def _kernels() -> dict[str, int]:
    """Name -> number of parameters of every @njit function defined in sim/."""
    out = {}
    for path in SIM.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                    "njit" in ast.unparse(d) for d in node.decorator_list):
                out[node.name] = len(node.args.args)
    return out


def test_every_kernel_with_arrays_is_called_by_keyword():
    """No call in sim/ passes positional arguments to a kernel of more than three parameters."""
    kernels = {k: n for k, n in _kernels().items() if n > SMALL_HELPERS}
    assert {"_post", "_tally", "_leave_or_mute", "_feel"} <= set(kernels)  # the scan sees them
    positional = []
    for path in SIM.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in kernels and node.args:
                positional.append(f"{path.relative_to(SIM.parent)}:{node.lineno} {node.func.id}")
    assert not positional, "kernels called with positional arguments: " + ", ".join(positional)


MOVED = ("shill_expert_answer", "class_bc", "class_d", "referral_pull", "referral_alike",
         "effort_commitment", "ads_felt_max", "trust_tie_max", "wtp_unable", "wtp_unwilling",
         "wtp_spammer")


@pytest.mark.parametrize("name", MOVED)
def test_former_hidden_constants_are_parameters_with_unit_range_and_source(name):
    meta = info(name)
    assert meta["unit"] and meta["source"] and meta["lo"] is not None and meta["hi"] is not None
    assert meta["lo"] <= Params.model_fields[name].default <= meta["hi"]


# Each former constant, set to either end of its range, moves the outcome its rule feeds in the
# direction the rule says. 12 paired seeds: each effect below is an on/off switch of a whole
# mechanism, and every difference must be positive in the mean (no tolerance is needed beyond
# the sign; the rule's direction is what is tested).
R, DAYS = 12, 60
CASES = {
    # name: (world, low, high, outcome, sign of high - low)
    "shill_expert_answer": ({"shills": 2, "shill_roles": "expert", "owner_answer_share": 0.0},
                            0.0, 1.0, "mean_trust_final", +1),
    "class_bc": ({"commercial_every": 7, "share_able": 1.0, "share_willing": 0.0},
                 0.0, 1.0, "revenue", +1),
    "class_d": ({"commercial_every": 7, "share_able": 0.0, "share_willing": 0.0},
                0.0, 1.0, "revenue", +1),
    "referral_pull": ({"referral_rate": 0.05}, 0.0, 20.0, "joined", +1),
    "wtp_unable": ({"entry_fee": 99.0}, 0.0, 1.0, "joined", +1),
    "wtp_unwilling": ({"entry_fee": 99.0}, 0.0, 1.0, "joined", +1),
    "wtp_spammer": ({"entry_fee": 9.0, "share_spammers": 0.3}, 0.0, 1000.0, "joined", +1),
    "ads_felt_max": ({"share_spammers": 0.3}, 0, 1000, "mean_trust_final", -1),
    "trust_tie_max": ({"trust_tie": 0.01}, 0, 1000, "mean_trust_final", +1),
    "effort_commitment": ({"effort_test": 0.5}, 0.0, 1.0, "churned", -1),
}


def test_each_former_constant_drives_its_rule():
    arms = {}
    for name, (world, lo, hi, _, _) in CASES.items():
        arms[f"{name}:lo"] = {**world, name: lo}
        arms[f"{name}:hi"] = {**world, name: hi}
    runs, _, _ = run_arms(arms, R, DAYS)
    wrong = []
    for name, (_, lo, hi, outcome, sign) in CASES.items():
        diff = paired_diff(runs, f"{name}:hi", f"{name}:lo", outcome)
        if not np.sign(diff.mean()) == sign:
            wrong.append(f"{name} {lo} -> {hi}: {outcome} moved by {diff.mean():+.4g}")
    assert not wrong, "; ".join(wrong)
