from __future__ import annotations

from typing import Any

import pytest

from gateway.translate.cohere import cohere_error_to_openai, cohere_response_to_openai, openai_request_to_cohere
from gateway.translate.errors import TranslationError, UpstreamError

WEATHER_SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
WEATHER_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "description": "Weather for a city", "parameters": WEATHER_SCHEMA},
}
TIME_TOOL = {"type": "function", "function": {"name": "now"}}


def user(content: Any) -> dict[str, Any]:
    return {"role": "user", "content": content}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            {
                "model": "command-a-03-2025",
                "messages": [{"role": "developer", "content": "Be brief."}, user("Hi")],
                "max_completion_tokens": 30,
                "temperature": 0.3,
                "top_p": 0.9,
                "stop": "END",
                "seed": 1,
                "frequency_penalty": 0.1,
                "stream": True,
            },
            {
                "model": "command-a-03-2025",
                "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
                "max_tokens": 30,
                "temperature": 0.3,
                "p": 0.9,
                "frequency_penalty": 0.1,
                "stop_sequences": ["END"],
                "seed": 1,
                "stream": True,
            },
            id="system-sampling-stop-stream",
        ),
        pytest.param(
            {
                "model": "command-a-vision-07-2025",
                "messages": [
                    user(
                        [
                            {"type": "text", "text": "What is this?"},
                            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0K"}},
                        ]
                    ),
                    {"role": "assistant", "content": "A cat."},
                    user("Sure?"),
                ],
            },
            {
                "model": "command-a-vision-07-2025",
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "What is this?"},
                            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0K"}},
                        ],
                    },
                    {"role": "assistant", "content": "A cat."},
                    {"role": "user", "content": "Sure?"},
                ],
            },
            id="multi-turn-with-images",
        ),
        pytest.param(
            {
                "model": "m",
                "messages": [user("Hi")],
                "response_format": {"type": "json_schema", "json_schema": {"name": "a", "schema": WEATHER_SCHEMA}},
            },
            {
                "model": "m",
                "messages": [{"role": "user", "content": "Hi"}],
                "response_format": {"type": "json_object", "json_schema": WEATHER_SCHEMA},
            },
            id="json-schema",
        ),
    ],
)
def test_request(body: dict[str, Any], expected: dict[str, Any]) -> None:
    assert openai_request_to_cohere(body) == expected


