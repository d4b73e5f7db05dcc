"""Decisions: the best lever plan within a budget (``commsim optimize``, :mod:`sim.decide.optimize`)
and the conditions under which plans fail (``commsim discover``, :mod:`sim.decide.discover`).

Both sit on the engine (``run_batch``) and the results store; the heavy libraries (Optuna,
ema-workbench) are imported only when a command runs.
"""
