"""Anthropic Messages stream events to OpenAI `chat.completion.chunk` dicts.

Anthropic streams typed events (message_start, content_block_start/delta/stop,
message_delta, message_stop); OpenAI streams flat chunks. Text maps one-to-one. A
`tool_use` block becomes one `delta.tool_calls` entry: its start carries id and name,
each `input_json_delta` one argument fragment, indexed by the call's position among the
message's tool calls (not by Anthropic's block index, which also counts text blocks).

An `error` event becomes an OpenAI error object `{"error": {...}}` in the returned list:
the shape OpenAI itself sends mid-stream, which the OpenAI SDKs raise as an APIError.
The gateway can also read it from `error`. Nothing is raised for it.
"""

from __future__ import annotations

from typing import Any

from gateway.sse import SSEEvent
from gateway.translate.anthropic import ANTHROPIC_ERROR_STATUS, anthropic_error_to_openai, anthropic_usage
from gateway.translate.errors import TranslationError
from gateway.translate.fields import as_dict, as_str, load_event_json, nested_str, opt_dict
from gateway.translate.finish_reasons import ANTHROPIC_TO_OPENAI, map_reason
from gateway.translate.openai_response import tool_call_fragment, tool_call_start
from gateway.translate.to_openai_stream import ToOpenAIStream


class AnthropicToOpenAIStream(ToOpenAIStream):
    """Feed it each parsed SSE event of one Anthropic stream, in order; complete at `message_stop`."""

    def __init__(self, model: str, created: int, include_usage: bool = False) -> None:
        super().__init__(model, created, include_usage)
        self._tool_indexes: dict[int, int] = {}  # Anthropic block index -> OpenAI tool_calls index
        self._usage: dict[str, Any] = {}

    def feed(self, event: SSEEvent) -> list[dict[str, Any]]:
        payload = load_event_json(event.data, f"{event.event or 'event'}.data")
        kind = payload.get("type", event.event)
        match kind:
            case "message_start":
                return self._message_start(payload)
            case "content_block_start":
                return self._block_start(payload)
            case "content_block_delta":
                return self._block_delta(payload)
            case "message_delta":
                return self._message_delta(payload)
            case "message_stop":
                self._is_complete = True
                return [self._chunks.usage(anthropic_usage(self._usage))] if self._include_usage else []
            case "error":
                status = ANTHROPIC_ERROR_STATUS.get(nested_str(payload, "error", "type") or "", 500)
                return self._fail(anthropic_error_to_openai(status, payload))
        # ping, content_block_stop, and event types added after this was written carry
        # nothing an OpenAI client can use.
        return []

    def _message_start(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        message = as_dict(payload.get("message"), "message_start.message")
        self._chunks.completion_id = as_str(message.get("id"), "message_start.message.id")
        self._merge_usage(opt_dict(message, "usage", "message_start.message.usage"))
        return [self._chunks.delta({"role": "assistant", "content": ""})]

    def _block_start(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        index = _block_index(payload, "content_block_start.index")
        block = as_dict(payload.get("content_block"), "content_block_start.content_block")
        if block.get("type") == "text" and block.get("text"):
            return [self._chunks.delta({"content": as_str(block["text"], "content_block_start.content_block.text")})]
        if block.get("type") != "tool_use":
            return []  # thinking and server-tool blocks have no OpenAI counterpart
        tool_index = len(self._tool_indexes)
        self._tool_indexes[index] = tool_index
        call_id = as_str(block.get("id"), "content_block_start.content_block.id")
        name = as_str(block.get("name"), "content_block_start.content_block.name")
        return [self._chunks.delta({"tool_calls": [tool_call_start(tool_index, call_id, name)]})]

    def _block_delta(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        index = _block_index(payload, "content_block_delta.index")
        delta = as_dict(payload.get("delta"), "content_block_delta.delta")
        kind = delta.get("type")
        if kind == "text_delta":
            text = as_str(delta.get("text"), "content_block_delta.delta.text")
            return [self._chunks.delta({"content": text})] if text else []
        if kind != "input_json_delta":
            return []  # thinking, signature and citation deltas
        fragment = as_str(delta.get("partial_json"), "content_block_delta.delta.partial_json")
        if index not in self._tool_indexes:
            raise TranslationError("content_block_delta.index", f"no tool_use block was started at index {index}")
        if not fragment:
            return []  # Anthropic opens every tool input with an empty fragment
        fragment_delta = tool_call_fragment(self._tool_indexes[index], fragment)
        return [self._chunks.delta({"tool_calls": [fragment_delta]})]

    def _message_delta(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        delta = as_dict(payload.get("delta"), "message_delta.delta")
        self._merge_usage(opt_dict(payload, "usage", "message_delta.usage"))
        stop_reason = delta.get("stop_reason")
        finish = map_reason(ANTHROPIC_TO_OPENAI, stop_reason if isinstance(stop_reason, str) else None, "stop")
        return [self._chunks.delta({}, finish_reason=finish)]

    def _merge_usage(self, usage: dict[str, Any] | None) -> None:
        # message_delta's counters are cumulative and arrive after message_start's, so
        # the later value of each counter wins.
        if usage is not None:
            self._usage.update({key: value for key, value in usage.items() if isinstance(value, int)})


def _block_index(payload: dict[str, Any], path: str) -> int:
    index = payload.get("index")
    if isinstance(index, bool) or not isinstance(index, int):
        raise TranslationError(path, "expected an integer block index")
    return index