def test_request_tool_calls_and_results() -> None:
    body = {
        "model": "m",
        "tools": [WEATHER_TOOL],
        "messages": [
            user("Paris?"),
            {
                "role": "assistant",
                "content": "I will look it up.",
                "tool_calls": [
                    {
                        "id": "get_weather_x1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "get_weather_x1", "content": "18C"},
        ],
    }
    assert openai_request_to_cohere(body) == {
        "model": "m",
        "tools": [
            {
                "type": "function",
                "function": {"name": "get_weather", "description": "Weather for a city", "parameters": WEATHER_SCHEMA},
            }
        ],
        "messages": [
            {"role": "user", "content": "Paris?"},
            {
                "role": "assistant",
                "tool_plan": "I will look it up.",
                "tool_calls": [
                    {
                        "id": "get_weather_x1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "get_weather_x1", "content": "18C"},
        ],
    }


@pytest.mark.parametrize(
    ("tool_choice", "expected_choice", "expected_tools"),
    [
        ("auto", None, ["get_weather", "now"]),
        ("none", "NONE", ["get_weather", "now"]),
        ("required", "REQUIRED", ["get_weather", "now"]),
        ({"type": "function", "function": {"name": "now"}}, "REQUIRED", ["now"]),
    ],
)
def test_request_tool_choice(tool_choice: Any, expected_choice: str | None, expected_tools: list[str]) -> None:
    body = {"model": "m", "tools": [WEATHER_TOOL, TIME_TOOL], "tool_choice": tool_choice, "messages": [user("Hi")]}
    request = openai_request_to_cohere(body)
    assert request.get("tool_choice") == expected_choice
    assert [tool["function"]["name"] for tool in request["tools"]] == expected_tools


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {
                "model": "m",
                "tools": [WEATHER_TOOL],
                "tool_choice": {"type": "function", "function": {"name": "x"}},
                "messages": [user("Hi")],
            },
            'tool_choice.function.name: no tool named "x" in tools',
        ),
        (
            {
                "model": "m",
                "messages": [user([{"type": "file", "file": {"file_data": "data:application/pdf;base64,JV"}}])],
            },
            'messages[0].content: Cohere does not accept "file" content parts',
        ),
        ({"model": "m", "n": 3, "messages": [user("Hi")]}, "n: Cohere returns one choice per request; got 3"),
        (
            {"model": "m", "messages": [user([{"type": "input_audio", "input_audio": {}}])]},
            'messages[0].content[0].type: unsupported content part "input_audio"',
        ),
        ({"model": "m", "messages": [user("Hi")], "stop": [1]}, "stop[0]: expected a string, got 1"),
    ],
)
def test_request_rejects_invalid_input_naming_the_field(body: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        openai_request_to_cohere(body)
    assert str(excinfo.value) == message


def cohere_reply(message: dict[str, Any], finish_reason: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
        "finish_reason": finish_reason,
        "message": {"role": "assistant", **message},
        "usage": usage
        if usage is not None
        else {
            "billed_units": {"input_tokens": 5, "output_tokens": 9},
            "tokens": {"input_tokens": 71, "output_tokens": 9},
        },
    }


@pytest.mark.parametrize(
    ("finish_reason", "expected"),
    [
        ("COMPLETE", "stop"),
        ("STOP_SEQUENCE", "stop"),
        ("MAX_TOKENS", "length"),
        ("TOOL_CALL", "tool_calls"),
        ("ERROR_TOXIC", "content_filter"),
    ],
)
def test_response_finish_reasons(finish_reason: str, expected: str) -> None:
    body = cohere_reply({"content": [{"type": "text", "text": "Hi"}]}, finish_reason)
    assert cohere_response_to_openai(body, "command-a", 1)["choices"][0]["finish_reason"] == expected


def test_response_text_and_usage_from_tokens() -> None:
    body = cohere_reply(
        {"content": [{"type": "thinking", "thinking": "hm"}, {"type": "text", "text": "Hello!"}]}, "COMPLETE"
    )
    assert cohere_response_to_openai(body, "command-a", 1_700_000_000) == {
        "id": "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "command-a",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello!", "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 71, "completion_tokens": 9, "total_tokens": 80},
    }


def test_response_tool_calls_with_tool_plan_as_content() -> None:
    message = {
        "tool_plan": "I will look up the weather.",
        "tool_calls": [
            {
                "id": "get_weather_1byjy32y4hvq",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Toronto"}'},
            },
        ],
    }
    usage = {"billed_units": {"input_tokens": 37, "output_tokens": 28}}
    result = cohere_response_to_openai(cohere_reply(message, "TOOL_CALL", usage), "command-a", 1)
    assert result["choices"][0]["message"] == {
        "role": "assistant",
        "content": "I will look up the weather.",
        "refusal": None,
        "tool_calls": [
            {
                "id": "get_weather_1byjy32y4hvq",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city":"Toronto"}'},
            },
        ],
    }
    assert result["usage"] == {"prompt_tokens": 37, "completion_tokens": 28, "total_tokens": 65}


def test_response_cached_tokens_are_reported() -> None:
    usage = {"tokens": {"input_tokens": 100, "output_tokens": 3}, "cached_tokens": 64}
    body = cohere_reply({"content": [{"type": "text", "text": "x"}]}, "COMPLETE", usage)
    assert cohere_response_to_openai(body, "m", 1)["usage"]["prompt_tokens_details"] == {"cached_tokens": 64}


def test_response_error_finish_raises_upstream_error() -> None:
    with pytest.raises(UpstreamError) as excinfo:
        cohere_response_to_openai(cohere_reply({"content": []}, "ERROR"), "m", 1)
    assert excinfo.value.status == 502
    assert excinfo.value.body == {
        "error": {
            "message": "Cohere ended the generation with finish_reason ERROR",
            "type": "api_error",
            "param": None,
            "code": "upstream_error",
        }
    }


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            400,
            {"message": "invalid request: message must not be empty"},
            ("invalid_request_error", "invalid request: message must not be empty"),
        ),
        (401, {"id": "x", "message": "invalid api token"}, ("authentication_error", "invalid api token")),
        (429, {"message": "trial key limit"}, ("rate_limit_error", "trial key limit")),
        (500, {"message": "internal server error"}, ("api_error", "internal server error")),
        (503, b"unavailable", ("api_error", "Cohere returned HTTP 503")),
    ],
)
def test_error_to_openai(status: int, body: Any, expected: tuple[str, str]) -> None:
    error_type, message = expected
    assert cohere_error_to_openai(status, body) == {
        "error": {"message": message, "type": error_type, "param": None, "code": None}
    }
