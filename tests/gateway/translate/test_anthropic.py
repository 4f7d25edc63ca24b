from __future__ import annotations

from typing import Any

import pytest

from gateway.translate.anthropic import (
    anthropic_error_to_openai,
    anthropic_response_to_openai,
    openai_request_to_anthropic,
)
from gateway.translate.errors import TranslationError

PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            {
                "model": "claude-sonnet-4-5",
                "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
            },
            {
                "model": "claude-sonnet-4-5",
                "max_tokens": 4096,
                "system": "Be brief.",
                "messages": [{"role": "user", "content": [text("Hi")]}],
            },
            id="system-prompt-and-default-max-tokens",
        ),
        pytest.param(
            {
                "model": "m",
                "messages": [
                    {"role": "developer", "content": [text("Rule one.")]},
                    {"role": "user", "content": "Hi"},
                    {"role": "system", "content": "Rule two."},
                ],
            },
            {
                "model": "m",
                "max_tokens": 4096,
                "system": [text("Rule one."), text("Rule two.")],
                "messages": [{"role": "user", "content": [text("Hi")]}],
            },
            id="developer-and-late-system-hoisted-in-order",
        ),
        pytest.param(
            {
                "model": "m",
                "messages": [
                    {"role": "user", "content": "First."},
                    {"role": "user", "content": "Second."},
                    {"role": "assistant", "content": "Answer."},
                    {"role": "assistant", "content": ""},
                    {"role": "user", "content": [text("More?")]},
                ],
            },
            {
                "model": "m",
                "max_tokens": 4096,
                "messages": [
                    {"role": "user", "content": [text("First."), text("Second.")]},
                    {"role": "assistant", "content": [text("Answer.")]},
                    {"role": "user", "content": [text("More?")]},
                ],
            },
            id="multi-turn-same-role-merged-empty-dropped",
        ),
        pytest.param(
            {
                "model": "m",
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            text("Compare"),
                            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_B64}"}},
                            {
                                "type": "file",
                                "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0="},
                            },
                        ],
                    }
                ],
            },
            {
                "model": "m",
                "max_tokens": 4096,
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            text("Compare"),
                            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
                            {
                                "type": "image",
                                "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64},
                            },
                            {
                                "type": "document",
                                "title": "a.pdf",
                                "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="},
                            },
                        ],
                    }
                ],
            },
            id="images-url-and-base64-and-pdf",
        ),
        pytest.param(
            {
                "model": "m",
                "max_completion_tokens": 100,
                "max_tokens": 5,
                "temperature": 0.2,
                "top_p": 0.9,
                "stop": "END",
                "stream": True,
                "user": "user-42",
                "messages": [{"role": "user", "content": "Hi"}],
            },
            {
                "model": "m",
                "max_tokens": 100,
                "temperature": 0.2,
                "top_p": 0.9,
                "stop_sequences": ["END"],
                "stream": True,
                "metadata": {"user_id": "user-42"},
                "messages": [{"role": "user", "content": [text("Hi")]}],
            },
            id="sampling-stop-string-stream-user",
        ),
        pytest.param(
            {"model": "m", "max_tokens": 7, "stop": ["a", "b"], "messages": [{"role": "user", "content": "Hi"}]},
            {
                "model": "m",
                "max_tokens": 7,
                "stop_sequences": ["a", "b"],
                "messages": [{"role": "user", "content": [text("Hi")]}],
            },
            id="max-tokens-and-stop-list",
        ),
    ],
)
def test_request(body: dict[str, Any], expected: dict[str, Any]) -> None:
    assert openai_request_to_anthropic(body) == expected


