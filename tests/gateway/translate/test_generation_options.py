from typing import Any

import pytest

from gateway.translate.errors import TranslationError
from gateway.translate.generation_options import GenerationKeys, write_generation_options

KEYS = GenerationKeys(
    sampling={"temperature": "temperature", "top_p": "p"}, max_tokens="max_tokens", stop="stop_sequences", seed="seed"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {}),
        (
            {"max_completion_tokens": 50, "temperature": 0.2, "top_p": 0.9, "stop": "END", "seed": 7},
            {"max_tokens": 50, "temperature": 0.2, "p": 0.9, "stop_sequences": ["END"], "seed": 7},
        ),
        ({"stop": ["a", "b"], "n": 3}, {"stop_sequences": ["a", "b"]}),  # this table drops `n`
    ],
)
def test_options_land_under_the_providers_names(body: dict[str, Any], expected: dict[str, Any]) -> None:
    target: dict[str, Any] = {}
    write_generation_options(body, target, KEYS)
    assert target == expected


def test_a_dropped_option_is_not_checked_and_a_bad_one_is_named() -> None:
    target: dict[str, Any] = {}
    write_generation_options({"seed": "x"}, target, GenerationKeys(sampling={}))
    assert target == {}
    with pytest.raises(TranslationError, match=r"^temperature: "):
        write_generation_options({"temperature": "hot"}, {}, KEYS)
