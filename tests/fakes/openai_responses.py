"""The payloads of OpenAI's Responses API (``POST /v1/responses``): the response object
and the streamed event sequence, built from one ``ResponsesTurn``. ``OpenAIFake`` serves
them; this module only knows their shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.sse import encode_event
from tests.fakes.common import json_line
from tests.fakes.content import Reply, cached_tokens, count_prompt_tokens, text_of


@dataclass(frozen=True, slots=True)
class ResponsesTurn:
    """One answered Responses request: everything its payloads are made of."""

    body: Mapping[str, Any]
    response_id: str
    message_id: str
    created_at: int
    reply: Reply
    input_tokens: int
    reasoning_tokens: int

    @property
    def usage(self) -> dict[str, Any]:
        output_tokens = self.reply.num_tokens + self.reasoning_tokens
        return {
            "input_tokens": self.input_tokens,
            "input_tokens_details": {"cached_tokens": cached_tokens(self.input_tokens)},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": self.reasoning_tokens},
            "total_tokens": self.input_tokens + output_tokens,
        }


def input_texts(body: Mapping[str, Any]) -> tuple[list[str], str]:
    """The texts a Responses request carries (instructions first) and its last user text."""
    raw = body.get("input", "")
    items: list[Any] = [{"role": "user", "content": raw}] if isinstance(raw, str) else list(raw or [])
    texts = [str(body.get("instructions") or "")]
    user_text = ""
    for item in items:
        if not isinstance(item, Mapping):
            continue
        text = text_of(item.get("content", item.get("output", "")))
        texts.append(text)
        if item.get("role") == "user":
            user_text = text
    return texts, user_text


def prompt_tokens(body: Mapping[str, Any]) -> int:
    return count_prompt_tokens(input_texts(body)[0])


def response_object(turn: ResponsesTurn, *, is_complete: bool) -> dict[str, Any]:
    """The response object: final (``is_complete``) or as first announced in a stream."""
    body = turn.body
    return {
        "id": turn.response_id,
        "object": "response",
        "created_at": turn.created_at,
        "status": "completed" if is_complete else "in_progress",
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": body["model"],
        "output": [message_item(turn, is_complete=True)] if is_complete else [],
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None},
        "service_tier": "default",
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools", []),
        "top_p": body.get("top_p", 1.0),
        "truncation": "disabled",
        "usage": turn.usage if is_complete else None,
        "user": None,
        "metadata": body.get("metadata") or {},
    }


def message_item(turn: ResponsesTurn, *, is_complete: bool) -> dict[str, Any]:
    return {
        "id": turn.message_id,
        "type": "message",
        "status": "completed" if is_complete else "in_progress",
        "role": "assistant",
        "content": [_text_part(turn.reply.text)] if is_complete else [],
    }


def stream_events(turn: ResponsesTurn) -> tuple[list[bytes], list[bytes]]:
    """The streamed sequence as SSE (``event:`` and ``data:`` lines), split into the
    body and the terminal ``response.completed``."""
    events: list[tuple[str, dict[str, Any]]] = [
        ("response.created", {"response": response_object(turn, is_complete=False)}),
        ("response.in_progress", {"response": response_object(turn, is_complete=False)}),
        ("response.output_item.added", {"output_index": 0, "item": message_item(turn, is_complete=False)}),
        ("response.content_part.added", {**_part_position(turn), "part": _text_part("")}),
    ]
    events += [
        ("response.output_text.delta", {**_part_position(turn), "delta": piece, "logprobs": []})
        for piece in turn.reply.chunks
    ]
    events += [
        ("response.output_text.done", {**_part_position(turn), "text": turn.reply.text, "logprobs": []}),
        ("response.content_part.done", {**_part_position(turn), "part": _text_part(turn.reply.text)}),
        ("response.output_item.done", {"output_index": 0, "item": message_item(turn, is_complete=True)}),
        ("response.completed", {"response": response_object(turn, is_complete=True)}),
    ]
    encoded = [
        encode_event(json_line({"type": name, "sequence_number": number, **payload}), event=name)
        for number, (name, payload) in enumerate(events)
    ]
    return encoded[:-1], encoded[-1:]


def _part_position(turn: ResponsesTurn) -> dict[str, Any]:
    return {"item_id": turn.message_id, "output_index": 0, "content_index": 0}


def _text_part(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
