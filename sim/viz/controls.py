"""The browser app's levers (sliders and switches), its lesson presets and its model class.

Kept apart from ``app.py`` so that the parts that do not need a browser can be tested directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.lessons.overrides import coerce
from sim.model import CommunityModel
from sim.params import info

LESSON_ENV = "COMMSIM_VIZ_LESSON"  # `commsim viz --lesson NAME` passes the lesson this way
MAX_DAYS = 365  # the app's runs stop after a year


@dataclass(frozen=True)
class Control:
    """One lever in the sidebar: a parameter, its label and its range."""

    key: str
    label: str
    kind: str  # "int", "float" or "switch"
    lo: float = 0
    hi: float = 1
    step: float = 1


CONTROLS: tuple[Control, ...] = (
    Control("group_size", "group size (invited)", "int", 20, 500, 10),
    Control("entry_fee", "entry fee, yuan (门槛)", "float", 0, 300, 1),
    Control("shills", "shills (马甲)", "int", 0, 8, 1),
    Control("content_every", "content every N days", "int", 0, 14, 1),
    Control("commercial_every", "selling every N days", "int", 0, 14, 1),
    Control("moderation", "moderation (kick chance)", "float", 0, 1, 0.05),
    Control("owner_answer_share", "owner answers (share)", "float", 0, 1, 0.05),
    Control("owner_mentions", "owner @-mentions a day", "float", 0, 10, 1),
    Control("checkin", "daily check-in (打卡)", "switch"),
)
CONTROL_KEYS = tuple(c.key for c in CONTROLS)


def preset_from_env(environ: Mapping[str, str] | None = None) -> tuple[str | None, dict[str, Any]]:
    """The lesson named in :data:`LESSON_ENV` and its treatment arm's parameters.

    Raises:
        UserError: the variable names no lesson.
    """
    from sim.lessons.runner import get_lesson

    name = (os.environ if environ is None else environ).get(LESSON_ENV, "").strip()
    if not name:
        return None, {}
    return name, get_lesson(name).preset()


def model_params(preset: Mapping[str, Any] | None = None, seed: int = 0) -> dict[str, Any]:
    """SolaraViz ``model_params``: a slider or switch per lever, starting at the preset's value
    (else the default); preset keys without a control are passed as fixed values."""
    preset = dict(preset or {})
    out: dict[str, Any] = {"seed": {"type": "SliderInt", "label": "seed", "value": seed,
                                    "min": 0, "max": 99, "step": 1}}
    for c in CONTROLS:
        value = preset.pop(c.key, info(c.key)["default"])
        if c.kind == "switch":
            out[c.key] = {"type": "Checkbox", "label": c.label, "value": bool(value)}
        else:
            out[c.key] = {"type": "SliderInt" if c.kind == "int" else "SliderFloat",
                          "label": c.label, "value": value, "min": c.lo, "max": c.hi,
                          "step": c.step}
    out.update(preset)  # fixed: parameters the lesson sets that have no slider
    return out


def initial_values(params: Mapping[str, Any]) -> dict[str, Any]:
    """The values ``model_params`` starts the model with."""
    return {k: (v["value"] if isinstance(v, dict) and "type" in v else v)
            for k, v in params.items()}


class VizModel(CommunityModel):
    """The model as the app builds it: values from sliders converted to the parameters' types.

    Args:
        seed: the run's seed.
        **kwargs: parameter values (sliders give floats for whole numbers and vice versa).
    """

    def __init__(self, seed: int = 0, **kwargs: Any) -> None:
        params = {k: coerce(k, v, source="viz") for k, v in kwargs.items()}
        super().__init__(seed=int(seed), days=MAX_DAYS, **params)
        self.run_seed = int(seed)
        self.positions: dict[int, tuple[float, float]] = {}  # stable network layout
