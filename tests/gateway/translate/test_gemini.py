from __future__ import annotations

from typing import Any

import pytest

from gateway.translate.errors import TranslationError
from gateway.translate.gemini import gemini_error_to_openai, gemini_response_to_openai, openai_request_to_gemini

WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
WEATHER_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "description": "Weather for a city", "parameters": WEATHER_SCHEMA},
}


def user(content: Any) -> dict[str, Any]:
    return {"role": "user", "content": content}


def call(call_id: str, city: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": "get_weather", "arguments": f'{{"city":"{city}"}}'}}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            {"model": "gemini-2.5-flash", "messages": [{"role": "system", "content": "Be brief."}, user("Hi")]},
            (
                "generateContent",
                {
                    "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
                    "systemInstruction": {"parts": [{"text": "Be brief."}]},
                },
            ),
            id="system-prompt",
        ),
        pytest.param(
            {
                "model": "m",
                "stream": True,
                "messages": [user("One"), user("Two"), {"role": "assistant", "content": "Three"}, user("Four")],
            },
            (
                "streamGenerateContent",
                {
                    "contents": [
                        {"role": "user", "parts": [{"text": "One"}, {"text": "Two"}]},
                        {"role": "model", "parts": [{"text": "Three"}]},
                        {"role": "user", "parts": [{"text": "Four"}]},
                    ]
                },
            ),
            id="multi-turn-merged-and-streamed",
        ),
        pytest.param(
            {
                "model": "m",
                "messages": [
                    user(
                        [
                            {"type": "text", "text": "Describe"},
                            {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
                            {"type": "image_url", "image_url": {"url": "https://example.com/cat.PNG?size=large"}},
                            {"type": "image_url", "image_url": {"url": "https://example.com/render"}},
                            {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0="}},
                        ]
                    )
                ],
            },
            (
                "generateContent",
                {
                    "contents": [
                        {
                            "role": "user",
                            "parts": [
                                {"text": "Describe"},
                                {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/4AAQ"}},
                                {
                                    "fileData": {
                                        "mimeType": "image/png",
                                        "fileUri": "https://example.com/cat.PNG?size=large",
                                    }
                                },
                                {"fileData": {"fileUri": "https://example.com/render"}},
                                {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0="}},
                            ],
                        }
                    ]
                },
            ),
            id="images-base64-and-urls-and-pdf",
        ),
        pytest.param(
            {
                "model": "m",
                "messages": [user("Hi")],
                "max_tokens": 50,
                "temperature": 0.3,
                "top_p": 0.95,
                "stop": "END",
                "n": 2,
                "seed": 7,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "answer", "schema": {"type": "object", "properties": {}}},
                },
            },
            (
                "generateContent",
                {
                    "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
                    "generationConfig": {
                        "maxOutputTokens": 50,
                        "temperature": 0.3,
                        "topP": 0.95,
                        "stopSequences": ["END"],
                        "candidateCount": 2,
                        "seed": 7,
                        "responseMimeType": "application/json",
                        "responseJsonSchema": {"type": "object", "properties": {}},
                    },
                },
            ),
            id="generation-config",
        ),
        pytest.param(
            {"model": "m", "messages": [user("Hi")], "response_format": {"type": "json_object"}},
            (
                "generateContent",
                {
                    "contents": [{"role": "user", "parts": [{"text": "Hi"}]}],
                    "generationConfig": {"responseMimeType": "application/json"},
                },
            ),
            id="json-object",
        ),
    ],
)
def test_request(body: dict[str, Any], expected: tuple[str, dict[str, Any]]) -> None:
    assert openai_request_to_gemini(body) == expected