def test_request_tool_calls_and_results() -> None:
    body = {
        "model": "m",
        "tools": [WEATHER_TOOL],
        "messages": [
            {"role": "user", "content": "Weather in Paris and Rome?"},
            {
                "role": "assistant",
                "content": "Checking both.",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    },
                    {
                        "id": "call_2",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
            {"role": "tool", "tool_call_id": "call_2", "content": [text("24C")]},
            {"role": "user", "content": "Thanks"},
        ],
    }
    assert openai_request_to_anthropic(body) == {
        "model": "m",
        "max_tokens": 4096,
        "tools": [
            {
                "name": "get_weather",
                "description": "Current weather for a city",
                "input_schema": WEATHER_TOOL["function"]["parameters"],  # type: ignore[index]
            }
        ],
        "messages": [
            {"role": "user", "content": [text("Weather in Paris and Rome?")]},
            {
                "role": "assistant",
                "content": [
                    text("Checking both."),
                    {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}},
                    {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {"city": "Rome"}},
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "call_1", "content": "18C"},
                    {"type": "tool_result", "tool_use_id": "call_2", "content": "24C"},
                    text("Thanks"),
                ],
            },
        ],
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"tool_choice": "auto"}, {"type": "auto"}),
        ({"tool_choice": "none"}, {"type": "none"}),
        ({"tool_choice": "required"}, {"type": "any"}),
        (
            {"tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
            {"type": "tool", "name": "get_weather"},
        ),
        ({"parallel_tool_calls": False}, {"type": "auto", "disable_parallel_tool_use": True}),
        (
            {"tool_choice": "required", "parallel_tool_calls": False},
            {"type": "any", "disable_parallel_tool_use": True},
        ),
        ({"tool_choice": "none", "parallel_tool_calls": False}, {"type": "none"}),
        ({}, None),
        ({"parallel_tool_calls": True}, None),
    ],
)
def test_request_tool_choice(extra: dict[str, Any], expected: dict[str, Any] | None) -> None:
    body = {"model": "m", "tools": [WEATHER_TOOL], "messages": [{"role": "user", "content": "Hi"}], **extra}
    assert openai_request_to_anthropic(body).get("tool_choice") == expected


def test_request_tool_without_parameters_gets_an_empty_object_schema() -> None:
    body = {
        "model": "m",
        "tools": [{"type": "function", "function": {"name": "now"}}],
        "messages": [{"role": "user", "content": "Hi"}],
    }
    assert openai_request_to_anthropic(body)["tools"] == [
        {"name": "now", "input_schema": {"type": "object", "properties": {}}}
    ]


def user(content: Any) -> dict[str, Any]:
    return {"role": "user", "content": content}


def assistant_call(arguments: str) -> dict[str, Any]:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": arguments}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "m"}, "messages: expected an array, got null"),
        ({"model": "m", "messages": []}, "messages: expected at least one message"),
        ({"messages": [user("Hi")]}, "model: expected a string, got null"),
        (
            {"model": "m", "messages": [user("Hi"), user([{"type": "input_audio", "input_audio": {}}])]},
            'messages[1].content[0].type: unsupported content part "input_audio"',
        ),
        (
            {"model": "m", "messages": [user("Hi"), assistant_call('{"city": ')]},
            "messages[1].tool_calls[0].function.arguments: invalid JSON (Expecting value at position 9)",
        ),
        (
            {"model": "m", "messages": [user("Hi"), assistant_call("[1]")]},
            "messages[1].tool_calls[0].function.arguments: expected a JSON object, got an array",
        ),
        ({"model": "m", "n": 2, "messages": [user("Hi")]}, "n: Anthropic returns one choice per request; got 2"),
        (
            {"model": "m", "messages": [{"role": "function", "name": "f", "content": "x"}]},
            'messages[0].role: unsupported role "function"',
        ),
        (
            {"model": "m", "messages": [user([{"type": "image_url", "image_url": {"url": "ftp://x/a.png"}}])]},
            "messages[0].content[0].image_url.url: expected an http(s) URL or a base64 data: URL",
        ),
        (
            {"model": "m", "messages": [user([{"type": "image_url", "image_url": {"url": "data:image/png,abc"}}])]},
            "messages[0].content[0].image_url.url: only base64 data: URLs are supported",
        ),
        (
            {"model": "m", "messages": [{"role": "system", "content": "Only a system prompt."}]},
            "messages: Anthropic needs at least one user or assistant message",
        ),
        (
            {"model": "m", "tools": [WEATHER_TOOL], "tool_choice": "any", "messages": [user("Hi")]},
            'tool_choice: expected "auto", "none", "required" or an object, got "any"',
        ),
        (
            {"model": "m", "max_tokens": "10", "messages": [user("Hi")]},
            'max_tokens: expected an integer, got "10"',
        ),
        (
            {"model": "m", "messages": [{"role": "tool", "content": "18C"}]},
            "messages[0].tool_call_id: expected a string, got null",
        ),
        (
            {"model": "m", "tools": [{"type": "web_search"}], "messages": [user("Hi")]},
            'tools[0].type: unsupported tool type "web_search"',
        ),
    ],
)
def test_request_rejects_invalid_input_naming_the_field(body: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        openai_request_to_anthropic(body)
    assert str(excinfo.value) == message


def anthropic_message(content: list[dict[str, Any]], stop_reason: str, **usage: int) -> dict[str, Any]:
    return {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 6, **usage},
    }


