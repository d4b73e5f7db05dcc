"""The one exception type for mistakes a user can make (bad files, keys, values, paths).

The command line turns it into its message on stderr and exit code 2, with no traceback. Its text
names the file, the key, the value and what was expected, so it is complete without the traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


class UserError(Exception):
    """A mistake in the user's input, with a message written for the user."""

    exit_code = 2


def closest(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest known name, or '' when nothing is close."""
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class UserErrors(UserError):
    """Several mistakes found in one pass over a file; its message has one mistake a line."""

    def __init__(self, errors: Iterable[UserError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class Mistakes:
    """Collects the mistakes of independent checks, so that a file's mistakes are told at once.

    ``value = mistakes.get(check, *args, default=...)`` runs one check, keeps its UserError (or
    each of a UserErrors) and returns ``default`` instead; :meth:`raise_all` then raises the one
    mistake, or a :class:`UserErrors` of them all.
    """

    def __init__(self) -> None:
        self.errors: list[UserError] = []

    def add(self, err: UserError) -> None:
        for e in getattr(err, "errors", [err]):
            if str(e) not in (str(x) for x in self.errors):
                self.errors.append(e)

    def get(self, check: Callable[..., T], *args: Any, default: Any = None, **kwargs: Any) -> T:
        try:
            return check(*args, **kwargs)
        except UserError as err:
            self.add(err)
            return default

    def raise_all(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise UserErrors(self.errors)
