"""The operator's levers, one file each; ``LEVERS`` is the order in which they plan the day."""

from sim.levers.base import Lever
from sim.levers.channel import Channel
from sim.levers.checkin import Checkin
from sim.levers.commercial import Commercial
from sim.levers.content import Content
from sim.levers.endorsement import Endorsement
from sim.levers.events import Events
from sim.levers.group_mute import GroupMute
from sim.levers.leaders import Leaders
from sim.levers.moderation import Moderation
from sim.levers.owner import Owner
from sim.levers.plan import DayPlan
from sim.levers.private_domain import PrivateDomain
from sim.levers.recruitment import Recruitment
from sim.levers.red_packets import RedPackets
from sim.levers.referral import Referral
from sim.levers.rival import Rival
from sim.levers.shills import Shills
from sim.levers.size_cap import SizeCap
from sim.levers.threshold import Threshold

LEVERS: tuple[Lever, ...] = (Threshold(), Recruitment(), Referral(), SizeCap(), Shills(),
                             Content(), Checkin(), Commercial(), Moderation(), Owner(),
                             RedPackets(), Events(), Leaders(), GroupMute(),
                             Channel(), Endorsement(), PrivateDomain(), Rival())

__all__ = ["LEVERS", "DayPlan", "Lever"]
