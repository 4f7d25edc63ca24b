"""Costs from usage and the price list."""

from __future__ import annotations

import pytest

from config import parse_config
from gateway.pricing import Pricing
from gateway.providers.usage import Usage

PRICING = Pricing(
    parse_config(
        '[pricing.custom-x."m"]\ninput = 1.0\noutput = 2.0\n'
        '[pricing.custom-x."r"]\ninput = 1.0\noutput = 2.0\nreasoning = 8.0\n'
    ).pricing
)


@pytest.mark.parametrize(
    ("provider", "model", "usage", "expected"),
    [
        ("openai", "gpt-4o-mini", Usage(input_tokens=1_000_000, output_tokens=0), 0.15),
        ("openai", "gpt-4o-mini", Usage(input_tokens=0, output_tokens=1_000_000), 0.60),
        # A dated name takes its longest listed prefix: gpt-4o-mini, not gpt-4o.
        ("openai", "gpt-4o-mini-2024-07-18", Usage(input_tokens=1_000_000, output_tokens=0), 0.15),
        ("openai", "gpt-4o-2024-08-06", Usage(input_tokens=1_000_000, output_tokens=0), 2.50),
        # Cached input tokens are part of input_tokens and priced at the cache-read price.
        ("openai", "gpt-4o", Usage(input_tokens=1_000_000, output_tokens=0, cached_tokens=500_000), 1.875),
        ("anthropic", "claude-3-5-haiku-20241022", Usage(input_tokens=1000, output_tokens=1000), 0.0048),
        ("custom-x", "m", Usage(input_tokens=1_000_000, output_tokens=1_000_000), 3.0),
        # Reasoning tokens are inside output_tokens; without a reasoning price they cost output.
        ("custom-x", "m", Usage(input_tokens=0, output_tokens=1_000_000, reasoning_tokens=500_000), 2.0),
        ("custom-x", "r", Usage(input_tokens=0, output_tokens=1_000_000, reasoning_tokens=500_000), 5.0),
    ],
)
def test_costs(provider: str, model: str, usage: Usage, expected: float) -> None:
    assert PRICING.cost(provider, model, usage) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("provider", "model", "usage"),
    [
        ("openai", "gpt-unknown", Usage(input_tokens=10, output_tokens=10)),  # unlisted: no guess
        ("openai", "gpt-4oX", Usage(input_tokens=10, output_tokens=10)),  # a prefix must end at a separator
        ("nobody", "gpt-4o", Usage(input_tokens=10, output_tokens=10)),
        ("openai", None, Usage(input_tokens=10, output_tokens=10)),
        ("openai", "gpt-4o", Usage()),  # no usage reported: unknown, not free
    ],
)
def test_no_cost_when_unknown(provider: str, model: str | None, usage: Usage) -> None:
    assert PRICING.cost(provider, model, usage) is None
