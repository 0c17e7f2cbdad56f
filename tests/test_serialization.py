"""read_network's orjson fast path against the plain json path (orjson disabled)."""

import json
import struct
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings, strategies as st

import deltanet.serialization as ser


def outcome(path, fast):
    """read_network's result, arrays as bytes (sign of zero included), or its error."""
    with pytest.MonkeyPatch.context() as m:
        if not fast:
            m.setattr(ser, "orjson", None)
        try:
            sizes, cost, weights, biases = ser.read_network(path)
        except Exception as exc:                    # noqa: BLE001 - compared below
            return type(exc), str(exc)
    return sizes, cost, [(a.dtype.str, a.shape, a.tobytes()) for a in weights + biases]


def same_outcome(path):
    slow = outcome(path, False)
    assert outcome(path, True) == slow
    return slow


SPECIAL = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1.7976931348623159e308", "-0",
           "-0.0", "0.0", "5e-324", "-5e-324", "2.4703282292062328e-324", "1e-400", "-1e-400",
           "2.2250738585072011e-308", "0.1000000000000000055511151231257827021181583404541015625",
           str(2**63 - 1), str(2**63), str(2**64 - 1), str(2**64), str(-2**63), str(-2**63 - 1),
           str(10**30), "1e30", "9223372036854775808.0", "1" + "0" * 400, "01", "1.", "+1"]
digits = st.text("0123456789", min_size=1, max_size=25)


@st.composite
def hand_number(draw):
    """A number as someone might type it: many digits, exponents with leading zeros."""
    text = draw(st.sampled_from(["", "-"])) + draw(digits).lstrip("0").rjust(1, "0")
    if draw(st.booleans()):
        text += "." + draw(digits)
    if draw(st.booleans()):
        text += draw(st.sampled_from("eE")) + draw(st.sampled_from(["", "+", "-"])) + \
            draw(st.text("0123456789", min_size=1, max_size=4))
    return text


number = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
    st.floats(min_value=-1, max_value=1).map(json.dumps),
    st.integers(-2**70, 2**70).map(str),
    hand_number(),
    st.sampled_from(SPECIAL))


