"""Calibration: fit a scenario's parameters to real chat groups measured by :mod:`sim.measure`.

The pieces, each in its own file:

* :mod:`sim.calibration.space`: which parameters are fitted and over which ranges.
* :mod:`sim.calibration.targets`: what is compared (the weekly activity curve normalised by its
  peak, the ever-spoken share, the concentration of messages, messages per member), measured the
  same way in the data and in simulated runs, and the loss between them.
* :mod:`sim.calibration.evaluate`: each group's setting from the data (window, invitations,
  inflow) and the simulation of many points at once.
* :mod:`sim.calibration.fit`: the search (Optuna's TPE sampler, seeded, several restarts) over
  batches of simulated runs with common random numbers, and the identifiability checks.
* :mod:`sim.calibration.output`: the calibrated scenario file (written atomically).
* :mod:`sim.calibration.report`: the text summary and the HTML reports (fit and measure).
* :mod:`sim.calibration.synthetic`: simulated runs turned into event tables, so that a known
  answer can be measured through the same code path as real data.
* :mod:`sim.calibration.commands`: the ``import``, ``measure`` and ``calibrate`` commands.

Nothing heavy is imported here: ``commsim --help`` stays fast and Optuna is only needed when a
calibration runs.
"""
