"""Write the made-up sample exports the README's examples use (run from the repository root).

    python examples/make_examples.py

Everything here is invented: the names are drawn from a short list of first names and the texts
say only "message N". Licence: CC0 (no rights reserved). The files are small (a WhatsApp chat
of a club and a Slack workspace with a #questions and a #general channel, about ten weeks each),
and their activity decays as a new group's does, so ``commsim measure`` and ``calibrate`` have
something to measure. The same seed gives the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea",
         "Mo", "Nia", "Oz", "Pia", "Quin", "Rui", "Sol", "Tao", "Uma", "Vic", "Wen", "Xia",
         "Yan", "Zoe"]


def daily_counts(rng: random.Random, days: int, start: float, half_life: float) -> list[int]:
    """Messages a day: a launch peak decaying with ``half_life`` days, with day-to-day noise."""
    return [max(0, round(start * 0.5 ** (d / half_life) * rng.uniform(0.4, 1.6)))
            for d in range(days)]


def whatsapp(rng: random.Random) -> None:
    members = NAMES[:18]
    start = dt.datetime(2024, 3, 4, 9, 0)
    lines = [f"{start:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. No one "
             "outside of this chat, not even WhatsApp, can read or listen to them.",
             f"{start:%d/%m/%Y, %H:%M} - Ana created group \"Club\""]
    weights = [1 / (i + 1) ** 1.2 for i in range(len(members))]  # a few talk most
    n = 0
    for day, count in enumerate(daily_counts(rng, 84, 30, 18)):
        times = sorted(rng.uniform(8, 23) for _ in range(count))
        for hour in times:
            n += 1
            when = start + dt.timedelta(days=day, hours=hour - 9)
            who = rng.choices(members, weights)[0]
            lines.append(f"{when:%d/%m/%Y, %H:%M} - {who}: message {n}")
        if day in (20, 41, 60):
            when = start + dt.timedelta(days=day, hours=14)
            lines.append(f"{when:%d/%m/%Y, %H:%M} - {rng.choice(members[8:])} left")
    (HERE / "WhatsApp Chat with Club.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def slack(rng: random.Random) -> None:
    root = HERE / "slack-export"
    users = [{"id": f"U{i:02d}", "name": n.lower(), "real_name": n, "is_bot": False}
             for i, n in enumerate(NAMES, 1)]
    start = dt.datetime(2024, 1, 8, tzinfo=dt.UTC)
    channels = []
    for c, (name, peak, half_life) in enumerate((("questions", 25, 20), ("general", 12, 30)), 1):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        members = [u["id"] for u in users]
        channels.append({"id": f"C{c:02d}", "name": name, "created": int(start.timestamp()),
                         "creator": "U01", "is_archived": False, "is_general": name == "general",
                         "members": members, "topic": {"value": ""}, "purpose": {"value": ""}})
        weights = [1 / (i + 1) ** 1.1 for i in range(len(members))]
        n = 0
        for day, count in enumerate(daily_counts(rng, 77, peak, half_life)):
            date = start + dt.timedelta(days=day)
            messages = []
            if day == 0:
                messages += [{"type": "message", "subtype": "channel_join", "user": u,
                              "ts": f"{date.timestamp() + i:.6f}",
                              "text": f"<@{u}> has joined the channel"}
                             for i, u in enumerate(members)]
            for second in sorted(rng.uniform(3600 * 8, 3600 * 23) for _ in range(count)):
                n += 1
                messages.append({"type": "message", "user": rng.choices(members, weights)[0],
                                 "ts": f"{date.timestamp() + second:.6f}",
                                 "text": f"message {n}"})
            if messages:
                (folder / f"{date:%Y-%m-%d}.json").write_text(json.dumps(messages),
                                                              encoding="utf-8")
    (root / "users.json").write_text(json.dumps(users, indent=1), encoding="utf-8")
    (root / "channels.json").write_text(json.dumps(channels, indent=1), encoding="utf-8")


if __name__ == "__main__":
    whatsapp(random.Random(13))
    slack(random.Random(17))
