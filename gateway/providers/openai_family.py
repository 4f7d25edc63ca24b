"""The OpenAI wire format, spoken by OpenAI and every OpenAI-compatible provider
(Azure OpenAI, Groq, Mistral, OpenRouter, DeepSeek, xAI, Together, Fireworks,
Hugging Face, the local worker): chat completions, completions, Responses, embeddings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.providers.family import parse_json
from gateway.providers.usage import Usage, as_int, merge
from gateway.sse import SSEEvent
from gateway.translate.openai_response import error_body

# Responses-API stream events that end a stream (failed/incomplete still end it).
_RESPONSES_TERMINAL = {"response.completed", "response.incomplete", "response.failed"}


class OpenAIFamily:
    name = "openai"

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        return error_body(status, message)

    def usage_from_json(self, body: Any) -> Usage:
        if not isinstance(body, dict):
            return Usage()
        if body.get("object") == "response":  # Responses API
            return _responses_usage(Usage(complete=True), body)
        return Usage(*_chat_fields(body), complete=True)  # the common case, built in one step

    def usage_from_events(self, events: Iterable[SSEEvent]) -> Usage:
        usage = Usage()
        for event in events:
            if event.data == "[DONE]":
                usage = merge(usage, complete=True)
                continue
            data = parse_json(event.data)
            if not isinstance(data, dict):
                continue
            kind = data.get("type")
            if isinstance(kind, str) and kind.startswith("response."):
                response = data.get("response")
                if isinstance(response, dict):
                    usage = _responses_usage(usage, response)
                if kind in _RESPONSES_TERMINAL:
                    usage = merge(usage, complete=True)
            else:
                usage = _chat_usage(usage, data)
        return usage


def _chat_usage(usage: Usage, body: dict[str, Any]) -> Usage:
    """Chat completions, completions and embeddings (objects and stream chunks)."""
    model, input_tokens, output_tokens, cached, reasoning, finish = _chat_fields(body)
    return merge(
        usage,
        model=model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached,
        reasoning_tokens=reasoning,
        finish_reason=finish,
    )


def _chat_fields(
    body: dict[str, Any],
) -> tuple[str | None, int | None, int | None, int | None, int | None, str | None]:
    finish = None
    choices = body.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        finish = choices[0].get("finish_reason")
    model = body.get("model")
    counts = body.get("usage")
    if not isinstance(counts, dict):
        return (
            model if isinstance(model, str) else None,
            None,
            None,
            None,
            None,
            finish if isinstance(finish, str) else None,
        )
    prompt_details = counts.get("prompt_tokens_details")
    completion_details = counts.get("completion_tokens_details")
    return (
        model if isinstance(model, str) else None,
        as_int(counts.get("prompt_tokens")),
        as_int(counts.get("completion_tokens")),
        as_int(prompt_details.get("cached_tokens")) if isinstance(prompt_details, dict) else None,
        as_int(completion_details.get("reasoning_tokens")) if isinstance(completion_details, dict) else None,
        finish if isinstance(finish, str) else None,
    )


def _responses_usage(usage: Usage, body: dict[str, Any]) -> Usage:
    counts = body.get("usage")
    if not isinstance(counts, dict):
        counts = {}
    input_details = counts.get("input_tokens_details") or {}
    output_details = counts.get("output_tokens_details") or {}
    status = body.get("status")
    return merge(
        usage,
        model=body.get("model") if isinstance(body.get("model"), str) else None,
        input_tokens=as_int(counts.get("input_tokens")),
        output_tokens=as_int(counts.get("output_tokens")),
        cached_tokens=as_int(input_details.get("cached_tokens")) if isinstance(input_details, dict) else None,
        reasoning_tokens=(as_int(output_details.get("reasoning_tokens")) if isinstance(output_details, dict) else None),
        finish_reason=status if isinstance(status, str) and status != "in_progress" else None,
    )
