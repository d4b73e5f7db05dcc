"""Every parameter of the model in one place, with its unit, its allowed range and its source.

Names are flat (``shills``, ``entry_fee``) so that each one is a keyword of ``CommunityModel`` and
of ``mesa.batch_run``, a key in a scenario file and a ``--set key=value`` on the command line.
Sections
only group them for reading. Sources: a P-number of ``shared/domain.md`` (the source articles), a
study (see docs/ODD.md, references), or "assumption" (a modelling choice to be tested or
calibrated).

A lever is off when its main value is 0 (``shills = 0``, ``content_every = 0``) and acts only inside
its window ``[<lever>_start, <lever>_end)`` in days; ``inf`` means no end.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import UserError, UserErrors, closest

INF = math.inf


def P(default: Any, unit: str, lo: float | None, hi: float | None, source: str, doc: str,
      section: str) -> Any:
    """A parameter field: default, unit, inclusive range [lo, hi], source and one line of doc."""
    return Field(default, ge=lo, le=hi, description=doc,
                 json_schema_extra={"unit": unit, "source": source, "section": section,
                                    "lo": lo, "hi": hi})


def start(lever: str) -> Any:
    """The first day a lever acts."""
    return P(0.0, "day", 0, None, "assumption", f"first day the {lever} lever acts", lever)


def end(lever: str) -> Any:
    """The day a lever stops acting (exclusive); inf = never."""
    return P(INF, "day", 0, None, "assumption", f"day the {lever} lever stops (inf = never)", lever)


class Params(BaseModel):
    """The fully resolved parameters of one run. Build it with :func:`resolve`."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)

    # -- operator and groups ------------------------------------------------------------------
    n_groups: int = P(1, "groups", 1, 2000, "P19 (10 groups in the campaign)",
                      "groups the operator launches", "groups")
    group_size: int = P(200, "people", 1, 5000, "P12 (150-200 best), P19 (200+)",
                        "people invited into each group at launch; the threshold decides who joins",
                        "groups")
    members_target: int = P(0, "members", 0, 100_000,
                            "assumption; computed from the joining rule (sim/invitations.py)",
                            "members wanted in each group (0 = off): sets group_size to the "
                            "invitations that many joiners need", "groups")
    launch_interval: int = P(0, "days", 0, 365, "assumption",
                             "days between the launches of successive groups", "groups")
    platform_cap: int = P(500, "members", 2, 100_000, "P12 (WeChat and QQ cap groups at 500)",
                          "most members a group can hold", "groups")
    overlap: float = P(0.1, "share", 0, 1, "P12 (people sit in 4-6 groups); assumption",
                       "share of invitations to a group that go to people invited to another of "
                       "the operator's groups", "groups")
    join_delay: float = P(3.466, "days", 0, 60, "assumption; P19 (groups fill over days)"
                                 "; searched on half A of docs/validation.md",
                          "mean days before an invitee answers an invitation", "groups")
    late_share: float = P(0.677, "share", 0, 1,
                          "Kraut & Resnick 2012 (a founding core, then newcomers over months); "
                          "assumption; searched on half A of docs/validation.md",
                          "share of launch invitees who arrive late (after late_delay days on "
                          "average) instead of in the first days", "groups")
    late_delay: float = P(153.416, "days", 0, 3650, "assumption; Gitter rooms keep gaining posters"
                                   "; searched on half A of docs/validation.md",
                          "mean days before a late launch invitee answers", "groups")
    late_waves: int = P(2, "waves", 0, 1000,
                        "docs/validation.md (real rooms peak late and fall within a week: "
                        "newcomers come in bursts); assumption"
                        "; searched on half A of docs/validation.md",
                        "late arrivals come in this many waves, each on one day of mean "
                        "late_delay drawn per group (0 = each on their own day)", "groups")
    straggle_share: float = P(0.116, "share", 0, 1,
                              "assumption; real rooms still gain a poster now and then after "
                              "months (docs/validation.md); off by default, see docs/teaching.md"
                              "; searched on half A of docs/validation.md",
                              "share of launch invitees who find the group only months later "
                              "(after straggle_delay days on average), whatever its vitality",
                              "groups")
    straggle_delay: float = P(278.166, "days", 0, 3650, "assumption"
                                       "; searched on half A of docs/validation.md",
                              "mean days before a straggler answers", "groups")
    straggle_fate: float = P(1.803, "power", 0, 4,
                             "assumption; a lively room keeps being found, a dead one is "
                             "forgotten (docs/validation.md: some real rooms never hear again)"
                             "; searched on half A of docs/validation.md",
                             "how much a group's vitality v sets its stragglers: the odds that a "
                             "launch invitee straggles are scaled by v to this power (0 = "
                             "whatever the group's fate)", "groups")
    accept_base: float = P(0.85, "probability", 0, 1, "assumption",
                           "chance that a well-matched invitee joins a free group", "groups")
    topic_spread: float = P(0.12, "topic distance", 0.0, 1.0, "assumption",
                            "spread of invitees' interests around the group's topic", "groups")
    fit_width: float = P(0.2, "topic distance", 0.01, 1.0, "assumption; P14",
                         "topic distance at which interest fit falls to 1/e", "groups")

    # -- members --------------------------------------------------------------------------------
    activity_median: float = P(0.087, "posts/day", 0, 10,
                               "assumption; heavy tail per Wilkinson 2008 and P4"
                               "; searched on half A of docs/validation.md",
                               "median base posting intensity of a member", "members")
    activity_sigma: float = P(2.232, "log units", 0, 4, "assumption; P4 (70-80/10-20/5-10 split)"
                                     "; searched on half A of docs/validation.md",
                              "spread (lognormal sigma) of base posting intensity", "members")
    burst_mean: float = P(3.738, "messages", 0, 20, "assumption"
                                 "; searched on half A of docs/validation.md",
                          "mean extra messages on a day a member posts", "members")
    burst_half: float = P(0.121, "posts/day", 0, 100,
                          "assumption; messages per day follow the posting intensity "
                          "(Wilkinson 2008: the prolific post more often and more each time)"
                          "; searched on half A of docs/validation.md",
                          "posting intensity at which a member's extra messages on a posting "
                          "day reach half of burst_mean (0 = every poster's burst has mean "
                          "burst_mean)", "members")
    share_spammers: float = P(0.04, "share", 0, 1, "P7, P8",
                              "share of invitees who are spammers", "members")
    share_troublemakers: float = P(0.03, "share", 0, 1, "P9",
                                   "share of invitees who are troublemakers (刺头)", "members")
    share_able: float = P(0.4, "share", 0, 1, "P10 (ABCD classes)",
                          "share of people able to pay", "members")
    share_willing: float = P(0.35, "share", 0, 1, "P10 (ABCD classes)",
                             "share of people willing to pay", "members")
    wtp_median: float = P(150.0, "yuan", 0, 100_000, "P7, P20 (fees of 99-299 yuan); assumption",
                          "median willingness to pay of an able and willing person", "members")
    wtp_unable: float = P(0.15, "multiplier", 0, 1, "P10 (ABCD classes); assumption",
                          "willingness to pay of a person unable to pay, relative to an able one",
                          "members")
    wtp_unwilling: float = P(0.3, "multiplier", 0, 1, "P10 (ABCD classes); assumption",
                             "willingness to pay of a person unwilling to pay, relative to a "
                             "willing one", "members")
    wtp_spammer: float = P(0.5, "yuan", 0, 100_000, "P7 (spammers have nothing to lose)",
                           "willingness to pay of a spammer: a small fee keeps most out", "members")
    n_cities: int = P(10, "cities", 1, 10_000, "P14 (nearby people bond)",
                      "distinct places members live in", "members")
    n_cohorts: int = P(4, "cohorts", 1, 100, "P14 (similar age bonds)",
                       "distinct age cohorts", "members")

    # -- posting, replies, attention -------------------------------------------------------------
    social_gain: float = P(0.861, "multiplier", 0, 20, "P2 (activity radiation); Muchnik 2013"
                                  "; searched on half A of docs/validation.md",
                           "most extra posting that a lively group can stimulate", "posting")
    social_half: float = P(0.256, "messages/member/day", 1e-6, 100, "assumption"
                                  "; searched on half A of docs/validation.md",
                           "group activity at which stimulation is half its maximum", "posting")
    crowding_size: float = P(43.907, "members", 1, 100_000,
                             "P12 (big groups are loose and silent; best 150-200)"
                             "; searched on half A of docs/validation.md",
                             "group size at which crowding halves each member's posting",
                             "posting")
    radiation_base: float = P(0.3, "share", 0, 1, "P2 (owner -> core -> active -> lurkers)",
                              "share of stimulation that reaches a member with no ties who never "
                              "spoke", "posting")
    radiation_ties: float = P(3.0, "ties", 0.1, 1000, "P2, P13",
                              "ties (or spoken days) at which stimulation reaches a member fully",
                              "posting")
    question_share: float = P(0.3, "share", 0, 1, "P3, P21; assumption",
                              "share of posting members whose post asks a question", "posting")
    member_answer_rate: float = P(0.08, "1/poster", 0, 10, "assumption",
                                  "chance per other poster of the day that a question is answered",
                                  "posting")
    seen_boost: float = P(0.27, "multiplier", 0, 10,
                          "Joyce & Kraut 2006 (56% vs 44% return after a reply); P21",
                          "extra posting of a member who was answered or @-mentioned", "posting")
    seen_days: int = P(7, "days", 0, 365, "assumption", "how long feeling seen lasts", "posting")
    vitality_sigma: float = P(1.346, "log units", 0, 4,
                              "Kraut & Resnick 2012 (most new groups fail, a few thrive); "
                              "Cunha 2019 (early activity predicts a group's fate)"
                              "; searched on half A of docs/validation.md",
                              "spread (lognormal sigma) of a group's vitality: a factor of median "
                              "1, drawn once per group, on every member's posting and on the odds "
                              "that a launch invitee arrives late", "posting")
    vitality_talk: float = P(0.402, "power", 0, 2,
                             "assumption; docs/validation.md (in real rooms, bigger rooms do "
                             "not have much chattier posters)"
                             "; searched on half A of docs/validation.md",
                             "how much a group's vitality v sets its members' posting: the rate "
                             "is multiplied by v to this power (1 = fully, 0 = not at all: the "
                             "group's fate then acts only on who arrives)", "posting")
    career_stop: float = P(0.279, "probability", 0, 1,
                           "Wilkinson 2008 (the chance to stop after k contributions ~ 1/k)"
                           "; searched on half A of docs/validation.md",
                           "chance that a member with k messages stops posting for good after a "
                           "day they posted is career_stop / k", "posting")
    mute_post_factor: float = P(0.2, "multiplier", 0, 1, "assumption",
                                "posting of a member who muted the group, relative to unmuted",
                                "posting")
    attention_decay: float = P(0.273, "1/day", 0, 1,
                               "Wu & Huberman 2007 (attention to novelty fades); P1"
                               "; searched on half A of docs/validation.md",
                               "daily loss of a member's attention to the group", "attention")
    talk_pull: float = P(0.303, "1/(messages/member)", 0, 1000,
                         "Crane & Sornette 2008, Zhao 2015 (self-exciting bursts of activity)"
                         "; searched on half A of docs/validation.md",
                         "share of lost attention regained per message per member posted in the "
                         "group that day (talk pulls readers back)", "attention")
    interest_days: float = P(41.36, "days", 0, 100_000,
                             "Wu & Huberman 2007 (interest in something new fades with its age); "
                             "docs/validation.md (real rooms talk in short sparks, not a busy "
                             "core); searched on half A of docs/validation.md",
                             "days after joining at which talk can pull a member's attention back "
                             "only halfway: the ceiling is 1 / (1 + days in the group / "
                             "interest_days); 0 = no ceiling", "attention")
    attention_floor: float = P(0.0, "attention", 0, 1, "assumption",
                               "attention a perfectly matched member keeps for good", "attention")
    spam_rate: float = P(0.2, "messages/day", 0, 100, "P7, P8",
                         "ads a spammer posts a day", "posting")
    fight_rate: float = P(0.01, "1/day", 0, 1, "P9",
                          "chance a day that a troublemaker starts a public argument", "posting")

    # -- ties and trust --------------------------------------------------------------------------
    tie_rate: float = P(0.3, "probability", 0, 1, "P13, P14; Backstrom 2006",
                        "chance that two members who interact form a tie, at full similarity",
                        "ties")
    trust_init: float = P(0.5, "trust", 0, 1, "assumption", "mean initial trust", "trust")
    trust_init_sd: float = P(0.15, "trust", 0, 1, "assumption", "spread of initial trust", "trust")
    trust_answered: float = P(0.05, "trust", 0, 1, "P3; Joyce & Kraut 2006",
                              "trust gained when one's question is answered", "trust")
    trust_unanswered: float = P(0.03, "trust", 0, 1, "P3",
                                "trust lost when one's question goes unanswered", "trust")
    trust_mention: float = P(0.03, "trust", 0, 1, "P21", "trust gained by an @-mention", "trust")
    trust_tie: float = P(0.0005, "trust/tie/day", 0, 1, "P13 (knowing each other builds trust)",
                         "daily trust gained per tie, up to trust_tie_max ties", "trust")
    trust_tie_max: int = P(5, "ties", 0, 10_000, "P13; assumption",
                           "most ties that count toward the daily trust gain from ties", "trust")
    ads_felt_max: int = P(10, "ads/day", 0, 10_000, "P8; assumption",
                          "most ads a day that cost a member trust (more go unread)", "trust")
    trust_spam: float = P(0.002, "trust/ad", 0, 1, "P8", "trust lost per ad seen", "trust")
    trust_fight: float = P(0.03, "trust", 0, 1, "P9 (a public fight damages the brand)",
                           "trust lost by everyone present at a public fight", "trust")
    trust_commercial: float = P(0.005, "trust", 0, 1, "P15",
                                "trust lost per commercial post that comes too soon", "trust")
    trust_shill_exposed: float = P(0.15, "trust", 0, 1, "P2 (risk of being found out)",
                                   "trust lost by every member when a shill is exposed", "trust")
    trust_event: float = P(0.1, "trust", 0, 1, "P16, P17",
                           "trust gained by attending an offline event", "trust")

    # -- muting and leaving ----------------------------------------------------------------------
    leave_base: float = P(0.001, "1/day", 0, 1, "assumption; Wilkinson 2008",
                          "daily chance a member who never spoke leaves", "leaving")
    leave_contrib_k: float = P(2.0, "messages", 0.01, 1000, "Wilkinson 2008 (quitting ~ 1/k)",
                               "messages after which the chance of leaving has halved", "leaving")
    leave_tenure_days: float = P(1.0, "days", 0.01, 10_000,
                                 "Kraut & Resnick 2012 (newcomers leave most); haskell-jp Slack "
                                 "log (leaving falls with tenure, docs/validation.md)",
                                 "days in the group after which the chance of leaving has halved "
                                 "(it falls as 1 / (1 + tenure / this))", "leaving")
    leave_distrust: float = P(4.0, "multiplier", 0, 100, "assumption",
                              "how strongly low trust raises leaving (exp(k * (0.5 - trust)))",
                              "leaving")
    mute_base: float = P(0.004, "1/day", 0, 1, "assumption",
                         "daily chance a member mutes the group", "leaving")
    mute_overload: float = P(0.02, "probability", 0, 1, "P15",
                             "extra chance to mute per commercial post that comes too soon",
                             "leaving")
    leave_overload: float = P(0.005, "probability", 0, 1, "P15",
                              "extra chance to leave per commercial post that comes too soon",
                              "leaving")

    # -- thresholds and commitment (P7) ----------------------------------------------------------
    entry_fee: float = P(0.0, "yuan", 0, 100_000, "P7 (1 vs 99 yuan), P20",
                         "fee to join (0 = free)", "threshold")
    effort_test: float = P(0.0, "strength", 0, 1, "P7 (obedience test)",
                           "strength of a task before entry (0 = none)", "threshold")
    fee_commitment_scale: float = P(30.0, "yuan", 0.01, 100_000, "P7; assumption",
                                    "fee that gives 63% of full commitment", "threshold")
    effort_commitment: float = P(0.5, "commitment", 0, 1, "P7 (obedience test); assumption",
                                 "commitment gained by passing an effort test of full strength",
                                 "threshold")
    commit_leave: float = P(0.7, "share", 0, 1, "P7 (paid groups are more stable)",
                            "cut in leaving and muting at full commitment", "threshold")
    commit_attention: float = P(0.8, "share", 0, 1, "P7 (members value what they paid for)",
                                "cut in attention decay at full commitment", "threshold")
    commit_talk: float = P(0.0, "share", -1, 1,
                           "open: Bapna 2018 (+2%), Zhang 2026 (negative)",
                           "change in posting at full commitment (sign is an open question)",
                           "threshold")
    threshold_start: float = start("threshold")
    threshold_end: float = end("threshold")

    # -- shills (马甲, P2) -------------------------------------------------------------------------
    shills: int = P(0, "accounts/group", 0, 50, "P2", "shill accounts per group (0 = none)",
                    "shills")
    shill_roles: Literal["newbie+expert", "newbie", "expert"] = P(
        "newbie+expert", "roles", None, None, "P2 (a newbie who asks, an expert who answers)",
        "what the shills do: ask, answer, or both", "shills")
    shill_rate: float = P(2.0, "messages/day", 0, 100, "P2; assumption",
                          "messages each shill posts a day", "shills")
    shill_resonance: float = P(0.01, "probability", 0, 1, "P2; Muchnik 2013 (early signals herd)",
                               "chance a planted question draws in a matched member", "shills")
    shill_exposure: float = P(0.002, "1/day", 0, 1, "P2 (risk of being found out)",
                              "daily chance each shill is exposed", "shills")
    shill_cost: float = P(20.0, "yuan/day", 0, 100_000,
                          "P6; seeds/000 reply 1 (月薪5k: 29 yuan an hour): 42 min",
                          "operator time per shill account a day", "shills")
    shill_expert_answer: float = P(0.4, "share", 0, 1, "P2; assumption",
                                   "share of questions one expert shill answers", "shills")
    shills_start: float = start("shills")
    shills_end: float = end("shills")

    # -- content cadence (P5, P15, P16) ----------------------------------------------------------
    content_every: int = P(0, "days", 0, 365, "P5", "days between knowledge posts (0 = none)",
                           "content")
    content_renewal: float = P(0.15, "share", 0, 1, "P5; assumption",
                               "share of lost attention a knowledge post restores (x fit)",
                               "content")
    content_cost: float = P(30.0, "yuan/post", 0, 100_000,
                            "P6; seeds/000 reply 1 (月薪5k: 29 yuan an hour): 63 min",
                            "cost of writing one knowledge post", "content")
    content_start: float = start("content")
    content_end: float = end("content")
    checkin: bool = P(False, "switch", None, None, "P5, P16 (daily check-in, Luoji Siwei 06:20)",
                      "a daily check-in ritual at a fixed time", "content")
    checkin_rate: float = P(0.1, "probability", 0, 1, "P16; assumption",
                            "chance an attentive, matched member checks in on a day", "content")
    checkin_habit: float = P(0.02, "attention", 0, 1, "P16 (rhythm builds habit)",
                             "attention floor gained per check-in", "content")
    checkin_habit_max: float = P(0.3, "attention", 0, 1, "P16; assumption",
                                 "most attention floor a check-in habit can build", "content")
    checkin_cost: float = P(10.0, "yuan/day", 0, 100_000,
                            "P6; seeds/000 reply 1 (月薪5k: 29 yuan an hour): 21 min",
                            "operator time to run the ritual a day", "content")
    checkin_start: float = start("checkin")
    checkin_end: float = end("checkin")
    checkin_kick_days: int = P(0, "days", 0, 365,
                               "P26; seeds/003 section 一.2 (每天写两百字并在群内打卡,"
                               "未打卡者将移出群聊: check in every day or be removed)",
                               "days without a check-in after which the operator removes a "
                               "member, counted on check-in days (0 = nobody is removed)",
                               "content")
    checkin_kick_comply: float = P(10.0, "multiplier", 1, 100,
                                   "P26; assumption (members told they will be removed check in "
                                   "more; 10 x checkin_rate 0.1 = every attentive, matched "
                                   "member checks in)",
                                   "how many times more often members check in while skipping "
                                   "means removal", "content")
    commercial_every: int = P(0, "days", 0, 365, "P15",
                              "days between commercial posts (0 = none)", "content")
    commercial_tolerance: int = P(7, "days", 0, 365, "P15 (never every day)",
                                  "commercial posts closer together than this annoy members",
                                  "content")
    commercial_serve_days: int = P(0, "days", 0, 365, "P23; seeds/001 section 3 (先服务后索取); "
                                   "assumption", "a commercial post in a group's first this many "
                                   "days annoys members whatever the cadence (0 = never)",
                                   "content")
    commercial_start: float = start("commercial")
    commercial_end: float = end("commercial")

    # -- moderation (P8, P9) ---------------------------------------------------------------------
    moderation: float = P(0.0, "1/day", 0, 1, "P8",
                          "daily chance that a spammer is removed (0 = no moderation)",
                          "moderation")
    troublemaker_policy: Literal["ignore", "private", "public"] = P(
        "ignore", "policy", None, None, "P9 (talk privately, kick only when out of control)",
        "how troublemakers are handled", "moderation")
    private_talk_effect: float = P(0.7, "share", 0, 1, "P9; assumption",
                                   "cut in arguments after a private talk", "moderation")
    moderation_cost: float = P(20.0, "yuan/day", 0, 100_000,
                               "P6; seeds/000 reply 1 (月薪5k: 29 yuan an hour): 42 min",
                               "moderator time a day per group", "moderation")
    moderation_start: float = start("moderation")
    moderation_end: float = end("moderation")

    # -- poaching: private friending and splinter groups (P24) ----------------------------------
    share_poachers: float = P(0.0, "share", 0, 1,
                              "P24; seeds/002 section 2 (我适不适合做社群运营: 群里有人"
                              "捣乱,比如发广告,私加好友,私拉小群)",
                              "share of invitees who privately add other members and pull them "
                              "into groups of their own (0 = none)", "poaching")
    poach_rate: float = P(1.0, "members/day", 0, 20,
                          "P24; assumption (at most the ~20 friend adds a WeChat account makes a "
                          "day, P18)", "members a poacher privately approaches a day", "poaching")
    poach_success: float = P(0.1, "probability", 0, 1, "P24; assumption",
                             "chance an approached member is pulled into the poacher's group",
                             "poaching")
    poach_leave: float = P(0.5, "share", 0, 1,
                           "P24; assumption (私拉小群: some move to the splinter group, the rest "
                           "stay but talk there instead)",
                           "share of pulled members who leave the group; the others stay and "
                           "mute it", "poaching")
    poach_visibility: float = P(0.5, "share", 0, 1,
                                "P24; seeds/002 section 2 (你就要及时处理); assumption (private "
                                "poaching is seen only when members report it)",
                                "a poacher is removed a day with chance moderation x this share",
                                "poaching")

    # -- group-wide mute (禁言, P25) --------------------------------------------------------------
    group_mute: float = P(0.0, "share of day", 0, 1,
                          "P25; seeds/002 section 2 (我适不适合做社群运营: 当你明确告知禁言"
                          "后,他们依旧我行我素的聊天)",
                          "share of each day the whole group is muted (禁言; 0 = never)",
                          "group_mute")
    group_mute_obey: float = P(0.8, "share", 0, 1,
                               "P25; seeds/002 section 2 (members keep chatting after a mute "
                               "is announced); assumption (1 = the platform's 全员禁言)",
                               "share of members' talk, ads and arguments in muted hours that "
                               "the mute stops", "group_mute")
    group_mute_cost: float = P(5.0, "yuan/day", 0, 100_000,
                               "P25, P6; seeds/002 section 2 (你就要出面维持秩序); assumption",
                               "operator time a day per group to announce a mute and keep it",
                               "group_mute")
    group_mute_start: float = start("group_mute")
    group_mute_end: float = end("group_mute")

    # -- owner persona and responsiveness (P3, P21) ----------------------------------------------
    owner_answer_share: float = P(0.1, "share", 0, 1, "P3",
                                  "share of questions the owner answers", "owner")
    owner_mentions: float = P(0.0, "mentions/day", 0, 1000, "P21",
                              "members the owner @-mentions a day per group", "owner")
    owner_humour: float = P(0.5, "0-1", 0, 1, "P3 (a stiff owner scares talk away)",
                            "owner's humour: scales social stimulation by 0.5 + humour", "owner")
    owner_depth: float = P(0.5, "0-1", 0, 1, "P3 (periodic discussion topics)",
                           "owner's depth: scales the effect of knowledge posts by 0.5 + depth",
                           "owner")
    owner_cost: float = P(0.0, "yuan/day", 0, 100_000,
                          "P6; seeds/000 reply 1 (月薪5k: 29 yuan an hour): 30 = 1 h",
                          "owner's time a day per group", "owner")
    owner_start: float = start("owner")
    owner_end: float = end("owner")

    # -- red packets and offline events (P16, P17) -----------------------------------------------
    red_packet_every: int = P(0, "days", 0, 365, "P17", "days between red packets (0 = none)",
                              "red_packets")
    red_packet_yuan: float = P(20.0, "yuan", 0, 100_000, "P17", "cash in one red packet",
                               "red_packets")
    red_packet_wake: float = P(0.3, "probability", 0, 1, "P17 (red packets wake sleepers)",
                               "chance a muted member unmutes on a red packet", "red_packets")
    red_packet_attention: float = P(0.3, "share", 0, 1, "P17",
                                    "share of lost attention a red packet restores",
                                    "red_packets")
    red_packets_start: float = start("red_packets")
    red_packets_end: float = end("red_packets")
    event_every: int = P(0, "days", 0, 365, "P16, P17", "days between offline events (0 = none)",
                         "events")
    event_attend: float = P(0.3, "probability", 0, 1, "P16; assumption",
                            "chance a trusting, matched member in the event's city attends",
                            "events")
    event_travel: float = P(0.3, "multiplier", 0, 1, "P14 (nearby people bond)",
                            "attendance of members from other cities, relative to locals", "events")
    event_tie_rate: float = P(0.8, "probability", 0, 1, "P16 (offline events strengthen bonds)",
                              "chance two attendees who meet form a tie, at full similarity",
                              "events")
    event_ties: float = P(2.0, "ties", 0, 50, "P16 (events strengthen bonds)",
                          "new ties each attendee forms", "events")
    event_cost: float = P(500.0, "yuan/event", 0, 1_000_000, "P6; assumption",
                          "cost of one offline event", "events")
    events_start: float = start("events")
    events_end: float = end("events")

    # -- leaders (P17) ---------------------------------------------------------------------------
    leaders: int = P(0, "members/group", 0, 50, "P17 (soul figures who give value)",
                     "members made leaders per group (0 = none)", "leaders")
    leader_boost: float = P(2.0, "multiplier", 1, 100, "P17; assumption",
                            "how much more a leader posts", "leaders")
    leader_answer: float = P(0.3, "share", 0, 1, "P17",
                             "share of questions each leader answers", "leaders")
    leader_cost: float = P(10.0, "yuan/day", 0, 100_000, "P6; assumption",
                           "perks per leader a day", "leaders")
    leaders_start: float = start("leaders")
    leaders_end: float = end("leaders")

    # -- size cap with splitting (P12) -----------------------------------------------------------
    size_cap: int = P(0, "members", 0, 100_000, "P12 (best 150-200, at most 350)",
                      "members at which a group is split in two (0 = never)", "size_cap")
    size_cap_start: float = start("size_cap")
    size_cap_end: float = end("size_cap")

    # -- referral campaigns and recruitment (P18, P20) -------------------------------------------
    referral_rate: float = P(0.0, "1/day", 0, 1, "P18",
                             "daily chance an attentive member shares the group (0 = none)",
                             "referral")
    referral_shares: float = P(2.2, "invites", 0, 100, "P18 (21k users sent 46k gifts: 2.2 each)",
                               "invitations per share", "referral")
    referral_reward: float = P(5.0, "yuan", 0, 100_000, "P18; assumption",
                               "gift per referred member who joins", "referral")
    referral_pull: float = P(1.0, "exponent", 0, 100, "Backstrom 2006 (a friend inside pulls); "
                             "assumption", "pull of the friend who referred an invitee: a "
                             "chance p to join becomes 1 - (1 - p)^(1 + pull)", "referral")
    referral_alike: float = P(0.5, "probability", 0, 1, "P14 (friends resemble); assumption",
                              "chance a referred friend shares the sharer's place (and, "
                              "separately, age cohort)", "referral")
    referral_start: float = start("referral")
    referral_end: float = end("referral")
    recruit_per_day: float = P(0.0, "invites/day", 0, 10_000, "P18, P19",
                               "strangers the operator invites into each group a day",
                               "recruitment")
    friend_adds: int = P(20, "people/day", 0, 10_000, "P18 (a WeChat account adds ~20 a day)",
                         "friend adds one operator account can make a day", "recruitment")
    recruit_cost: float = P(5.0, "yuan/person", 0, 100_000, "P20 (acquisition cost)",
                            "cost of inviting one stranger", "recruitment")
    recruitment_start: float = start("recruitment")
    recruitment_end: float = end("recruitment")

    # -- conversion and revenue (P20) ------------------------------------------------------------
    product_price: float = P(199.0, "yuan", 0, 1_000_000, "P20 (paid communities: 199-299)",
                             "price of the product sold by commercial posts", "payment")
    conversion_base: float = P(0.03, "probability", 0, 1, "P20; assumption",
                               "chance an attentive, trusting A-class member buys on a commercial "
                               "post", "payment")
    class_bc: float = P(0.25, "multiplier", 0, 1, "P10 (ABCD classes); assumption",
                        "buying chance of a B- or C-class member (willing or able, not both), "
                        "relative to A", "payment")
    class_d: float = P(0.02, "multiplier", 0, 1, "P10 (ABCD classes); assumption",
                       "buying chance of a D-class member (neither able nor willing), relative to "
                       "A", "payment")
    repurchase: float = P(0.0, "multiplier", 0, 10,
                          "P22; seeds/000 reply 4 (從相識,相知,信任,成交,口碑傳播,到裂變,復購; "
                          "將一次成交變成長期鎖定); assumption",
                          "buying chance of someone who bought before, relative to a first "
                          "purchase (0 = a person buys once)", "payment")
    repurchase_gap: int = P(30, "days", 1, 365, "P22; assumption (a product used up in about a "
                            "month)", "days after a purchase before the buyer can buy again",
                            "payment")

    # -- the recruitment channel (P29) and the owner's endorsement (P30) -------------------------
    channel_broad: float = P(0.0, "share", 0, 1,
                             "P29; seeds/002 军规二 (没有门槛...来的用户不精准), seeds/000 "
                             "(缺精准流量)", "share of the operator's recruits reached through a "
                             "broad channel: their interests lie anywhere on the topic circle "
                             "(0 = all come from the group's own audience)", "channel")
    channel_start: float = start("channel")
    channel_end: float = end("channel")
    endorsement_trust: float = P(0.0, "trust", 0, 1,
                                 "P30; seeds/002 军规四 section 2 (背书: 群主是某某大v)",
                                 "trust in the owner added to a newcomer's own while the owner "
                                 "is endorsed (0 = no endorsement)", "endorsement")
    endorsement_weight: float = P(2.0, "multiplier", 1, 10,
                                  "P30; seeds/002 军规四 section 2 (你会下意识的多看看他发的消息); "
                                  "assumption", "weight of an endorsed owner's answers: the trust "
                                  "in the owner an answer by the owner gives is multiplied by it",
                                  "endorsement")
    endorsement_cost: float = P(50.0, "yuan/day", 0, 100_000, "P6; assumption",
                                "price of the endorsement (a known name's backing) a day per group",
                                "endorsement")
    endorsement_start: float = start("endorsement")
    endorsement_end: float = end("endorsement")
    # -- the private domain and knowing every member (P11, P10) -----------------------------
    friend_share: float = P(0.0, "share", 0, 1,
                            "P11; seeds/002 军规七 (进群的人一定要沉淀到自己的私域流量: those who "
                            "join by the QR code alone partly never add the owner); assumption",
                            "share of joiners who add the operator as a friend while the lever is "
                            "on (0 = off: no friend list)", "private")
    reinvite_every: int = P(0, "days", 0, 365,
                            "P11; seeds/002 军规七 (等社群解散后,这批用户就流失了: without the "
                            "friend list those who leave are lost)",
                            "days between the operator's rounds of inviting friends who have no "
                            "seat in the newest group (0 = never)", "private")
    reinvite_accept: float = P(0.3, "probability", 0, 1, "P11; assumption",
                               "chance a re-invited friend joins at neutral trust in the owner "
                               "(0.5); it scales with that trust", "private")
    private_chats: int = P(0, "chats/day", 0, 1000,
                             "P11, P21; seeds/002 (处理私聊内容, 私聊话术: one-to-one chats are "
                             "part of the daily routine)",
                             "one-to-one chats the operator holds a day in each group, with "
                             "friends who are in it", "private")
    private_chat_cost: float = P(5.0, "yuan/chat", 0, 100_000,
                                 "P6; assumption (about 5 minutes of operator time at 60 yuan "
                                 "an hour)",
                                 "operator time for one one-to-one chat or re-invitation",
                                 "private")
    trust_private: float = P(0.03, "trust", 0, 1,
                             "P11, P21; assumption (as much as an @-mention)",
                             "trust in the group and in the owner gained by a one-to-one chat",
                             "private")
    private_target: Literal["all", "A", "B", "C", "D"] = P(
        "all", "class", None, None,
        "P10; seeds/002 军规六 (ABCD分类法: A able and willing to buy, B willing not able, C able "
        "not willing, D neither)",
        "which friends get the one-to-one chats: all, or one class only", "private")
    private_start: float = start("private")
    private_end: float = end("private")
    # -- a rival group competing for the same members (P27) --------------------------------------
    rival_reach: float = P(0.0, "1/day", 0, 1,
                           "P27; seeds/004 section 海量用户和收入从哪里来? (people are active in "
                           "4-6 groups, so groups compete); the rate is an assumption: no "
                           "article gives one",
                           "daily chance that an active member of the operator's groups is drawn "
                           "into a rival group (0 = no rival)", "rival")
    groups_active: int = P(5, "groups", 1, 50,
                           "P12, P27; seeds/004 section 海量用户和收入从哪里来? "
                           "(用户活跃在4-6个小群体中: people are active in 4-6 small groups)",
                           "groups a person is active in; one drawn into a rival must drop one "
                           "of them, or spread attention one group thinner", "rival")
    rival_drop_attention: float = P(1.0, "weight", 0, 1,
                                    "assumption: no article says which group people drop",
                                    "how much a member's attention decides whether the group is "
                                    "the one dropped for a rival: 1 = the chance is 2(1 - a)/(k + "
                                    "1), 0 = one of the k + 1 groups at random", "rival")
    rival_start: float = start("rival")
    rival_end: float = end("rival")
    own_groups_compete: bool = P(False, "switch", None, None,
                                 "P12, P27; seeds/004 section 海量用户和收入从哪里来? (people are "
                                 "active in 4-6 groups); off by default",
                                 "the operator's own groups compete like a rival: a member who "
                                 "joins another of them drops this one or attends it less",
                                 "rival")

    @model_validator(mode="before")
    @classmethod
    def _invitations_for_target(cls, data: Any) -> Any:
        """With ``members_target`` > 0, ``group_size`` becomes the invitations that give that many
        joiners in expectation (sim/invitations.py); a ``group_size`` given with it is replaced."""
        if not isinstance(data, dict) or not data.get("members_target"):
            return data
        target = data["members_target"]
        if not isinstance(target, int) or isinstance(target, bool) or target < 0:
            return data  # the field's own check reports it
        from sim.invitations import invitations_for

        rest = cls(**{**data, "members_target": 0, "group_size": 1})
        if target > rest.platform_cap:
            raise ValueError(f"members_target = {target} is more than a group can hold "
                             f"(platform_cap = {rest.platform_cap} members): ask for at most "
                             f"{rest.platform_cap}, or more groups with n_groups")
        size = invitations_for(target, rest)
        most = cls.model_fields["group_size"].metadata
        limit = next(m.le for m in most if hasattr(m, "le"))
        if size > limit:
            raise ValueError(f"members_target = {target} needs {size} invitations per group "
                             f"(about {target / size:.1%} of invitees join under this fee or "
                             f"test), more than group_size allows ({limit})")
        return {**data, "group_size": size}


