"""The facts battery: one definition of how chat groups live and die, for real logs and runs.

:mod:`sim.facts.sources` reads a source (an imported event log with each group's observation
window, or a results folder recorded with ``--record members,groups``) into one form;
:mod:`sim.facts.battery` measures the facts; :mod:`sim.facts.commands` is ``commsim facts``;
:mod:`sim.validation` writes docs/validation.md from them.
"""
