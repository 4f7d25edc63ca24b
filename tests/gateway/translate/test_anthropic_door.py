from __future__ import annotations

from typing import Any

import pytest

from gateway.translate.anthropic import openai_request_to_anthropic
from gateway.translate.anthropic_door import (
    anthropic_request_to_openai,
    openai_error_to_anthropic,
    openai_response_to_anthropic,
)
from gateway.translate.errors import TranslationError

WEATHER_SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}

# A Claude Code–style multi-turn conversation with parallel tool use.
TOOL_CONVERSATION: dict[str, Any] = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 1024,
    "system": [{"type": "text", "text": "You are a helpful agent.", "cache_control": {"type": "ephemeral"}}],
    "tools": [{"name": "get_weather", "description": "Weather for a city", "input_schema": WEATHER_SCHEMA}],
    "tool_choice": {"type": "auto", "disable_parallel_tool_use": False},
    "messages": [
        {"role": "user", "content": "Weather in Paris and Rome?"},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Two cities.", "signature": "sig"},
                {"type": "text", "text": "Checking both."},
                {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
                {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Rome"}},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
                {"type": "tool_result", "tool_use_id": "toolu_2", "content": [{"type": "text", "text": "24C"}]},
                {"type": "text", "text": "Which is warmer?"},
            ],
        },
        {"role": "assistant", "content": "Rome."},
        {"role": "user", "content": [{"type": "text", "text": "Thanks!"}]},
    ],
}


def test_request_multi_turn_tool_conversation() -> None:
    assert anthropic_request_to_openai(TOOL_CONVERSATION) == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "tools": [
            {
                "type": "function",
                "function": {"name": "get_weather", "description": "Weather for a city", "parameters": WEATHER_SCHEMA},
            }
        ],
        "tool_choice": "auto",
        "messages": [
            {"role": "system", "content": "You are a helpful agent."},
            {"role": "user", "content": "Weather in Paris and Rome?"},
            {
                "role": "assistant",
                "content": "Checking both.",
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    },
                    {
                        "id": "toolu_2",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "toolu_1", "content": "18C"},
            {"role": "tool", "tool_call_id": "toolu_2", "content": "24C"},
            {"role": "user", "content": "Which is warmer?"},
            {"role": "assistant", "content": "Rome."},
            {"role": "user", "content": "Thanks!"},
        ],
    }


def _semantics(anthropic_request: dict[str, Any]) -> dict[str, Any]:
    """What a Messages request means, with representation choices (string vs block list,
    one system string vs blocks) normalised away."""
    system = anthropic_request.get("system")
    if isinstance(system, list):
        system = "\n\n".join(block["text"] for block in system)
    turns = []
    for message in anthropic_request["messages"]:
        content = message["content"]
        blocks: list[dict[str, Any]] = [{"type": "text", "text": content}] if isinstance(content, str) else content
        kept = []
        for block in blocks:
            if block["type"] == "thinking":
                continue  # documented loss: no OpenAI counterpart
            if block["type"] == "tool_result" and isinstance(block.get("content"), list):
                block = {**block, "content": "\n".join(part["text"] for part in block["content"])}
            kept.append(block)
        turns.append({"role": message["role"], "content": kept})
    return {
        "system": system,
        "messages": turns,
        "tools": [(tool["name"], tool.get("description"), tool["input_schema"]) for tool in anthropic_request["tools"]],
        "max_tokens": anthropic_request["max_tokens"],
    }


def test_round_trip_preserves_a_multi_turn_tool_conversation() -> None:
    back = openai_request_to_anthropic(anthropic_request_to_openai(TOOL_CONVERSATION))
    assert _semantics(back) == _semantics(TOOL_CONVERSATION)
    assert back["tool_choice"] == {"type": "auto"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"tool_choice": {"type": "auto"}}, {"tool_choice": "auto"}),
        ({"tool_choice": {"type": "any"}}, {"tool_choice": "required"}),
        ({"tool_choice": {"type": "none"}}, {"tool_choice": "none"}),
        (
            {"tool_choice": {"type": "tool", "name": "get_weather"}},
            {"tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
        ),
        (
            {"tool_choice": {"type": "any", "disable_parallel_tool_use": True}},
            {"tool_choice": "required", "parallel_tool_calls": False},
        ),
    ],
)
def test_request_tool_choice(extra: dict[str, Any], expected: dict[str, Any]) -> None:
    body = {
        "model": "m",
        "max_tokens": 10,
        "messages": [{"role": "user", "content": "Hi"}],
        "tools": [{"name": "get_weather", "input_schema": WEATHER_SCHEMA}],
        **extra,
    }
    result = anthropic_request_to_openai(body)
    assert {key: result[key] for key in expected} == expected


def test_request_sampling_stop_stream_and_user() -> None:
    body = {
        "model": "m",
        "max_tokens": 10,
        "temperature": 0.5,
        "top_p": 0.8,
        "top_k": 40,
        "stop_sequences": ["###"],
        "stream": True,
        "metadata": {"user_id": "u-1"},
        "system": "Be brief.",
        "messages": [{"role": "user", "content": "Hi"}],
    }
    assert anthropic_request_to_openai(body) == {
        "model": "m",
        "max_tokens": 10,
        "temperature": 0.5,
        "top_p": 0.8,
        "stop": ["###"],
        "stream": True,
        "stream_options": {"include_usage": True},
        "user": "u-1",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
    }


