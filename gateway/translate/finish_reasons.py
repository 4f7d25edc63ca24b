"""Finish-reason tables between OpenAI and each provider, as data.

A reason missing from a table maps to the table's fallback rather than failing: a
provider adding a new reason must not turn a good answer into an error.
"""

from __future__ import annotations

from collections.abc import Mapping

ANTHROPIC_TO_OPENAI: Mapping[str, str] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}

OPENAI_TO_ANTHROPIC: Mapping[str, str] = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}

GEMINI_TO_OPENAI: Mapping[str, str] = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
}

# A prompt Gemini refuses outright comes back with no candidates, only a block reason.
GEMINI_BLOCKED_PROMPT_FINISH = "content_filter"

COHERE_TO_OPENAI: Mapping[str, str] = {
    "COMPLETE": "stop",
    "STOP_SEQUENCE": "stop",
    "USER_CANCEL": "stop",
    "MAX_TOKENS": "length",
    "ERROR_LIMIT": "length",
    "TOOL_CALL": "tool_calls",
    "ERROR_TOXIC": "content_filter",
}

# Cohere's finish reasons that mean the generation failed rather than ended.
COHERE_ERRORS: frozenset[str] = frozenset({"ERROR"})


def map_reason(table: Mapping[str, str], reason: str | None, fallback: str) -> str:
    if reason is None:
        return fallback
    return table.get(reason, fallback)