@st.composite
def network_text(draw):
    """A network2-layout document, mostly valid, with random numbers and layout."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3))
    sep = draw(st.sampled_from([",", ", ", " ,\n\t", ",\r\n "]))

    def array(shape):
        if len(shape) == 1:
            return "[" + sep.join(draw(number) for _ in range(shape[0])) + "]"
        return "[" + sep.join(array(shape[1:]) for _ in range(shape[0])) + "]"

    sizes_text = [str(s) for s in sizes]
    sizes_text[0] = draw(st.sampled_from([sizes_text[0]] * 6 + ["2.0", "true", str(2**64)]))
    pairs = list(zip(sizes[:-1], sizes[1:]))
    depth = draw(st.integers(0, 40))
    parts = ['"sizes": [' + sep.join(sizes_text) + "]",
             '"weights": [' + sep.join(array((b, a)) for a, b in pairs) + "]",
             '"biases": [' + sep.join(array((b, 1)) for _, b in pairs) + "]",
             '"cost": ' + draw(st.sampled_from(['"CrossEntropyCost"', '"QuadraticCost"',
                                                '"\\ud800"', '"Nope"', str(10**30)])),
             '"deltanet": ' + "[" * depth + draw(number) + "]" * depth]
    return "{" + sep.join(draw(st.permutations(parts))) + "}"


@settings(max_examples=300, deadline=None)
@given(network_text())
def test_fast_path_has_the_outcome_of_json(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "net.json"
        path.write_text(text)
        same_outcome(path)


def write(tmp_path, text):
    path = tmp_path / "net.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def doc(sizes="[2, 1]", weights="[[[0.5, -0.25]]]", biases="[[[0.125]]]",
        cost='"CrossEntropyCost"'):
    return f'{{"sizes": {sizes}, "weights": {weights}, "biases": {biases}, "cost": {cost}}}'


@pytest.mark.parametrize("value", [str(2**64), str(-2**63 - 1), str(10**30)])
@pytest.mark.parametrize("where", ["weights", "biases", "sizes", "cost"])
def test_integers_beyond_64_bits_are_refused_as_json_refuses_them(tmp_path, value, where):
    # orjson reads them as floats (which _arrays would accept), json as ints
    assert isinstance(orjson.loads(value), float) and isinstance(json.loads(value), int)
    fields = {"weights": f"[[[0.5, {value}]]]", "biases": f"[[[{value}]]]",
              "sizes": f"[2, {value}]", "cost": value}
    error = same_outcome(write(tmp_path, doc(**{where: fields[where]})))
    assert error[0] is ValueError
    assert value in error[1] or "non-numeric" in error[1]


@pytest.mark.parametrize("value", [str(2**63), str(2**64 - 1), str(-2**63)])
def test_integers_within_64_bits_are_ints_either_way(tmp_path, value):
    assert orjson.loads(value) == json.loads(value) == int(value)
    _, _, arrays = same_outcome(
        write(tmp_path, doc(weights=f"[[[0.5, {value}]]]")))
    assert arrays[0][2] == struct.pack("<2d", 0.5, float(value))


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999",
                                   "1.7976931348623159e308"])
def test_non_finite_numbers_get_json_s_message(tmp_path, value):
    error = same_outcome(write(tmp_path, doc(weights=f"[[[0.5, {value}]]]")))
    assert error == (ValueError, f"{tmp_path / 'net.json'} is not a network file in "
                     "network2's layout: layer 2: weights contain NaN or infinity")


@pytest.mark.parametrize("value, expected", [
    ("-0.0", -0.0), ("-0", 0.0), ("5e-324", 5e-324), ("2.4703282292062328e-324", 5e-324),
    ("1e-400", 0.0), ("-1e-400", -0.0), ("1e30", 1e30), ("-9223372036854775808.0", -2.0**63),
    ("0.1000000000000000055511151231257827021181583404541015625", 0.1),
    ("1.2345678901234567890123e-0005", 1.2345678901234567890123e-5)])
def test_numbers_are_read_bit_for_bit(tmp_path, value, expected):
    _, _, arrays = same_outcome(write(tmp_path, doc(weights=f"[[[{value}, 1]]]")))
    assert arrays[0][2] == struct.pack("<2d", expected, 1.0)


@pytest.mark.parametrize("text", [
    b'\xef\xbb\xbf{"sizes": [2, 1]}',                    # BOM: json refuses it
    b'{"sizes": [2, 1], "cost": "\xff"}',                  # invalid UTF-8
    b'{"sizes": [2, 1], "cost": "\xed\xa0\x80"}',          # encoded surrogate
    '{"sizes": [2, 1], "weights": [[[0.5, 1]]], "biases": [[[0]]], "cost": "\\ud800"}',
    '{"sizes": [2, 1], "sizes": [3], "weights": [], "biases": [], "cost": "x"}',
    '\t\r\n {"sizes": [2, 1]} \n', '\x0c{}', '{}\xa0', "", " ", "[1,]", "[1.]"])
def test_texts_orjson_and_json_treat_differently(tmp_path, text):
    error = same_outcome(write(tmp_path, text))
    assert error[0] is ValueError


@pytest.mark.parametrize("depth", [33, 1000, 1024, 1025, 5000])
def test_deep_nesting_gets_json_s_outcome(tmp_path, depth):
    # json raises RecursionError near the interpreter's recursion limit, orjson at 1024
    deep = "[" * depth + "]" * depth
    text = '{"sizes": [2, 1], "weights": [[[0.5, 1]]], "biases": [[[0]]], ' \
           f'"cost": "CrossEntropyCost", "deltanet": {deep}}}'
    same_outcome(write(tmp_path, text))


@pytest.mark.parametrize("sizes", ["[2.0, 1]", "[true, 1]", "[2, 1.5]", "[30.0, 10]"])
def test_sizes_that_are_not_ints(tmp_path, sizes):
    error = same_outcome(write(tmp_path, doc(sizes=sizes)))
    assert error[0] is ValueError and "sizes must be a list" in error[1]


def test_a_saved_network_takes_the_fast_path(tmp_path, monkeypatch):
    from deltanet import Network
    Network([4, 3, 2], seed=0).save(tmp_path / "net.json")
    expected = ser.read_network(tmp_path / "net.json")

    def no_json(*args, **kwargs):
        raise AssertionError("json.loads called")
    monkeypatch.setattr(ser.json, "loads", no_json)
    assert ser.orjson is not None
    sizes, cost, weights, biases = ser.read_network(tmp_path / "net.json")
    assert (sizes, cost) == expected[:2]
    for a, b in zip(weights + biases, expected[2] + expected[3]):
        assert a.tobytes() == b.tobytes()
