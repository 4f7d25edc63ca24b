from __future__ import annotations

from collections.abc import Mapping

import pytest

from gateway.translate.finish_reasons import (
    ANTHROPIC_TO_OPENAI,
    COHERE_TO_OPENAI,
    GEMINI_TO_OPENAI,
    OPENAI_TO_ANTHROPIC,
    map_reason,
)

OPENAI_REASONS = {"stop", "length", "tool_calls", "content_filter"}


@pytest.mark.parametrize("table", [ANTHROPIC_TO_OPENAI, GEMINI_TO_OPENAI, COHERE_TO_OPENAI])
def test_tables_into_openai_only_produce_openai_reasons(table: Mapping[str, str]) -> None:
    assert set(table.values()) <= OPENAI_REASONS


def test_openai_to_anthropic_inverts_the_primary_reasons() -> None:
    for anthropic in ("end_turn", "max_tokens", "tool_use", "refusal"):
        assert OPENAI_TO_ANTHROPIC[ANTHROPIC_TO_OPENAI[anthropic]] == anthropic


@pytest.mark.parametrize(("reason", "expected"), [(None, "fb"), ("unknown", "fb"), ("end_turn", "stop")])
def test_map_reason_falls_back(reason: str | None, expected: str) -> None:
    assert map_reason(ANTHROPIC_TO_OPENAI, reason, "fb") == expected
