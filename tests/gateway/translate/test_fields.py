from __future__ import annotations

from typing import Any

import pytest

from gateway.translate.errors import TranslationError
from gateway.translate.fields import (
    as_dict,
    int_or_zero,
    nested_dict,
    nested_str,
    opt_bool,
    opt_int,
    opt_number,
    parse_json_object,
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "p: expected an object, got null"),
        ([1], "p: expected an object, got an array"),
        ("x" * 50, 'p: expected an object, got "' + "x" * 36 + "..."),
    ],
)
def test_as_dict_names_path_and_value(value: Any, message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        as_dict(value, "p")
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("read", "value", "message"),
    [
        (opt_int, True, "k: expected an integer, got true"),
        (opt_int, 1.5, "k: expected an integer, got 1.5"),
        (opt_number, False, "k: expected a number, got false"),
        (opt_bool, 1, "k: expected true or false, got 1"),
    ],
)
def test_scalars_reject_lookalikes(read: Any, value: Any, message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        read({"k": value}, "k", "k")
    assert str(excinfo.value) == message


@pytest.mark.parametrize(("text", "expected"), [("", {}), ("  ", {}), ('{"a":1}', {"a": 1})])
def test_parse_json_object(text: str, expected: dict[str, Any]) -> None:
    assert parse_json_object(text, "args") == expected


def test_int_or_zero_tolerates_missing_and_malformed_counts() -> None:
    bodies: list[Any] = [None, [], {}, {"n": "3"}, {"n": True}, {"n": 3}]
    assert [int_or_zero(body, "n") for body in bodies] == [0, 0, 0, 0, 0, 3]


def test_nested_reads() -> None:
    body = {"error": {"message": "m", "detail": {"x": 1}}}
    assert nested_str(body, "error", "message") == "m"
    assert nested_str(body, "error", "detail") is None
    assert nested_str("text", "error") is None
    assert nested_dict(body, "error", "detail") == {"x": 1}
    assert nested_dict(body, "error", "message") is None