@pytest.mark.parametrize(
    ("stop_reason", "finish_reason"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("tool_use", "tool_calls"),
        ("refusal", "content_filter"),
        ("pause_turn", "stop"),
        ("a_reason_added_later", "stop"),
    ],
)
def test_response_finish_reasons(stop_reason: str, finish_reason: str) -> None:
    body = anthropic_message([text("Hello")], stop_reason)
    result = anthropic_response_to_openai(body, "claude-sonnet-4-5", 1_700_000_000)
    assert result["choices"][0]["finish_reason"] == finish_reason


def test_response_text_thinking_and_tool_use() -> None:
    body = anthropic_message(
        [
            {"type": "thinking", "thinking": "The user wants weather.", "signature": "EqQBCgIYAhIM"},
            text("Let me "),
            text("check."),
            {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris", "unit": "°C"}},
        ],
        "tool_use",
        cache_read_input_tokens=100,
        cache_creation_input_tokens=20,
    )
    assert anthropic_response_to_openai(body, "claude-sonnet-4-5", 1_700_000_000) == {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "claude-sonnet-4-5",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "Let me check.",
                    "refusal": None,
                    "tool_calls": [
                        {
                            "id": "toolu_01A",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city":"Paris","unit":"°C"}'},
                        }
                    ],
                },
                "logprobs": None,
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {
            "prompt_tokens": 132,
            "completion_tokens": 6,
            "total_tokens": 138,
            "prompt_tokens_details": {"cached_tokens": 100},
        },
    }


def test_response_with_only_tool_use_has_null_content() -> None:
    body = anthropic_message([{"type": "tool_use", "id": "t", "name": "now", "input": {}}], "tool_use")
    message = anthropic_response_to_openai(body, "m", 0)["choices"][0]["message"]
    assert message["content"] is None
    assert message["tool_calls"][0]["function"]["arguments"] == "{}"


def test_response_rejects_malformed_block() -> None:
    body = anthropic_message([{"type": "tool_use", "id": "t", "input": {}}], "tool_use")
    with pytest.raises(TranslationError, match=r"^content\[0\]\.name: expected a string, got null$"):
        anthropic_response_to_openai(body, "m", 0)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            529,
            {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            {"error": {"message": "Overloaded", "type": "api_error", "param": None, "code": "overloaded_error"}},
        ),
        (
            429,
            {"type": "error", "error": {"type": "rate_limit_error", "message": "Slow down"}},
            {"error": {"message": "Slow down", "type": "rate_limit_error", "param": None, "code": "rate_limit_error"}},
        ),
        (
            401,
            {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}},
            {
                "error": {
                    "message": "invalid x-api-key",
                    "type": "authentication_error",
                    "param": None,
                    "code": "authentication_error",
                }
            },
        ),
        (
            502,
            "<html>Bad Gateway</html>",
            {"error": {"message": "Anthropic returned HTTP 502", "type": "api_error", "param": None, "code": None}},
        ),
    ],
)
def test_error_to_openai(status: int, body: Any, expected: dict[str, Any]) -> None:
    assert anthropic_error_to_openai(status, body) == expected
