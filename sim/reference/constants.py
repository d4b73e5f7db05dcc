"""Numbers the engine's rules use that are not (yet) parameters in ``sim/params.py``.

The reference model takes every parameter from :class:`sim.params.Params`. These few constants are
written inside the engine's code instead; each is restated here with the place where the engine
keeps it, so that a reader (and the lead, when they move into ``Params``) can match them up.
"""

GOLDEN = 0.6180339887498949  # group topic = id x golden ratio mod 1 (sim/population.py GOLDEN)
REFERRAL_PULL = 1.0  # a friend inside: p -> 1 - (1 - p)^(1 + pull) (sim/phases/joining.py)
EFFORT_COMMITMENT = 0.5  # commitment from a full-strength effort test (sim/phases/joining.py)
EXPERT_ANSWER = 0.4  # share of questions one expert shill answers (sim/levers/shills.py)
CLASS_FACTOR = {"A": 1.0, "B": 0.25, "C": 0.25, "D": 0.02}  # buying (sim/phases/payment.py)
WTP_NOT_ABLE = 0.15  # willingness to pay of people unable to pay, x (sim/population.py)
WTP_NOT_WILLING = 0.3  # ... and of people unwilling to pay, x (sim/population.py)
WTP_SPAMMER = 0.5  # yuan: spammers have nothing to lose (sim/population.py)
FRIEND_SAME_PLACE = 0.5  # chance a referred friend shares the sharer's city, and cohort
#                          (sim/phases/joining.py, _send_referrals)
MAX_ADS_FELT = 10  # ads a day that cost trust, at most (sim/phases/trust.py MAX_ADS_FELT)
MAX_TIES_TRUSTED = 5  # ties that add trust each day, at most (sim/phases/trust.py _feel)
QUARTER = 90  # days over which messages are counted for P4's split (sim/phases/posting.py)
