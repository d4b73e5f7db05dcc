"""The one exception type for mistakes a user can make (bad files, keys, values, paths).

The command line turns it into its message on stderr and exit code 2, with no traceback. Its text
names the file, the key, the value and what was expected, so it is complete without the traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class UserError(Exception):
    """A mistake in the user's input, with a message written for the user."""

    exit_code = 2


def closest(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest known name, or '' when nothing is close."""
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
