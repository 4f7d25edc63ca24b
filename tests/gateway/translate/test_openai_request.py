from __future__ import annotations

from typing import Any

import pytest

from gateway.translate.errors import TranslationError
from gateway.translate.openai_request import (
    DataURL,
    ImagePart,
    TextPart,
    ToolChoice,
    parse_data_url,
    read_max_tokens,
    read_messages,
    read_stop,
    read_tool_choice,
    wants_stream_usage,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("data:image/png;base64,iVBO", DataURL("image/png", "iVBO")),
        ("DATA:Image/JPEG;BASE64,/9j/", DataURL("image/jpeg", "/9j/")),
        ("data:application/pdf;name=a.pdf;base64,JVBE", DataURL("application/pdf", "JVBE")),
    ],
)
def test_parse_data_url(url: str, expected: DataURL) -> None:
    assert parse_data_url(url, "u") == expected
    assert parse_data_url(expected.as_url(), "u") == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.com/a.png", "u: expected a data: URL"),
        ("data:image/png;base64", "u: expected a data: URL"),
        ("data:image/png,raw", "u: only base64 data: URLs are supported"),
        ("data:;base64,AAAA", "u: data: URL has no media type"),
    ],
)
def test_parse_data_url_rejects(url: str, message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        parse_data_url(url, "u")
    assert str(excinfo.value) == message


def test_read_messages_normalises_roles_and_parts() -> None:
    body = {
        "messages": [
            {"role": "developer", "content": "rules"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": ""},
                    {"type": "image_url", "image_url": "https://example.com/x.png"},
                ],
            },
            {"role": "assistant", "content": [{"type": "refusal", "refusal": "No."}]},
        ]
    }
    messages = read_messages(body)
    assert [(m.role, m.parts) for m in messages] == [
        ("system", (TextPart("rules"),)),
        ("user", (ImagePart("https://example.com/x.png", None),)),
        ("assistant", (TextPart("No."),)),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, None),
        ({"tool_choice": "required"}, ToolChoice("required")),
        ({"tool_choice": {"type": "function", "function": {"name": "f"}}}, ToolChoice("function", "f")),
    ],
)
def test_read_tool_choice(body: dict[str, Any], expected: ToolChoice | None) -> None:
    assert read_tool_choice(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [({}, None), ({"max_tokens": 5}, 5), ({"max_completion_tokens": 9, "max_tokens": 5}, 9)],
)
def test_read_max_tokens(body: dict[str, Any], expected: int | None) -> None:
    assert read_max_tokens(body) == expected


@pytest.mark.parametrize(("stop", "expected"), [(None, []), ("x", ["x"]), (["a", "b"], ["a", "b"])])
def test_read_stop(stop: Any, expected: list[str]) -> None:
    assert read_stop({"stop": stop}) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"stream": True, "stream_options": {"include_usage": True}}, True),
        ({"stream": True}, False),
        ({"stream_options": "yes"}, False),
    ],
)
def test_wants_stream_usage(body: dict[str, Any], expected: bool) -> None:
    assert wants_stream_usage(body) is expected


def test_legacy_function_call_is_rejected_by_name() -> None:
    body = {"messages": [{"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}}]}
    with pytest.raises(TranslationError) as excinfo:
        read_messages(body)
    assert str(excinfo.value) == "messages[0].function_call: legacy function calling is not supported; use tool_calls"
