"""Members wanted -> invitations: the share of launch invitees who join, from the joining rule.

An operator thinks of a group by its members ("my 300-person group"), the model by the people
invited at launch (``group_size``): with a fee, an effort test or a poor topic match, fewer of them
join. :func:`expected_join_share` is the expected share of launch invitees who join a group,
computed from the joining rule of ``sim/phases/joining.py`` analytically: the chance an invitee
joins, averaged over the distributions of their traits (``sim/population.py``) by Gauss-Hermite
quadrature (interest and willingness to pay are normal and lognormal), over the four
able/willing classes, the three kinds of people, and the days the invitee answers on (the fee acts
only inside the threshold lever's window). No simulation, no randomness: the same parameters give
the same invitations everywhere.

:func:`invitations_for` divides the members wanted by that share. Joiners are random, so a run
lands near the target, not on it: tests/test_ask.py measures how near (within 3% in the mean over
seeds for free and 9.9-yuan groups of 300). What it leaves out: a group full at the platform cap
takes no one (the target must fit under the cap), and for the second and later groups of an
operator, invitations shared with earlier groups (``overlap``) reach people of another topic, who
join less: there the target is an upper bound.

Keep this in step with ``decide`` in sim/phases/joining.py; the test above fails when they part.
"""

from __future__ import annotations

import math
from typing import Any

NODES = 48  # Gauss-Hermite nodes per normal trait: exact to far below the binomial noise
MAX_DELAY_DAYS = 400  # answer days summed over; the geometric tail beyond is negligible
WTP_ABLE_UNWILLING = (0.15, 0.3)  # willingness to pay of the unable, the unwilling (population)
SPAMMER_WTP = 0.5  # yuan: spammers have nothing to lose (population)


def _fee_share(p: Any, launch_day: float) -> float:
    """Chance that an invitee of a group launched on ``launch_day`` answers while the threshold
    lever acts (the answer comes a geometric number of days later, mean ``join_delay``)."""
    q = p["join_delay"] / (1.0 + p["join_delay"])
    share = 0.0
    for k in range(MAX_DELAY_DAYS):
        day = launch_day + k
        if p["threshold_start"] <= day < p["threshold_end"]:
            share += (1.0 - q) * q ** k
    return share


def _nodes() -> tuple[Any, Any]:
    """Gauss-Hermite nodes and weights (summing to 1) for a standard normal."""
    import numpy as np

    z, w = np.polynomial.hermite_e.hermegauss(NODES)
    return z, w / w.sum()


def _fee_terms(p: Any, fee: float, fit: Any) -> Any:
    """For each interest node: exp(-fee / (wtp x fit)) averaged over willingness to pay (lognormal,
    log-sd 1, around the median) and the four able/willing classes."""
    import numpy as np

    if fee <= 0:
        return np.ones(fit.size)
    z, w = _nodes()
    out = np.zeros(fit.size)
    cut_unable, cut_unwilling = WTP_ABLE_UNWILLING
    for able, p_able in ((1.0, p["share_able"]), (cut_unable, 1.0 - p["share_able"])):
        for willing, p_willing in ((1.0, p["share_willing"]),
                                   (cut_unwilling, 1.0 - p["share_willing"])):
            wtp = p["wtp_median"] * np.exp(z) * able * willing
            out += p_able * p_willing * (np.exp(-fee / np.maximum(
                wtp[None, :] * fit[:, None], 1e-9)) @ w)
    return out


def _join_chance(p: Any, fee: float, effort: float) -> float:
    """Expected chance that a launch invitee joins, given the fee and effort acting on them."""
    import numpy as np

    z, w = _nodes()
    d = np.abs(p["topic_spread"] * z) % 1.0  # distance of interest from the group's topic
    fit = np.exp(-((np.minimum(d, 1.0 - d) / p["fit_width"]) ** 2))
    base = p["accept_base"]
    spam, trouble = p["share_spammers"], p["share_troublemakers"]
    # spammers: no interest filter, willingness to pay 0.5 yuan, the full effort cut
    spam_fee = np.exp(-fee / np.maximum(SPAMMER_WTP * fit, 1e-9)) if fee > 0 else np.ones(NODES)
    spammer = base * float(w @ spam_fee) * (1.0 - effort)
    matched = np.sqrt(fit) * _fee_terms(p, fee, fit)
    # the effort test cuts ordinary members by their mismatch, troublemakers fully
    ordinary = base * float(w @ (matched * (1.0 - effort * (1.0 - fit))))
    troublemaker = base * float(w @ matched) * (1.0 - effort)
    return spam * spammer + trouble * troublemaker + (1.0 - spam - trouble) * ordinary


def expected_join_share(p: Any) -> float:
    """Expected share of a group's launch invitees who join, averaged over the operator's groups
    (each launched ``launch_interval`` days after the last; the fee acts by launch day).

    Args:
        p: the parameters (a ``Params`` or a mapping with every parameter's value).
    """
    p = p if isinstance(p, dict) else p.model_dump()
    shares = []
    launches = [g * p["launch_interval"] for g in range(int(p["n_groups"]))]
    for day in sorted(set(launches)):
        on = _fee_share(p, day) if (p["entry_fee"] > 0 or p["effort_test"] > 0) else 0.0
        with_fee = _join_chance(p, p["entry_fee"], p["effort_test"]) if on > 0 else 0.0
        free = _join_chance(p, 0.0, 0.0) if on < 1 else 0.0
        shares.append((on * with_fee + (1.0 - on) * free) * launches.count(day))
    return sum(shares) / len(launches)


def invitations_for(members: int, p: Any) -> int:
    """Invitations per group that give ``members`` joiners in expectation (at least ``members``).

    Raises:
        ValueError: nobody would join, or more invitations than ``group_size`` allows.
    """
    share = expected_join_share(p)
    if share <= 0:
        raise ValueError(f"members_target = {members}: no invitee would join under these "
                         "parameters (the fee or the effort test keeps everyone out)")
    return max(members, int(math.ceil(members / share - 1e-9)))
