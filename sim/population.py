"""Who people are: traits drawn once from a person's key (so the same invitee has the same traits
in every scenario: common random numbers), and how similar two people are (P14)."""

from __future__ import annotations

import numpy as np

from sim.rng import Stream, box_muller, uniforms
from sim.state import ORDINARY, SPAMMER, TROUBLEMAKER, State

GOLDEN = 0.6180339887498949  # spreads group topics evenly around the topic circle


def group_topic(gid: np.ndarray) -> np.ndarray:
    """Topic of a group on the unit circle [0, 1), from its local id."""
    return (np.asarray(gid) * GOLDEN) % 1.0


def circular_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance on the unit topic circle, in [0, 0.5]."""
    d = np.abs(a - b) % 1.0
    return np.minimum(d, 1.0 - d)


def interest_fit(interest: np.ndarray, topic: np.ndarray, width: np.ndarray) -> np.ndarray:
    """How well a person's interest matches a group's topic, in (0, 1] (P14, P10's intent)."""
    return np.exp(-((circular_distance(interest, topic) / width) ** 2))


def draw_traits(state: State, run: np.ndarray, key: np.ndarray, topic: np.ndarray,
                city: np.ndarray, cohort: np.ndarray) -> dict[str, np.ndarray]:
    """Traits of new people, keyed by person.

    ``topic`` is where their interests centre (the inviting group's topic, or the referrer's
    interest); ``city``/``cohort`` are fixed values or -1 for a random draw (P14: friends resemble).
    """
    p = state.p
    second = Stream.second
    streams = (Stream.TRAIT_ACTIVITY, second(Stream.TRAIT_ACTIVITY), Stream.TRAIT_TYPE,
               Stream.TRAIT_ABLE, Stream.TRAIT_WILLING, Stream.TRAIT_WTP, second(Stream.TRAIT_WTP),
               Stream.TRAIT_CITY, Stream.TRAIT_COHORT, Stream.TRAIT_INTEREST,
               second(Stream.TRAIT_INTEREST), Stream.TRAIT_TRUST, second(Stream.TRAIT_TRUST))
    (act1, act2, t, able_u, willing_u, wtp1, wtp2, city_u, cohort_u, int1, int2, trust1,
     trust2) = uniforms(state.run_keys, run, key, streams, -1)  # one compiled pass for all
    activity = p.activity_median[run] * np.exp(p.activity_sigma[run] * box_muller(act1, act2))
    share_spam, share_trouble = p.share_spammers[run], p.share_troublemakers[run]
    ptype = np.where(t < share_spam, SPAMMER,
                     np.where(t < share_spam + share_trouble, TROUBLEMAKER, ORDINARY))
    able = able_u < p.share_able[run]
    willing = willing_u < p.share_willing[run]
    # willingness to pay: lognormal around the median, far lower for the unable or unwilling (P10)
    wtp = p.wtp_median[run] * np.exp(box_muller(wtp1, wtp2)) * \
        np.where(able, 1.0, p.wtp_unable[run]) * np.where(willing, 1.0, p.wtp_unwilling[run])
    wtp = np.where(ptype == SPAMMER, p.wtp_spammer[run], wtp)  # nothing to lose (P7)
    n_cities, n_cohorts = p.n_cities[run], p.n_cohorts[run]
    city = np.where(city >= 0, city, np.floor(city_u * n_cities)).astype(np.int64)
    cohort = np.where(cohort >= 0, cohort, np.floor(cohort_u * n_cohorts)).astype(np.int64)
    interest = (topic + p.topic_spread[run] * box_muller(int1, int2)) % 1.0
    trust = np.clip(p.trust_init[run] + p.trust_init_sd[run] * box_muller(trust1, trust2),
                    0.0, 1.0)
    return {"activity": activity, "type": ptype.astype(np.int8), "able": able,
            "willing": willing, "wtp": wtp, "city": city, "cohort": cohort,
            "interest": interest, "trust": trust}


def similarity(state: State, person_a: np.ndarray, person_b: np.ndarray) -> np.ndarray:
    """Similarity of two people in [0, 1]: same place, same age cohort, close interests (P14)."""
    pe = state.people
    # as integers: numpy adds two boolean arrays as a logical "or", which would count a pair
    # that shares both place and cohort as sharing one
    same = (pe.city[person_a] == pe.city[person_b]).astype(np.int64) + \
        (pe.cohort[person_a] == pe.cohort[person_b]).astype(np.int64)
    close = 1.0 - 2.0 * circular_distance(pe.interest[person_a], pe.interest[person_b])
    return (same + close) / 3.0
