"""weir-metadata and the collect-log headers, table-driven."""

from __future__ import annotations

import orjson
import pytest

from gateway.errors import GatewayError
from gateway.request_controls import parse_metadata


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"team": "search"}', {"team": "search"}),
        ('{"a": 1, "b": 2.5, "c": true, "d": "x", "e": false}', {"a": 1, "b": 2.5, "c": True, "d": "x", "e": False}),
        ("{}", {}),
        ('{"ünï": "cödé"}', {"ünï": "cödé"}),
    ],
)
def test_good_metadata_is_kept_as_canonical_json(raw: str, expected: dict[str, object]) -> None:
    assert orjson.loads(parse_metadata(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "weir-metadata must be a JSON object"),
        ("[1, 2]", "must be a JSON object, got a JSON array"),
        ('"text"', "must be a JSON object, got a JSON string"),
        ("null", "got a JSON null"),
        ('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}', "has 6 entries; at most 5"),
        ('{"a": {"b": 1}}', "entry 'a' must be a string, number or boolean, got a JSON object"),
        ('{"a": [1]}', "got a JSON array"),
        ('{"a": null}', "got a JSON null"),
        ('{"": 1}', "keys must be 1 to 64 characters"),
        ('{"' + "k" * 65 + '": 1}', "keys must be 1 to 64 characters"),
        ('{"a": "' + "v" * 513 + '"}', "entry 'a' is longer than 512 characters"),
    ],
)
def test_bad_metadata_is_a_400_naming_the_problem(raw: str, message: str) -> None:
    with pytest.raises(GatewayError) as info:
        parse_metadata(raw)
    assert info.value.status == 400
    assert message in info.value.message