PARAM_NAMES: tuple[str, ...] = tuple(Params.model_fields)
_MEASURED = {name for name, f in Params.model_fields.items() if f.annotation in (int, float)}


def info(name: str) -> dict[str, Any]:
    """Unit, range, source, section and doc of one parameter."""
    field = Params.model_fields[name]
    extra = dict(field.json_schema_extra or {})
    return {"name": name, "default": field.default, "doc": field.description, **extra}


def _expected(name: str) -> str:
    meta = info(name)
    field = Params.model_fields[name]
    if name not in _MEASURED:
        if field.annotation is bool:
            return "true or false"
        choices = getattr(field.annotation, "__args__", ())
        return "one of " + ", ".join(repr(c) for c in choices) if choices else str(field.annotation)
    kind = "a whole number" if field.annotation is int else "a number"
    lo, hi = meta["lo"], meta["hi"]
    span = f" from {lo:g} to {hi:g}" if hi is not None else f" of at least {lo:g}"
    return f"{kind}{span} ({meta['unit']})"


def toml_value(value: Any) -> str:
    """A value as a TOML file would spell it (true, "text", 3.5, inf), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def resolve(overrides: dict[str, Any] | None = None, source: str = "parameters") -> Params:
    """Defaults updated with ``overrides``, validated.

    Args:
        overrides: flat ``name: value`` pairs.
        source: where the overrides came from (a file name, "--set"), named in error messages.

    Raises:
        UserError: an unknown key (with the closest known one) or a value of the wrong type or
            out of range, naming the key, the value and what is allowed.
    """
    overrides = dict(overrides or {})
    mistakes = [UserError(f"{source}: unknown parameter '{key}'{closest(key, PARAM_NAMES)}; "
                          "'commsim show baseline' lists them all")
                for key in overrides if key not in Params.model_fields]
    known = {k: v for k, v in overrides.items() if k in Params.model_fields}
    try:
        params = Params(**known)
    except ValidationError as err:
        bad = dict.fromkeys(str(e["loc"][0]) for e in err.errors() if e["loc"])
        mistakes += [UserError(f"{source}: parameter '{key}' = {toml_value(overrides.get(key))} "
                               f"is not allowed: expected {_expected(key)}") for key in bad]
        if not bad:  # a check across parameters (members_target): its own words
            mistakes.append(UserError(
                f"{source}: {err.errors()[0]['msg'].removeprefix('Value error, ')}"))
    if len(mistakes) == 1:
        raise mistakes[0]
    if mistakes:
        raise UserErrors(mistakes)
    return params


def to_dict(params: Params) -> dict[str, Any]:
    """The flat ``name: value`` dict of a parameter set (floats stay floats, inf stays inf)."""
    return params.model_dump()


def markdown_table() -> str:
    """Every parameter as Markdown tables, one per section (docs/ODD.md embeds this)."""
    lines: list[str] = []
    section = None
    for name in PARAM_NAMES:
        meta = info(name)
        if meta["section"] != section:
            section = meta["section"]
            lines += ["", f"**{section}**", "",
                      "| parameter | default | unit | range | source | meaning |",
                      "|---|---|---|---|---|---|"]
        lo, hi = meta["lo"], meta["hi"]
        if lo is None:
            span = _expected(name)
        else:
            span = f"{lo:g} to {hi:g}" if hi is not None else f"at least {lo:g}"
        lines.append(f"| `{name}` | {meta['default']!r} | {meta['unit']} | {span} | "
                     f"{meta['source']} | {meta['doc']} |")
    return "\n".join(lines[1:]) + "\n"


if __name__ == "__main__":  # python -m sim.params: print the tables for docs/ODD.md
    print(markdown_table(), end="")