def test_request_images_documents_and_tool_result_images() -> None:
    body = {
        "model": "m",
        "max_tokens": 10,
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "t1",
                        "content": [
                            {"type": "text", "text": "screenshot taken"},
                            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
                        ],
                    },
                    {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
                    {
                        "type": "document",
                        "title": "spec.pdf",
                        "source": {
                            "type": "base64",
                            "media_type": "application/pdf",
                            "data": "JVBERi0=",
                        },
                    },
                    {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "notes"}},
                ],
            }
        ],
    }
    assert anthropic_request_to_openai(body)["messages"] == [
        {"role": "tool", "tool_call_id": "t1", "content": "screenshot taken"},
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
                {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0=", "filename": "spec.pdf"}},
                {"type": "text", "text": "notes"},
            ],
        },
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "m", "max_tokens": 1}, "messages: expected an array, got null"),
        (
            {"model": "m", "messages": [{"role": "system", "content": "x"}]},
            'messages[0].role: unsupported role "system"',
        ),
        (
            {"model": "m", "messages": [{"role": "user", "content": [{"type": "audio", "data": "x"}]}]},
            'messages[0].content[0].type: unsupported content block "audio"',
        ),
        (
            {
                "model": "m",
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "image", "source": {"type": "file", "file_id": "file_1"}},
                        ],
                    }
                ],
            },
            'messages[0].content[0].source.type: unsupported source type "file"',
        ),
        (
            {"model": "m", "tools": [{"type": "web_search_20250305", "name": "web_search"}], "messages": []},
            'tools[0].type: unsupported tool type "web_search_20250305"; only client tools translate',
        ),
        (
            {"model": "m", "messages": [], "tool_choice": {"type": "sometimes"}},
            'tool_choice.type: unsupported tool_choice type "sometimes"',
        ),
        (
            {"model": "m", "system": [{"type": "image"}], "messages": []},
            'system[0].type: expected a text block, got "image"',
        ),
        (
            {
                "model": "m",
                "messages": [
                    {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": [1]}]}
                ],
            },
            "messages[0].content[0].input: expected an object, got an array",
        ),
    ],
)
def test_request_rejects_invalid_input_naming_the_field(body: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        anthropic_request_to_openai(body)
    assert str(excinfo.value) == message


def openai_completion(message: dict[str, Any], finish_reason: str, **usage: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1_741_569_952,
        "model": "gpt-4.1-2025-04-14",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29, **usage},
    }


def test_response_text_and_tool_calls() -> None:
    message = {
        "role": "assistant",
        "content": "Checking.",
        "tool_calls": [
            {"id": "call_abc", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}}
        ],
    }
    body = openai_completion(message, "tool_calls", prompt_tokens_details={"cached_tokens": 4})
    assert openai_response_to_anthropic(body, "claude-sonnet-4-5") == {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "call_abc", "name": "get_weather", "input": {"city": "Paris"}},
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {
            "input_tokens": 15,
            "output_tokens": 10,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 4,
        },
    }


@pytest.mark.parametrize(
    ("finish_reason", "stop_reason"),
    [
        ("stop", "end_turn"),
        ("length", "max_tokens"),
        ("tool_calls", "tool_use"),
        ("function_call", "tool_use"),
        ("content_filter", "refusal"),
    ],
)
def test_response_stop_reasons(finish_reason: str, stop_reason: str) -> None:
    body = openai_completion({"role": "assistant", "content": "Hi"}, finish_reason)
    assert openai_response_to_anthropic(body, "m")["stop_reason"] == stop_reason


def test_response_invalid_tool_arguments_name_the_field() -> None:
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{oops"}},
        ],
    }
    with pytest.raises(TranslationError, match=r"^choices\[0\]\.message\.tool_calls\[0\]\.function\.arguments: "):
        openai_response_to_anthropic(openai_completion(message, "tool_calls"), "m")


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"error": {"message": "bad", "type": "invalid_request_error"}}, ("invalid_request_error", "bad")),
        (401, {"error": {"message": "no key"}}, ("authentication_error", "no key")),
        (403, {"error": {"message": "nope"}}, ("permission_error", "nope")),
        (404, {"error": {"message": "no model"}}, ("not_found_error", "no model")),
        (413, {"error": {"message": "too big"}}, ("request_too_large", "too big")),
        (429, {"error": {"message": "slow"}}, ("rate_limit_error", "slow")),
        (500, {"error": {"message": "boom"}}, ("api_error", "boom")),
        (503, "Service Unavailable", ("api_error", "upstream returned HTTP 503")),
        (529, {"error": {"message": "busy"}}, ("overloaded_error", "busy")),
        (422, {"error": {"message": "odd"}}, ("invalid_request_error", "odd")),
    ],
)
def test_error_to_anthropic(status: int, body: Any, expected: tuple[str, str]) -> None:
    error_type, message = expected
    assert openai_error_to_anthropic(status, body) == {
        "type": "error",
        "error": {"type": error_type, "message": message},
    }
