"""commsim: an agent-based simulator of online community groups run by an operator.

The public API: ``CommunityModel`` and ``Member`` (the Mesa face of one run), ``run_batch`` (many
runs through the same engine at once), ``resolve`` (validated parameters). Names load on first use,
so importing ``sim`` has no side effects and does not import Mesa until it is needed.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("commsim")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

_EXPORTS = {
    "CommunityModel": "sim.model",
    "Member": "sim.agents",
    "run_batch": "sim.batch",
    "BatchResult": "sim.batch",
    "Params": "sim.params",
    "resolve": "sim.params",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
