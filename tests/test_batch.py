"""run_batch's set-up shortcuts: each distinct parameter set is validated and read once, and the
result is what validating and reading every run's own set gives."""

from __future__ import annotations

import numpy as np
import pytest

from sim.batch import _resolve_all
from sim.errors import UserError
from sim.params import Params, resolve
from sim.state import _CATEGORICAL, RunParams


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
