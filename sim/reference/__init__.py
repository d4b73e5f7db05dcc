"""The reference model: commsim's rules written a second time, plainly, as Mesa agents.

Slow and readable: the model a reader learns from, one file per phase of the day (``model.py``
lists them in order). It shares the parameters (``sim.params``) with the engine and nothing else:
no code of ``sim.phases``, ``sim.levers``, ``sim.state``, ``sim.engine``, ``sim.rng`` or
``sim.outcomes``, and its own random numbers. ``tests/test_reference.py`` compares the two
statistically over many seeds (docs/reference.md).
"""

from sim.reference.model import ReferenceModel, run_reference

__all__ = ["ReferenceModel", "run_reference"]