def test_request_tool_calls_and_results_look_up_names() -> None:
    body = {
        "model": "m",
        "tools": [WEATHER_TOOL, {"type": "function", "function": {"name": "now"}}],
        "messages": [
            user("Paris and Rome?"),
            {"role": "assistant", "content": None, "tool_calls": [call("call_0", "Paris"), call("call_1", "Rome")]},
            {"role": "tool", "tool_call_id": "call_0", "content": "18C"},
            {"role": "tool", "tool_call_id": "call_1", "content": "24C"},
            {"role": "assistant", "content": "Rome is warmer."},
        ],
    }
    method, request = openai_request_to_gemini(body)
    assert method == "generateContent"
    assert request == {
        "tools": [
            {
                "functionDeclarations": [
                    {
                        "name": "get_weather",
                        "description": "Weather for a city",
                        "parametersJsonSchema": WEATHER_SCHEMA,
                    },
                    {"name": "now"},
                ]
            }
        ],
        "contents": [
            {"role": "user", "parts": [{"text": "Paris and Rome?"}]},
            {
                "role": "model",
                "parts": [
                    {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}},
                ],
            },
            {
                "role": "user",
                "parts": [
                    {"functionResponse": {"name": "get_weather", "response": {"content": "18C"}}},
                    {"functionResponse": {"name": "get_weather", "response": {"content": "24C"}}},
                ],
            },
            {"role": "model", "parts": [{"text": "Rome is warmer."}]},
        ],
    }


def test_request_repeated_ids_resolve_to_the_latest_call() -> None:
    # Ids `call_0`… restart every Gemini turn; the lookup must follow the conversation.
    body = {
        "model": "m",
        "tools": [WEATHER_TOOL],
        "messages": [
            user("Go"),
            {"role": "assistant", "tool_calls": [call("call_0", "Paris")]},
            {"role": "tool", "tool_call_id": "call_0", "content": "a"},
            {
                "role": "assistant",
                "tool_calls": [
                    {"id": "call_0", "type": "function", "function": {"name": "now", "arguments": ""}},
                ],
            },
            {"role": "tool", "tool_call_id": "call_0", "content": "b"},
        ],
    }
    contents = openai_request_to_gemini(body)[1]["contents"]
    assert contents[-1]["parts"][0]["functionResponse"]["name"] == "now"
    assert contents[-2]["parts"][0]["functionCall"] == {"name": "now", "args": {}}


@pytest.mark.parametrize(
    ("tool_choice", "expected"),
    [
        ("auto", {"mode": "AUTO"}),
        ("none", {"mode": "NONE"}),
        ("required", {"mode": "ANY"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"mode": "ANY", "allowedFunctionNames": ["get_weather"]},
        ),
    ],
)
def test_request_tool_choice(tool_choice: Any, expected: dict[str, Any]) -> None:
    body = {"model": "m", "tools": [WEATHER_TOOL], "tool_choice": tool_choice, "messages": [user("Hi")]}
    assert openai_request_to_gemini(body)[1]["toolConfig"] == {"functionCallingConfig": expected}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"model": "m", "messages": [user("Hi"), {"role": "tool", "tool_call_id": "call_9", "content": "x"}]},
            'messages[1].tool_call_id: no earlier assistant tool call has id "call_9"',
        ),
        (
            {"model": "m", "messages": [user([{"type": "input_audio", "input_audio": {"data": "", "format": "wav"}}])]},
            'messages[0].content[0].type: unsupported content part "input_audio"',
        ),
        (
            {"model": "m", "messages": [{"role": "system", "content": "x"}]},
            "messages: Gemini needs at least one user or assistant message",
        ),
        ({"model": "m", "n": 0, "messages": [user("Hi")]}, "n: expected a positive integer, got 0"),
        (
            {"model": "m", "messages": [user("Hi")], "response_format": {"type": "xml"}},
            'response_format.type: unsupported response format "xml"',
        ),
        (
            {
                "model": "m",
                "messages": [
                    user("Hi"),
                    {
                        "role": "assistant",
                        "tool_calls": [
                            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{bad"}},
                        ],
                    },
                ],
            },
            "messages[1].tool_calls[0].function.arguments: invalid JSON "
            "(Expecting property name enclosed in double quotes at position 1)",
        ),
        ({"model": "m", "messages": [user("Hi")], "temperature": "hot"}, 'temperature: expected a number, got "hot"'),
    ],
)
def test_request_rejects_invalid_input_naming_the_field(body: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        openai_request_to_gemini(body)
    assert str(excinfo.value) == message


def gemini_reply(parts: list[dict[str, Any]], finish_reason: str, **usage: int) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "content": {"parts": parts, "role": "model"},
                "finishReason": finish_reason,
                "index": 0,
                "avgLogprobs": -0.1,
            }
        ],
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15, **usage},
        "modelVersion": "gemini-2.5-flash",
        "responseId": "mE4HaeOqJ8Gk1dkP",
    }


