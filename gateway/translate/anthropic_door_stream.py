"""OpenAI `chat.completion.chunk` dicts to Anthropic Messages stream events.

The Anthropic SDKs check the event grammar: `message_start`, then for each content
block `content_block_start`, its deltas and `content_block_stop` (blocks never
interleave), then `message_delta` with the stop reason and usage, then `message_stop`.
OpenAI interleaves nothing either but never says when a part ends, so a block is closed
when the next one starts or the choice finishes.

OpenAI reports usage in a trailing chunk after the finish reason, so `message_delta`
is held back until `finish()` (called when the upstream body ends, normally after
`[DONE]`). A stream that ends before any finish reason gets an `error` event instead:
an Anthropic client must not mistake a cut-off answer for a complete one.
"""

from __future__ import annotations

from typing import Any

from gateway.sse import SSEEvent
from gateway.translate.anthropic_door import anthropic_usage_from_openai, openai_error_to_anthropic
from gateway.translate.errors import TranslationError
from gateway.translate.fields import as_dict, dump_json, nested_str, opt_dict, opt_list, opt_str
from gateway.translate.finish_reasons import OPENAI_TO_ANTHROPIC, map_reason


def anthropic_event(payload: dict[str, Any]) -> SSEEvent:
    return SSEEvent(data=dump_json(payload), event=payload["type"])


class OpenAIToAnthropicStream:
    """Feed it each decoded chunk of one OpenAI stream, then call `finish()` once."""

    def __init__(self, model: str) -> None:
        self._model = model
        self._is_started = False
        self._is_finished = False
        self._next_block = 0
        self._open_block: int | None = None
        self._open_kind: str | None = None
        self._tool_blocks: dict[int, int] = {}  # OpenAI tool_calls index -> Anthropic block index
        self._stop_reason: str | None = None
        self._usage: dict[str, Any] | None = None

    @property
    def is_complete(self) -> bool:
        """True once the upstream sent a finish reason."""
        return self._stop_reason is not None

    def feed(self, chunk: dict[str, Any]) -> list[SSEEvent]:
        if self._is_finished:
            return []
        if chunk.get("error") is not None:
            # OpenAI-compatible servers report mid-stream failures as `{"error": {...}}`.
            self._is_finished = True
            return [anthropic_event(openai_error_to_anthropic(500, chunk))]
        events = self._start(chunk)
        usage = opt_dict(chunk, "usage", "usage")
        if usage is not None:
            self._usage = usage
        for index, raw in enumerate(opt_list(chunk, "choices", "choices") or []):
            choice = as_dict(raw, f"choices[{index}]")
            # Anthropic has one message per response; extra choices (n > 1) are dropped.
            if choice.get("index", 0) == 0:
                events += self._choice(choice, f"choices[{index}]")
        return events

    def finish(self) -> list[SSEEvent]:
        if self._is_finished:
            return []
        self._is_finished = True
        events = self._close_block()
        if self._stop_reason is None:
            error = {
                "type": "api_error",
                "message": "the upstream stream ended before the message was complete",
            }
            return [*events, anthropic_event({"type": "error", "error": error})]
        usage = anthropic_usage_from_openai(self._usage)
        delta = {"stop_reason": self._stop_reason, "stop_sequence": None}
        return [
            *events,
            anthropic_event({"type": "message_delta", "delta": delta, "usage": usage}),
            anthropic_event({"type": "message_stop"}),
        ]

    def _start(self, chunk: dict[str, Any]) -> list[SSEEvent]:
        if self._is_started:
            return []
        self._is_started = True
        message: dict[str, Any] = {
            "id": opt_str(chunk, "id", "id") or "msg_weir",
            "type": "message",
            "role": "assistant",
            "model": self._model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            # OpenAI reports prompt tokens only at the end; message_delta carries them.
            "usage": {"input_tokens": 0, "output_tokens": 0},
        }
        return [anthropic_event({"type": "message_start", "message": message})]

    def _choice(self, choice: dict[str, Any], path: str) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        delta = opt_dict(choice, "delta", f"{path}.delta") or {}
        for key in ("content", "refusal"):
            text = delta.get(key)
            if isinstance(text, str) and text:
                events += self._text(text)
        for index, raw in enumerate(opt_list(delta, "tool_calls", f"{path}.delta.tool_calls") or []):
            events += self._tool_call(
                as_dict(raw, f"{path}.delta.tool_calls[{index}]"), f"{path}.delta.tool_calls[{index}]"
            )
        finish = opt_str(choice, "finish_reason", f"{path}.finish_reason")
        if finish is not None:
            self._stop_reason = map_reason(OPENAI_TO_ANTHROPIC, finish, "end_turn")
            events += self._close_block()
        return events

    def _text(self, text: str) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        if self._open_kind != "text":
            events += self._open({"type": "text", "text": ""}, "text")
        delta = {"type": "text_delta", "text": text}
        return [
            *events,
            anthropic_event({"type": "content_block_delta", "index": self._open_block, "delta": delta}),
        ]

    def _tool_call(self, call: dict[str, Any], path: str) -> list[SSEEvent]:
        index = call.get("index")
        if not isinstance(index, int):
            # Some OpenAI-compatible servers omit the index; a call with an id is a new one.
            index = len(self._tool_blocks) if call.get("id") else max(self._tool_blocks, default=0)
        function = opt_dict(call, "function", f"{path}.function") or {}
        events: list[SSEEvent] = []
        if index not in self._tool_blocks:
            name = nested_str(call, "function", "name")
            if not name:
                raise TranslationError(f"{path}.function.name", "the first chunk of a tool call must name the function")
            block = {
                "type": "tool_use",
                "id": opt_str(call, "id", f"{path}.id") or f"call_{index}",
                "name": name,
                "input": {},
            }
            events += self._open(block, "tool_use")
            self._tool_blocks[index] = self._next_block - 1
        elif self._tool_blocks[index] != self._open_block:
            raise TranslationError(f"{path}.index", f"arguments for tool call {index} arrived after its block closed")
        arguments = function.get("arguments")
        if isinstance(arguments, str) and arguments:
            delta = {"type": "input_json_delta", "partial_json": arguments}
            events.append(anthropic_event({"type": "content_block_delta", "index": self._open_block, "delta": delta}))
        return events

    def _open(self, block: dict[str, Any], kind: str) -> list[SSEEvent]:
        events = self._close_block()
        self._open_block, self._open_kind = self._next_block, kind
        self._next_block += 1
        return [
            *events,
            anthropic_event({"type": "content_block_start", "index": self._open_block, "content_block": block}),
        ]

    def _close_block(self) -> list[SSEEvent]:
        if self._open_block is None:
            return []
        index, self._open_block, self._open_kind = self._open_block, None, None
        return [anthropic_event({"type": "content_block_stop", "index": index})]
