"""The engine's shortcuts give what the plain way gives: each distinct parameter set is validated
and read once; sorted look-up tables grow by a compiled merge; tables append and compact rows."""

from __future__ import annotations

import numpy as np
import pytest

from sim.batch import _resolve_all
from sim.errors import UserError
from sim.params import Params, resolve
from sim.state import _CATEGORICAL, RunParams, Table, insert_sorted


def test_a_repeated_set_is_validated_once_and_a_differently_typed_value_is_not_confused():
    same = {"entry_fee": 9.0, "checkin": True}
    out = _resolve_all([same, dict(same), same, {"entry_fee": 5.0}])
    assert out[0] is out[1] is out[2] and out[3].entry_fee == 5.0
    # 1 == True in Python, but the strict check refuses 1 for a switch: it must still be asked
    with pytest.raises(UserError, match="checkin"):
        _resolve_all([{"checkin": True}, {"checkin": 1}])


def test_parameter_columns_equal_those_read_run_by_run():
    a, b = resolve({"shills": 2, "troublemaker_policy": "public"}), resolve({"entry_fee": 3.0})
    params = [a, b, a, a, resolve({"shills": 2, "troublemaker_policy": "public"})]
    cols = RunParams(params)
    for name in Params.model_fields:
        values = [getattr(p, name) for p in params]
        if name in _CATEGORICAL:
            values = [_CATEGORICAL[name].index(v) for v in values]
        expected = np.asarray(values)
        got = getattr(cols, name).all
        assert got.dtype == expected.dtype and np.array_equal(got, expected), name


def test_the_compiled_insert_equals_numpys_insert():
    """Equal positions keep the given order, positions at both ends, empty arrays; positions out
    of order go to numpy itself."""
    rng = np.random.default_rng(5)
    for n, k in ((0, 0), (0, 5), (7, 0), (50, 30), (1000, 1000)):
        arr = np.sort(rng.integers(0, 100, n)).astype(np.int64)
        values = np.sort(rng.integers(-5, 110, k)).astype(np.int64)
        pos = np.searchsorted(arr, values)
        assert np.array_equal(insert_sorted(arr, pos, values), np.insert(arr, pos, values))
        rows = rng.integers(0, 10**6, k)  # the same positions, other values (the person rows)
        assert np.array_equal(insert_sorted(arr, pos, rows), np.insert(arr, pos, rows))
    keys = np.array([10, 50], dtype=np.uint64)
    mixed = np.array([2, 0, 1])
    assert np.array_equal(insert_sorted(keys, mixed, np.array([7, 8, 9], dtype=np.uint64)),
                          np.insert(keys, mixed, np.array([7, 8, 9], dtype=np.uint64)))


def test_rows_appended_after_compaction_are_zero_where_not_given():
    t = Table(a=np.int64, b=np.float64)
    t.append(a=np.arange(1, 6), b=np.full(5, 2.5))
    t.keep(np.array([True, False, True, False, False]))
    t.append(a=np.array([9, 9]))  # rows 2 and 3 held old values of b before compaction
    assert t.a.tolist() == [1, 3, 9, 9] and t.b.tolist() == [2.5, 2.5, 0.0, 0.0]
    fresh = Table(a=np.int64, b=np.float64)
    fresh.append(b=np.ones(40))  # grows past its first buffer
    assert fresh.a.tolist() == [0] * 40