@pytest.mark.parametrize(
    ("finish_reason", "expected"),
    [
        ("STOP", "stop"),
        ("MAX_TOKENS", "length"),
        ("SAFETY", "content_filter"),
        ("RECITATION", "content_filter"),
        ("BLOCKLIST", "content_filter"),
        ("PROHIBITED_CONTENT", "content_filter"),
        ("OTHER", "stop"),
    ],
)
def test_response_finish_reasons(finish_reason: str, expected: str) -> None:
    result = gemini_response_to_openai(gemini_reply([{"text": "Hi"}], finish_reason), "gemini-2.5-flash", 1)
    assert result["choices"][0]["finish_reason"] == expected


def test_response_text_thoughts_function_calls_and_usage() -> None:
    body = gemini_reply(
        [
            {"text": "Planning the lookup.", "thought": True},
            {"text": "Checking "},
            {"text": "both."},
            {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
            {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}},
        ],
        "STOP",
        thoughtsTokenCount=30,
        cachedContentTokenCount=4,
    )
    assert gemini_response_to_openai(body, "gemini-2.5-flash", 1_700_000_000) == {
        "id": "mE4HaeOqJ8Gk1dkP",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gemini-2.5-flash",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "Checking both.",
                    "refusal": None,
                    "tool_calls": [
                        {
                            "id": "call_0",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                        },
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
                        },
                    ],
                },
                "logprobs": None,
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {
            "prompt_tokens": 10,
            "completion_tokens": 35,
            "total_tokens": 45,
            "prompt_tokens_details": {"cached_tokens": 4},
            "completion_tokens_details": {"reasoning_tokens": 30},
        },
    }


def test_response_several_candidates_become_choices() -> None:
    body = {
        "candidates": [
            {"content": {"parts": [{"text": "A"}], "role": "model"}, "finishReason": "STOP", "index": 0},
            {"content": {"parts": [{"text": "B"}], "role": "model"}, "finishReason": "MAX_TOKENS", "index": 1},
        ],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2},
    }
    choices = gemini_response_to_openai(body, "m", 0)["choices"]
    assert [(c["index"], c["message"]["content"], c["finish_reason"]) for c in choices] == [
        (0, "A", "stop"),
        (1, "B", "length"),
    ]


def test_response_blocked_prompt_has_no_candidates() -> None:
    body = {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8}}
    result = gemini_response_to_openai(body, "m", 0)
    assert result["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": None, "refusal": None},
            "logprobs": None,
            "finish_reason": "content_filter",
        }
    ]
    assert result["usage"]["prompt_tokens"] == 8


def test_response_safety_stop_without_content() -> None:
    body = {"candidates": [{"finishReason": "SAFETY", "index": 0, "safetyRatings": []}]}
    choice = gemini_response_to_openai(body, "m", 0)["choices"][0]
    assert (choice["message"]["content"], choice["finish_reason"]) == (None, "content_filter")


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            400,
            {"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}},
            {
                "error": {
                    "message": "API key not valid.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "INVALID_ARGUMENT",
                }
            },
        ),
        (
            429,
            [{"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}],
            {
                "error": {
                    "message": "Quota exceeded",
                    "type": "rate_limit_error",
                    "param": None,
                    "code": "RESOURCE_EXHAUSTED",
                }
            },
        ),
        (
            503,
            None,
            {"error": {"message": "Gemini returned HTTP 503", "type": "api_error", "param": None, "code": None}},
        ),
        (
            403,
            {"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}},
            {"error": {"message": "denied", "type": "permission_error", "param": None, "code": "PERMISSION_DENIED"}},
        ),
        (
            404,
            {"error": {"code": 404, "message": "no model", "status": "NOT_FOUND"}},
            {"error": {"message": "no model", "type": "not_found_error", "param": None, "code": "NOT_FOUND"}},
        ),
    ],
)
def test_error_to_openai(status: int, body: Any, expected: dict[str, Any]) -> None:
    assert gemini_error_to_openai(status, body) == expected
