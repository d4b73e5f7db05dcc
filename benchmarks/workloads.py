"""Parameter sets the benchmarks share: one run of an operator with every lever on."""

EVERY_LEVER = dict(
    shills=2, entry_fee=9.0, content_every=2, checkin=True, commercial_every=7,
    moderation=0.3, troublemaker_policy="private", owner_answer_share=0.6, owner_mentions=2.0,
    red_packet_every=10, event_every=20, leaders=2, size_cap=180, referral_rate=0.005,
    referral_end=60.0, recruit_per_day=1.0, overlap=0.2,
)


def every_lever(n_groups: int = 1, group_size: int = 200) -> dict:
    """Every lever switched on, for ``n_groups`` groups of ``group_size`` invitees."""
    return dict(EVERY_LEVER, n_groups=n_groups, group_size=group_size)
