import re

import numpy as np
import pytest

from lpsched import Instance, InstanceError, Predictions, Request


def test_columns_are_read_only_int64():
    inst = Instance(10, [1, 2], [3, 4], [0, 5])
    assert inst.s.dtype == np.int64 and not inst.s.flags.writeable
    with pytest.raises(ValueError):
        inst.o[0] = 9


@pytest.mark.parametrize("kwargs, message", [
    (dict(memory=10, s=[0], o=[1]), "s[0] = 0 must be >= 1"),
    (dict(memory=10, s=[-3], o=[1]), "s[0] = -3 must be >= 1"),
    (dict(memory=10, s=[1], o=[0]), "o[0] = 0 must be >= 1"),
    (dict(memory=10, s=[1, 2.5], o=[1, 1]), "s[1] = 2.5 is not an integer"),
    (dict(memory=10, s=[1], o=["x"]), "o[0] = 'x' is not an integer"),
    (dict(memory=10, s=[1], o=[1], a=[-1]), "a[0] = -1 must be >= 0"),
    (dict(memory=10, s=[], o=[]), "instance is empty"),
    (dict(memory=6, s=[2, 3], o=[1, 4]), "request 1: s + o = 3 + 4 = 7 exceeds memory M = 6"),
    (dict(memory=1.5, s=[1], o=[1]), "memory = 1.5 must be an integer"),
    (dict(memory=10, s=[1, 2], o=[1]), "o has 1 entries, expected 2"),
    (dict(memory=10, s=[1], o=[1], predictions=Predictions(lower=[5], upper=[3])),
     "predictions interval of request 0: lower = 5 > upper = 3"),
    (dict(memory=10, s=[1], o=[1], predictions=Predictions(lower=[0], upper=[3])),
     "predictions.lower[0] = 0 must be >= 1"),
    (dict(memory=10, s=[1], o=[1], predictions=Predictions(lower=[1])), "both lower and upper"),
    # issue 31: no silent conversions at the boundary
    (dict(memory=float("inf"), s=[1], o=[1]), "memory = inf must be a finite integer"),
    (dict(memory=float("nan"), s=[1], o=[1]), "memory = nan must be a finite integer"),
    (dict(memory=True, s=[1], o=[1]), "memory = True must be an integer"),
    (dict(memory=2 ** 70, s=[1], o=[1]), "memory = 1180591620717411303424 exceeds"),
    (dict(memory=10, s=[True, 3], o=[1, 1]), "s[0] = True is not an integer"),
    (dict(memory=10, s=[1, 2], o=[1, np.bool_(True)]), "o[1] = True is not an integer"),
    (dict(memory=10, s=True, o=[1]), "s = True is not an integer"),
    (dict(memory=10, s=[1], o=[1e300]), "o[0] = 1e+300 exceeds"),
    (dict(memory=10, s=[1], o=[1], a=[2 ** 70]), "a[0] = 1180591620717411303424 exceeds"),
    (dict(memory=10, s=[1], o=[1], a=[-1e20]), "a[0] = -1e+20 must be >= 0"),
    (dict(memory=10, s=[1], o=[1], predictions=Predictions(point=[True])), "predictions.point[0] = True is not a number"),
    (dict(memory=10, s=[1], o=[1], predictions=Predictions(mu=[1.0], sigma=[1.0], nu=True)),
     "predictions.nu = True must be a finite positive number"),
])
def test_bad_input_names_field_and_value(kwargs, message):
    with pytest.raises(InstanceError, match=re.escape(message)):
        Instance(**kwargs)


def test_integral_floats_are_accepted():
    assert Instance(10.0, [1.0], [2.0]).s.tolist() == [1]


def test_json_round_trip(tmp_path):
    inst = Instance(20, [1, 2, 3], [4, 5, 6], [0, 1, 1], Predictions(lower=[1, 2, 3], upper=[5, 5, 9]), "x")
    path = tmp_path / "i.json"
    inst.to_json(path)
    back = Instance.from_json(path)
    assert back == inst
    assert back.predictions.upper.tolist() == [5, 5, 9]
    assert Instance.from_json(inst.to_json()) == inst


@pytest.mark.parametrize("text, message", [
    ("{", "malformed"),
    ('{"memory": 5, "s": [1]}', "missing the field 'o'"),
    ('{"format": "other", "memory": 5, "s": [1], "o": [1]}', "format = 'other' is not supported"),
    ('{"memory": 5, "s": [1], "o": [1], "predictions": {"bogus": 1}}', "unknown fields"),
])
def test_bad_json(text, message):
    with pytest.raises(InstanceError, match=message):
        Instance.from_json(text)


def test_from_requests_and_back():
    reqs = [Request(2, 3, 0, lower=1, upper=4), Request(1, 1, 2, lower=1, upper=1)]
    inst = Instance.from_requests(reqs, memory=8)
    assert inst.requests[0].lower == 1 and inst.requests[1].a == 2
    with pytest.raises(InstanceError, match="request 1 has no interval"):
        Instance.from_requests([Request(1, 1, lower=1, upper=2), Request(1, 1)], memory=8)


def test_interval_truth_check():
    inst = Instance(20, [1, 1], [3, 9], predictions=Predictions(lower=[1, 1], upper=[5, 5]))
    with pytest.raises(InstanceError, match="request 1: o = 9 lies outside its predicted interval"):
        inst.check_intervals_contain_truth()


def test_subset_and_frame():
    inst = Instance(20, [1, 2, 3], [4, 5, 6], [0, 1, 2])
    sub = inst.subset([2, 0])
    assert sub.s.tolist() == [3, 1] and sub.a.tolist() == [2, 0]
    assert list(inst.to_frame().columns) == ["s", "o", "a"]
    with pytest.raises(InstanceError, match="exceeds memory"):
        inst.with_memory(8)
