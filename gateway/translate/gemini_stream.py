"""Gemini `streamGenerateContent?alt=sse` events to OpenAI `chat.completion.chunk` dicts.

Each Gemini event is a whole `GenerateContentResponse` holding only the new parts, so
every event maps to chunks on its own. A function call arrives complete in one part
(Gemini does not stream arguments), so it becomes one `delta.tool_calls` entry with id,
name and all arguments. `usageMetadata` is repeated, cumulatively, on events, so the
usage chunk is built from the last one seen, in `finish()`.

An `{"error": {...}}` event becomes an OpenAI error object in the returned list (what
OpenAI itself sends mid-stream; OpenAI SDKs raise it as an APIError) and in `error`.
"""

from __future__ import annotations

from typing import Any

from gateway.sse import SSEEvent
from gateway.translate.fields import as_dict, dump_json, load_event_json, nested_str, opt_list
from gateway.translate.finish_reasons import GEMINI_BLOCKED_PROMPT_FINISH
from gateway.translate.gemini import (
    candidate_finish,
    candidate_index,
    candidate_parts,
    gemini_error_to_openai,
    gemini_usage,
    response_id,
)
from gateway.translate.openai_response import tool_call_start
from gateway.translate.to_openai_stream import ToOpenAIStream


class GeminiToOpenAIStream(ToOpenAIStream):
    """Feed it each parsed SSE event of one Gemini stream, then call `finish()` once.

    Complete once an event carried a finish reason (or a prompt block).
    """

    def __init__(self, model: str, created: int, include_usage: bool = False) -> None:
        super().__init__(model, created, include_usage)
        self._tool_counts: dict[int, int] = {}  # candidate index -> tool calls sent so far
        self._usage_metadata: Any = None

    def feed(self, event: SSEEvent) -> list[dict[str, Any]]:
        payload = load_event_json(event.data, "event.data")
        if payload.get("error") is not None:
            code = payload["error"].get("code") if isinstance(payload["error"], dict) else None
            return self._fail(gemini_error_to_openai(code if isinstance(code, int) else 500, payload))
        if not self._chunks.completion_id:
            self._chunks.completion_id = response_id(payload)
        if payload.get("usageMetadata") is not None:
            self._usage_metadata = payload["usageMetadata"]
        chunks: list[dict[str, Any]] = []
        candidates = opt_list(payload, "candidates", "candidates") or []
        for position, raw in enumerate(candidates):
            chunks += self._candidate(as_dict(raw, f"candidates[{position}]"), position)
        if not candidates and nested_str(payload, "promptFeedback", "blockReason") is not None:
            self._is_complete = True
            chunks += self._open(0)
            chunks.append(self._chunks.delta({}, finish_reason=GEMINI_BLOCKED_PROMPT_FINISH))
        return chunks

    def finish(self) -> list[dict[str, Any]]:
        """The trailing usage chunk, when the client asked for one."""
        if not self._include_usage:
            return []
        return [self._chunks.usage(gemini_usage(self._usage_metadata))]

    def _candidate(self, candidate: dict[str, Any], position: int) -> list[dict[str, Any]]:
        index = candidate_index(candidate, position)
        chunks = self._open(index)
        texts, calls = candidate_parts(candidate, f"candidates[{position}]")
        if texts and "".join(texts):
            chunks.append(self._chunks.delta({"content": "".join(texts)}, index=index))
        if calls:
            first = self._tool_counts[index]
            self._tool_counts[index] += len(calls)
            entries = [
                tool_call_start(first + n, f"call_{first + n}", name, dump_json(args))
                for n, (name, args) in enumerate(calls)
            ]
            chunks.append(self._chunks.delta({"tool_calls": entries}, index=index))
        if candidate.get("finishReason"):
            self._is_complete = True
            finish = candidate_finish(candidate, has_tool_calls=self._tool_counts[index] > 0)
            chunks.append(self._chunks.delta({}, finish_reason=finish, index=index))
        return chunks

    def _open(self, index: int) -> list[dict[str, Any]]:
        """The role chunk that starts each choice, the first time the choice appears."""
        if index in self._tool_counts:
            return []
        self._tool_counts[index] = 0
        return [self._chunks.delta({"role": "assistant", "content": ""}, index=index)]
