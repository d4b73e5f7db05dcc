"""Reading a results folder back: effects against a baseline with bootstrap intervals, sensitivity
indices, figures and a self-contained HTML report.

    results.py      open a results folder (complete, or the finished chunks of an unfinished one)
    compare.py      paired (common random numbers) differences with bootstrap intervals
    sensitivity.py  SALib designs for ``method = "sobol" | "morris"`` and their indices
    figures.py      plotly figures of time courses, participation, effects and costs
    sweeps.py       plotly figures of swept parameters and sensitivity indices
    html.py         the report page and PNG export
    commands.py     ``commsim compare``, ``commsim report`` and ``commsim sensitivity``
"""
