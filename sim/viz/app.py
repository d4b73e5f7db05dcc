"""The commsim browser app: run with ``commsim viz`` (or ``solara run sim/viz/app.py``).

Mesa's SolaraViz gives the sidebar (Reset, play, Step, the levers as sliders) and lays out the
components: live charts of the day's messages and active members, of the ever-spoken share and
mean trust, a view of group 0's members and ties, and a card naming the lesson and parameters.
With ``COMMSIM_VIZ_LESSON=NAME`` in the environment the app opens on that lesson's intervention.
"""

from __future__ import annotations

import html

import solara
from mesa.visualization import SolaraViz, make_plot_component

from sim.lessons.render import try_next_command
from sim.lessons.runner import get_lesson
from sim.viz.controls import CONTROL_KEYS, VizModel, initial_values, model_params, preset_from_env
from sim.viz.network import draw_group

LESSON, PRESET = preset_from_env()


def GroupNetwork(model: VizModel):
    """Group 0: speakers, lurkers and muted members, and the ties between them."""
    return solara.FigureMatplotlib(draw_group(model, 0), format="png", bbox_inches="tight")


def About(model: VizModel):
    """The lesson (if any), the day and the lever values the run was built with."""
    # plain HTML, not solara.Markdown: Markdown loads KaTeX from a CDN, which is not bundled
    p = model.resolved_params()
    esc = html.escape
    head = "baseline" if LESSON is None else f"lesson <b>{esc(LESSON)}</b> (intervention arm)"
    parts = [f"<p><b>Day {model.day}</b> &middot; seed {model.run_seed} &middot; {head}</p>"]
    if LESSON is not None:
        lesson = get_lesson(LESSON)
        parts.append(f"<p>{esc(lesson.principle)} {esc(lesson.title)}: {esc(lesson.claim)}</p>")
        parts.append(f"<p>Try next: <code>{esc(try_next_command(lesson))}</code></p>")
    levers = ", ".join(f"<code>{k}={esc(str(p[k]))}</code>" for k in CONTROL_KEYS)
    fixed = ", ".join(f"<code>{k}={esc(str(v))}</code>" for k, v in PRESET.items()
                      if k not in CONTROL_KEYS)
    parts.append(f"<p id='commsim-params'>Parameters: {levers}"
                 + (f"; fixed by the lesson: {fixed}" if fixed else "") + "</p>")
    parts.append("<p>Move a slider, then press <b>Reset</b> to rebuild the run with it.</p>")
    return solara.HTML(tag="div", unsafe_innerHTML="".join(parts),
                       attributes={"id": "commsim-about"})


PARAMS = model_params(PRESET)
model = VizModel(**initial_values(PARAMS))
page = SolaraViz(
    model,
    components=[
        make_plot_component({"messages": "#1f77b4", "active_members": "#ff7f0e"}),
        make_plot_component({"ever_spoken_share": "#2ca02c", "mean_trust": "#9467bd"}),
        GroupNetwork,
        About,
    ],
    model_params=PARAMS,
    name="commsim: a chat group, day by day" + (f" ({LESSON})" if LESSON else ""),
)
