"""The contract every API family module fulfils, and the shared error-type table.

A family is the wire format a group of providers speak (OpenAI-compatible, Anthropic
Messages, Gemini, Cohere). Providers themselves are data (``config/providers.toml``);
the family supplies the few functions that differ: how the key is sent, how errors
look, and how usage is read from plain and streamed responses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import orjson

from gateway.providers.usage import Usage
from gateway.sse import SSEEvent


class Family(Protocol):
    """What the gateway needs to know about one wire format."""

    name: str

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        """A gateway-made error in this family's own error shape."""
        ...

    def usage_from_json(self, body: Any) -> Usage:
        """Usage from a plain (non-streamed) JSON response body."""
        ...

    def usage_from_events(self, events: Iterable[SSEEvent]) -> Usage:
        """Usage from a streamed response's server-sent events."""
        ...


def parse_json(data: str | bytes) -> Any:
    """JSON or None: a provider's stream may carry non-JSON keep-alives."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
