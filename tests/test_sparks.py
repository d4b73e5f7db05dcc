"""Issue 12 (item 3): the two rules that make a group's talk a trickle of short sparks.

- Interest fades with tenure: talk pulls a member's attention back only up to
  ``1 / (1 + days in the group / interest_days)`` (sim/phases/attention.py).
- Late arrivals come in waves: with ``late_waves`` = k, a group's late launch invitees answer on
  at most k days (sim/phases/joining.py).

Each test states the rule's expected numbers, so a flipped sign, an ignored parameter or a
ceiling applied to the wrong member breaks it.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CommunityModel
from sim.phases.attention import _attend
from sim.state import ACTIVE


def _pull(attention, join_day, day, interest_days, talk=1.0, talk_pull=0.5, decay=0.2):
    """Attention after one day of the attention rule, for members of one group in one run."""
    n = len(attention)
    a = np.array(attention, dtype=np.float64)
    one = np.ones(1)
    _attend(attention=a, status=np.full(n, ACTIVE, dtype=np.int8), run=np.zeros(n, np.int64),
            grp=np.zeros(n, np.int64), key=np.arange(n, dtype=np.uint64), fit=np.ones(n),
            habit=np.zeros(n), commit=np.zeros(n), content_g=np.zeros(1, np.bool_),
            packet_g=np.zeros(1, np.bool_), wake_b=np.zeros(1, np.uint64),
            attention_floor=0 * one, attention_decay=decay * one, commit_attention=0 * one,
            content_renewal=0 * one, owner_depth=0.5 * one, red_packet_attention=0 * one,
            red_packet_wake=0 * one, talk_g=talk * one, talk_pull=talk_pull * one,
            join_day=np.array(join_day, dtype=np.int64), day=day,
            interest_days=interest_days * one)
    return a


def test_talk_pulls_a_newcomer_all_the_way_and_an_old_member_only_to_their_interest():
    """Day 40, interest_days 10: a member of 0 days has interest 1, one of 30 days 1/4. From
    attention 0.1, decayed to 0.08, a pull of min(1, 0.5 x 1) = 0.5 of the way up gives
    0.08 + 0.5 (1 - 0.08) = 0.54 and 0.08 + 0.5 (0.25 - 0.08) = 0.165."""
    a = _pull([0.1, 0.1], join_day=[40, 10], day=40, interest_days=10.0)
    assert a == pytest.approx([0.54, 0.165])


def test_an_old_member_above_their_interest_is_not_pulled_down_only_left_to_fade():
    """Attention 0.9 of a member whose interest is 1/4 fades to 0.72 and stays there."""
    a = _pull([0.9], join_day=[10], day=40, interest_days=10.0)
    assert a == pytest.approx([0.72])


def test_without_fading_interest_talk_pulls_everyone_alike():
    """interest_days 0 is the rule before issue 12's second round: the same pull for all."""
    a = _pull([0.1, 0.1], join_day=[40, 10], day=40, interest_days=0.0)
    assert a == pytest.approx([0.54, 0.54])


def _late_days(waves: int) -> np.ndarray:
    """Answer days of one group's launch invitations when every invitee is late."""
    model = CommunityModel(seed=7, group_size=300, late_share=1.0, straggle_share=0.0,
                           late_delay=60.0, late_waves=waves)
    model.step()  # day 0: the launch invitations go out (the due ones are answered)
    return model.state.invites.day


def test_late_arrivals_come_in_as_many_waves_as_asked():
    """With every invitee late and 3 waves, the waiting invitations fall on at most 3 days
    (after a day-0 wave, if any, has been answered), each holding many invitees; one at a time
    (0 waves), 300 invitees of mean delay 60 days spread over dozens of days."""
    waved = _late_days(3)
    assert 1 <= np.unique(waved).size <= 3
    assert np.bincount(np.unique(waved, return_inverse=True)[1]).min() >= 40
    assert np.unique(_late_days(0)).size > 30
