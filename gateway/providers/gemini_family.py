"""Google's Gemini (AI Studio) wire format: errors and usage (plain and streamed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gateway.providers.family import parse_json
from gateway.providers.usage import Usage, as_int, merge
from gateway.sse import SSEEvent

# Google's canonical status names for the HTTP statuses the gateway itself produces.
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    413: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class GeminiFamily:
    name = "gemini"

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        name = _STATUS_NAMES.get(status, "INTERNAL" if status >= 500 else "FAILED_PRECONDITION")
        return {"error": {"code": status, "message": message, "status": name}}

    def usage_from_json(self, body: Any) -> Usage:
        if isinstance(body, list):  # streamGenerateContent without alt=sse: a JSON array
            usage = Usage()
            for item in body:
                usage = _chunk(usage, item)
            return usage
        return merge(_chunk(Usage(), body), complete=isinstance(body, dict) and "candidates" in body)

    def usage_from_events(self, events: Iterable[SSEEvent]) -> Usage:
        usage = Usage()
        for event in events:
            usage = _chunk(usage, parse_json(event.data))
        return usage


def _chunk(usage: Usage, body: Any) -> Usage:
    """Fold one GenerateContentResponse (whole or a stream chunk) into ``usage``."""
    if not isinstance(body, dict):
        return usage
    finish = None
    candidates = body.get("candidates")
    if isinstance(candidates, list) and candidates and isinstance(candidates[0], dict):
        finish = candidates[0].get("finishReason")
    counts = body.get("usageMetadata")
    if not isinstance(counts, dict):
        counts = {}
    candidates_tokens = as_int(counts.get("candidatesTokenCount"))
    thoughts = as_int(counts.get("thoughtsTokenCount"))
    output = None if candidates_tokens is None and thoughts is None else (candidates_tokens or 0) + (thoughts or 0)
    finish_reason = finish if isinstance(finish, str) else None
    return merge(
        usage,
        model=body.get("modelVersion") if isinstance(body.get("modelVersion"), str) else None,
        input_tokens=as_int(counts.get("promptTokenCount")),
        output_tokens=output,
        cached_tokens=as_int(counts.get("cachedContentTokenCount")),
        reasoning_tokens=thoughts,
        finish_reason=finish_reason,
        # Gemini has no terminal event: the chunk that carries finishReason is the last.
        complete=True if finish_reason is not None else None,
    )
