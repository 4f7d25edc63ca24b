import base64
import math
import struct
from typing import Any

import pytest

from tests.fakes.content import (
    MAX_ECHO_WORDS,
    ToolSpec,
    arguments_for,
    cached_tokens,
    compose_reply,
    content_digest,
    count_prompt_tokens,
    embedding_base64,
    embedding_vector,
    last_text,
    plan_tool_call,
    text_of,
)


def test_reply_echoes_and_chunks_word_by_word() -> None:
    reply = compose_reply("  hello   big world ")
    assert reply.text == "Echo: hello big world"
    assert reply.chunks == ("Echo:", " hello", " big", " world")
    assert reply.num_tokens == 4
    assert not reply.is_truncated


def test_reply_keeps_the_first_words_only() -> None:
    reply = compose_reply(" ".join(f"w{i}" for i in range(100)))
    assert reply.num_tokens == MAX_ECHO_WORDS + 1
    assert not reply.is_truncated
    short = compose_reply("one two three", max_tokens=2)
    assert (short.text, short.is_truncated) == ("Echo: one", True)


def test_token_counts() -> None:
    assert count_prompt_tokens([]) == 1
    assert count_prompt_tokens(["a b", "c"]) == 3
    assert (cached_tokens(49), cached_tokens(50)) == (0, 32)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ([{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {}}, {"text": "b"}], "a b"),
        ([{"type": "tool_result", "content": [{"type": "text", "text": "r"}]}], "r"),
        ({"role": "user", "parts": [{"text": "g"}]}, "g"),
        (None, ""),
    ],
)
def test_text_of(value: object, text: str) -> None:
    assert text_of(value) == text


def test_last_text_picks_the_last_matching_role() -> None:
    messages = [
        {"role": "user", "content": "first"},
        {"role": "user", "content": "second"},
        {"role": "assistant", "content": "x"},
    ]
    assert last_text(messages) == "second"
    assert last_text([{"parts": [{"text": "g"}]}], roles=("user", None)) == "g"


def test_digest_ignores_transport_keys_only() -> None:
    body: dict[str, Any] = {"model": "m", "messages": []}
    assert content_digest(body) == content_digest({**body, "stream": True, "stream_options": {"include_usage": True}})
    assert content_digest(body) != content_digest({**body, "temperature": 0})
    assert content_digest(body, scope="a") != content_digest(body, scope="b")


def test_arguments_follow_the_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "INTEGER"},
            "extra": {"type": "boolean"},
        },
        "required": ["location", "unit", "days"],
    }
    assert arguments_for(schema) == {"location": "Paris", "unit": "celsius", "days": 1}
    assert arguments_for({}) == {}


@pytest.mark.parametrize(
    ("mode", "forced", "text", "called"),
    [
        ("auto", None, "what is the weather", None),
        ("auto", None, "please CALL TOOL now", "first"),
        ("none", None, "call tool", None),
        ("any", None, "hi", "first"),
        ("any", "second", "hi", "second"),
    ],
)
def test_plan_tool_call(mode: Any, forced: str | None, text: str, called: str | None) -> None:
    tools = [ToolSpec("first", {}), ToolSpec("second", {})]
    call = plan_tool_call(tools, mode, forced, text, "ab" * 32)
    assert (call.name if call else None) == called
    assert plan_tool_call([], "any", None, text, "ab" * 32) is None


def test_embedding_is_deterministic_unit_and_float32_exact() -> None:
    vector = embedding_vector("hello", 12)
    assert vector == embedding_vector("hello", 12) != embedding_vector("hellO", 12)
    assert len(vector) == 12
    assert math.isclose(math.fsum(v * v for v in vector), 1.0, rel_tol=1e-6)
    decoded = list(struct.unpack("<12f", base64.b64decode(embedding_base64(vector))))
    assert decoded == vector
