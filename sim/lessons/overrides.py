"""Turning a learner's ``--set key=value`` into a typed parameter override, or a clear error.

Parameters are strict (an ``int`` field refuses ``3.0``), and the command line gives strings, so
values are converted by the field's type here; ranges are then checked by ``sim.params.resolve``.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Iterable
from typing import Any

from sim.errors import UserError, closest
from sim.params import PARAM_NAMES, Params

_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def _number(key: str, value: Any, source: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise UserError(f"{source}: parameter '{key}' = {value!r} is not a number") from None


def coerce(key: str, value: Any, source: str = "--set") -> Any:
    """``value`` converted to the type of parameter ``key``.

    Args:
        key: a parameter name of :class:`sim.params.Params`.
        value: a string from the command line or an already typed value.
        source: named in error messages.

    Raises:
        UserError: an unknown key (with the closest known one) or a value of the wrong kind.
    """
    if key not in Params.model_fields:
        raise UserError(f"{source}: unknown parameter '{key}'{closest(key, PARAM_NAMES)}")
    kind = Params.model_fields[key].annotation
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise UserError(f"{source}: parameter '{key}' = {value!r} is not allowed: expected "
                        "true or false")
    if kind is int:
        number = _number(key, value, source)
        if not number.is_integer():
            raise UserError(f"{source}: parameter '{key}' = {value!r} is not allowed: expected "
                            "a whole number")
        return int(number)
    if kind is float:
        number = _number(key, value, source)
        if math.isnan(number):
            raise UserError(f"{source}: parameter '{key}' = {value!r} is not a number")
        return number
    choices = typing.get_args(kind)
    if str(value) not in choices:
        raise UserError(f"{source}: parameter '{key}' = {value!r} is not allowed: expected one "
                        "of " + ", ".join(repr(c) for c in choices))
    return str(value)


def parse_assignments(items: Iterable[str], source: str = "--set") -> dict[str, Any]:
    """``["shills=2", "checkin=true"]`` as ``{"shills": 2, "checkin": True}``.

    Raises:
        UserError: an item without ``=``, an unknown key or a value of the wrong kind.
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"{source}: '{item}' is not of the form key=value "
                            "(e.g. --set shills=2)")
        out[key.strip()] = coerce(key.strip(), value.strip(), source)
    return out


def coerce_all(overrides: dict[str, Any] | None, source: str = "--set") -> dict[str, Any]:
    """Every value of ``overrides`` converted by :func:`coerce`."""
    return {k: coerce(k, v, source) for k, v in (overrides or {}).items()}
