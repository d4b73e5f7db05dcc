"""The commsim browser app: run with ``commsim viz`` (or ``solara run sim/viz/app.py``).

Mesa's SolaraViz gives the sidebar (Reset, play, Step, the levers as sliders) and lays out the
components: live charts of the day's messages and active members, of the ever-spoken share and
mean trust, a view of group 0's members and ties, and a card naming the lesson and parameters.
With ``COMMSIM_VIZ_LESSON=NAME`` in the environment the app opens on that lesson's intervention.
"""

from __future__ import annotations

import functools
import html

import mesa.visualization.solara_viz as mesa_viz
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim import labels
from sim.lessons.render import try_next_command
from sim.lessons.runner import get_lesson
from sim.viz.controls import CONTROL_KEYS, VizModel, initial_values, model_params, preset_from_env
from sim.viz.network import draw_group

LESSON, PRESET = preset_from_env()


def _value_always_shown(slider):
    """A solara slider that always shows its value on the thumb (Mesa's sidebar does not ask)."""
    @functools.wraps(slider)
    def shown(*args, **kwargs):
        kwargs.setdefault("thumb_label", "always")
        return slider(*args, **kwargs)
    return shown


# Mesa builds the sidebar from these names when the page renders: sliders that show their values,
# and a day counter instead of "Step" (one step of the model is one day)
solara.SliderInt = _value_always_shown(solara.SliderInt)
solara.SliderFloat = _value_always_shown(solara.SliderFloat)


@solara.component
def ShowDay(model):
    """The day the run has reached (Mesa's counter says 'Step')."""
    update_counter.get()
    return solara.Text(f"Day: {model.steps}")


mesa_viz.ShowSteps = ShowDay


def daily_chart(columns: dict[str, str], title: str, right: str | None = None):
    """A chart of daily outcomes by day, its lines named in words with units; shares in %, and
    ``right`` (a column of ``columns``) on an axis of its own at the right."""
    def Chart(model: VizModel):
        update_counter.get()
        frame = model.datacollector.get_model_vars_dataframe()
        fig = Figure(figsize=(5.6, 3.6), dpi=90)
        ax = fig.subplots()
        days = range(1, len(frame) + 1)
        lines, left_units = [], []
        for column, colour in columns.items():
            axis = ax.twinx() if column == right else ax
            lab = labels.label(column)
            lines += axis.plot(days, frame[column] * (100 if lab.share else 1), color=colour,
                               label=lab.heading())
            if lab.share or lab.unit == "0 to 1":  # the whole scale, not the noise magnified
                axis.set_ylim(0, 100 if lab.share else 1)
            if column == right:
                axis.set_ylabel(lab.unit, color=colour)
            elif lab.unit not in left_units:
                left_units.append(lab.unit)
        ax.set_ylabel(" / ".join(left_units))
        ax.set_xlabel("day since launch")
        ax.set_title(title, fontsize=10)
        ax.legend(handles=lines, loc="best", fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        return solara.FigureMatplotlib(fig, format="png", bbox_inches="tight")
    Chart.__name__ = f"Chart_{'_'.join(columns)}"
    return Chart


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
    # one page only: Mesa's "Page 0" tab says nothing, so it is hidden
    return solara.Column(children=[
        solara.Style(".v-tabs { display: none; } .v-input__slider { margin-top: 30px; }"),
        solara.HTML(tag="div", unsafe_innerHTML="".join(parts),
                    attributes={"id": "commsim-about"})])


PARAMS = model_params(PRESET)
model = VizModel(**initial_values(PARAMS))
page = SolaraViz(
    model,
    components=[
        daily_chart({"messages": "#1f77b4", "active_members": "#ff7f0e"},
                    "Activity each day"),
        daily_chart({"ever_spoken_share": "#2ca02c", "mean_trust": "#9467bd"},
                    "Who has spoken, and trust", right="mean_trust"),
        GroupNetwork,
        About,
    ],
    model_params=PARAMS,
    name="commsim: a chat group, day by day" + (f" ({LESSON})" if LESSON else ""),
)
