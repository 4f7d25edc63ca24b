"""Providers whose API has no usage convention Weir reads (e.g. Replicate predictions):
pass-through only, errors in OpenAI's shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.providers.usage import Usage
from gateway.sse import SSEEvent
from gateway.translate.openai_response import error_body


class GenericFamily:
    name = "generic"

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        return error_body(status, message)

    def usage_from_json(self, body: Any) -> Usage:
        return Usage(
            model=body.get("model") if isinstance(body, dict) and isinstance(body.get("model"), str) else None,
            complete=True,
        )

    def usage_from_events(self, events: Iterable[SSEEvent]) -> Usage:
        return Usage(complete=any(event.event == "done" for event in events))
