"""Cohere v2 chat stream events to OpenAI `chat.completion.chunk` dicts.

Cohere's events (message-start, content-start/-delta/-end, tool-plan-delta,
tool-call-start/-delta/-end, citation-*, message-end) are named by the `type` in their
JSON, with the SSE event name as a fallback. `message-end` carries both the finish
reason and the usage, so nothing waits for `finish()`. A tool plan streams as content,
as in `cohere.cohere_response_to_openai`. Thinking deltas carry `thinking`, not `text`,
and are left out.

A generation that ends with ERROR becomes an OpenAI error object in the returned list
(what OpenAI sends mid-stream; OpenAI SDKs raise it as an APIError) and in `error`.
"""

from __future__ import annotations

from typing import Any

from gateway.sse import SSEEvent
from gateway.translate.cohere import COHERE_FAILURE_STATUS, cohere_usage
from gateway.translate.errors import TranslationError
from gateway.translate.fields import as_str, load_event_json, nested_dict, nested_str, opt_dict
from gateway.translate.finish_reasons import COHERE_ERRORS, COHERE_TO_OPENAI, map_reason
from gateway.translate.openai_response import error_body, tool_call_fragment, tool_call_start
from gateway.translate.to_openai_stream import ToOpenAIStream


class CohereToOpenAIStream(ToOpenAIStream):
    """Feed it each parsed SSE event of one Cohere stream, in order; complete at message-end."""

    def __init__(self, model: str, created: int, include_usage: bool = False) -> None:
        # Cohere's message-start may lack an id; chunks then keep this one.
        super().__init__(model, created, include_usage, completion_id="chatcmpl-weir")
        self._tool_indexes: dict[int, int] = {}  # Cohere tool-call index -> OpenAI tool_calls index
        self._last_tool: int | None = None

    def feed(self, event: SSEEvent) -> list[dict[str, Any]]:
        if event.data.strip() == "[DONE]":
            return []  # an OpenAI-style end sentinel carries nothing; tolerated, not an error
        payload = load_event_json(event.data, f"{event.event or 'event'}.data")
        match payload.get("type", event.event):
            case "message-start":
                self._chunks.completion_id = nested_str(payload, "id") or self._chunks.completion_id
                return [self._chunks.delta({"role": "assistant", "content": ""})]
            case "content-start" | "content-delta":
                return self._content(nested_str(payload, "delta", "message", "content", "text"))
            case "tool-plan-delta":
                return self._content(nested_str(payload, "delta", "message", "tool_plan"))
            case "tool-call-start":
                return self._tool_call_start(payload)
            case "tool-call-delta":
                return self._tool_call_delta(payload)
            case "message-end":
                return self._message_end(payload)
        return []  # content-end, tool-call-end, citations, debug

    def _content(self, text: str | None) -> list[dict[str, Any]]:
        return [self._chunks.delta({"content": text})] if text else []

    def _tool_call_start(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        path = "tool-call-start.delta.message.tool_calls"
        call = nested_dict(payload, "delta", "message", "tool_calls")
        if call is None:
            raise TranslationError(path, "expected the tool call being started")
        tool_index = len(self._tool_indexes)
        self._tool_indexes[_cohere_index(payload, tool_index)] = tool_index
        self._last_tool = tool_index
        call_id = as_str(call.get("id"), f"{path}.id")
        name = as_str(nested_str(call, "function", "name"), f"{path}.function.name")
        arguments = nested_str(call, "function", "arguments") or ""
        return [self._chunks.delta({"tool_calls": [tool_call_start(tool_index, call_id, name, arguments)]})]

    def _tool_call_delta(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        fragment = nested_str(payload, "delta", "message", "tool_calls", "function", "arguments")
        if not fragment:
            return []
        index = payload.get("index")
        tool_index = self._tool_indexes.get(index) if isinstance(index, int) else self._last_tool
        if tool_index is None:
            raise TranslationError("tool-call-delta.index", f"no tool call was started at index {index}")
        return [self._chunks.delta({"tool_calls": [tool_call_fragment(tool_index, fragment)]})]

    def _message_end(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        self._is_complete = True
        delta = opt_dict(payload, "delta", "message-end.delta") or {}
        reason = nested_str(delta, "finish_reason")
        if reason in COHERE_ERRORS:
            message = nested_str(delta, "error") or f"Cohere ended the generation with finish_reason {reason}"
            return self._fail(error_body(COHERE_FAILURE_STATUS, message, code="upstream_error"))
        chunks = [self._chunks.delta({}, finish_reason=map_reason(COHERE_TO_OPENAI, reason, "stop"))]
        if self._include_usage:
            chunks.append(self._chunks.usage(cohere_usage(opt_dict(delta, "usage", "message-end.delta.usage"))))
        return chunks


def _cohere_index(payload: dict[str, Any], fallback: int) -> int:
    index = payload.get("index")
    return index if isinstance(index, int) and not isinstance(index, bool) else fallback
