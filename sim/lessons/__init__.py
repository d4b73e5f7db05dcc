"""Runnable lessons of community operations: a principle, the experiment that tests it in the
model, the finding with intervals, and a verdict computed from the numbers.

``LESSONS`` maps a name to its :class:`~sim.lessons.core.Lesson`, in the order of the principles;
``run_lesson`` runs one; ``render_text`` and ``write_html`` show the result.
"""

from sim.lessons import (
    budget,
    campaign,
    channel,
    checkin_removal,
    commercial_cadence,
    content,
    endorsement,
    group_mute,
    group_size,
    know_members,
    know_trust_interact,
    moderation,
    own_groups,
    owner,
    playbook_limits,
    poaching,
    private_domain,
    profit,
    red_packets,
    referral,
    repeat_purchase,
    rituals,
    rivals,
    selling_tolerance,
    serve_first,
    shills,
    silence_law,
    similarity,
    survey_split,
    thresholds,
)
from sim.lessons.core import Estimate, Lesson, LessonResult, interval, verdict
from sim.lessons.render import render_text, to_html, write_html
from sim.lessons.runner import get_lesson, run_lesson

LESSONS: dict[str, Lesson] = {m.LESSON.name: m.LESSON for m in (
    silence_law, shills, owner, survey_split, content, thresholds, moderation, group_size,
    know_trust_interact, similarity, commercial_cadence, rituals, red_packets, referral,
    campaign, profit, playbook_limits, poaching, group_mute, checkin_removal, channel, endorsement,
    private_domain, know_members, rivals, own_groups,
    repeat_purchase, selling_tolerance, serve_first, budget,
)}

__all__ = ["LESSONS", "Estimate", "Lesson", "LessonResult", "get_lesson", "interval",
           "render_text", "run_lesson", "to_html", "verdict", "write_html"]
