"""Where the generated text sits in each family's stream events, to read and rewrite it.

DLP inspects a streamed answer's text as it arrives and, to redact, rewrites the text
inside an event while leaving the rest of the event as the provider sent it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class StreamText:
    get: Callable[[Any], str | None]
    put: Callable[[Any, str], Any]  # a copy of the event payload with its text replaced


def _dig(data: Any, *path: str | int) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _openai_get(data: Any) -> str | None:
    if isinstance(data, dict) and data.get("type") == "response.output_text.delta":  # Responses API
        delta = data.get("delta")
        return delta if isinstance(delta, str) else None
    text = _dig(data, "choices", 0, "delta", "content")
    if text is None:
        text = _dig(data, "choices", 0, "text")  # legacy completions
    return text if isinstance(text, str) else None


def _openai_put(data: Any, text: str) -> Any:
    if data.get("type") == "response.output_text.delta":
        return {**data, "delta": text}
    choice = dict(data["choices"][0])
    if isinstance(_dig(choice, "delta", "content"), str):
        choice["delta"] = {**choice["delta"], "content": text}
    else:
        choice["text"] = text
    return {**data, "choices": [choice, *data["choices"][1:]]}


def _anthropic_get(data: Any) -> str | None:
    if _dig(data, "type") == "content_block_delta" and _dig(data, "delta", "type") == "text_delta":
        text = _dig(data, "delta", "text")
        return text if isinstance(text, str) else None
    return None


def _anthropic_put(data: Any, text: str) -> Any:
    return {**data, "delta": {**data["delta"], "text": text}}


def _gemini_parts(data: Any) -> list[Any]:
    parts = _dig(data, "candidates", 0, "content", "parts")
    return parts if isinstance(parts, list) else []


def _gemini_get(data: Any) -> str | None:
    texts = [p["text"] for p in _gemini_parts(data) if isinstance(p, dict) and isinstance(p.get("text"), str)]
    return "".join(texts) if texts else None


def _gemini_put(data: Any, text: str) -> Any:
    parts, placed = [], False
    for part in _gemini_parts(data):
        if isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append({**part, "text": "" if placed else text})
            placed = True
        else:
            parts.append(part)
    candidate = {**data["candidates"][0], "content": {**data["candidates"][0]["content"], "parts": parts}}
    return {**data, "candidates": [candidate, *data["candidates"][1:]]}


def _cohere_get(data: Any) -> str | None:
    if _dig(data, "type") != "content-delta":
        return None
    text = _dig(data, "delta", "message", "content", "text")
    return text if isinstance(text, str) else None


def _cohere_put(data: Any, text: str) -> Any:
    message = data["delta"]["message"]
    return {**data, "delta": {**data["delta"], "message": {**message, "content": {**message["content"], "text": text}}}}


_OPENAI = StreamText(_openai_get, _openai_put)
STREAM_TEXT: Mapping[str, StreamText] = MappingProxyType(
    {
        "openai": _OPENAI,
        "azure-openai": _OPENAI,
        "generic": _OPENAI,
        "anthropic": StreamText(_anthropic_get, _anthropic_put),
        "gemini": StreamText(_gemini_get, _gemini_put),
        "cohere": StreamText(_cohere_get, _cohere_put),
    }
)
