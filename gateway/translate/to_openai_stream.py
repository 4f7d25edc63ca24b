"""What every provider-to-OpenAI stream translator keeps, whatever the provider's wire format.

A translator is fed one upstream stream's parsed SSE events in order and returns OpenAI
`chat.completion.chunk` dicts; `finish()` is called once when the upstream body ends.
The subclasses in `anthropic_stream`, `cohere_stream` and `gemini_stream` read their
provider's events; this base holds the chunk builder, the client's usage request, and
the two facts the gateway asks about the stream afterwards: whether it was complete and
which error, if any, the upstream sent inside it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from gateway.sse import SSEEvent
from gateway.translate.openai_response import ChunkBuilder


class ToOpenAIStream(ABC):
    """One upstream stream's events in, OpenAI chunks out."""

    def __init__(self, model: str, created: int, include_usage: bool, completion_id: str = "") -> None:
        # completion_id is a placeholder most upstreams replace with their own from their first event.
        self._chunks = ChunkBuilder(completion_id, created, model)
        self._include_usage = include_usage
        self._is_complete = False
        self._error: dict[str, Any] | None = None

    @property
    def is_complete(self) -> bool:
        """True once the upstream's final event arrived; false for a stream that was cut off."""
        return self._is_complete

    @property
    def error(self) -> dict[str, Any] | None:
        """The upstream's error event in OpenAI's error shape, if one arrived."""
        return self._error

    @abstractmethod
    def feed(self, event: SSEEvent) -> list[dict[str, Any]]:
        """The chunks (or the OpenAI error object) one upstream event becomes; often none."""

    def finish(self) -> list[dict[str, Any]]:
        """Called when the upstream body ends; a stream that buffers nothing has nothing left."""
        return []

    def _fail(self, error: dict[str, Any]) -> list[dict[str, Any]]:
        """Record an upstream error and pass it on: OpenAI sends `{"error": {...}}` mid-stream
        itself, and the OpenAI SDKs raise it as an APIError."""
        self._error = error
        return [error]
