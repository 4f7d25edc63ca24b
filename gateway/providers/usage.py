"""What the gateway learns from a provider's response: model, tokens, finish reason."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Usage:
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int | None = None
    reasoning_tokens: int | None = None
    finish_reason: str | None = None
    # A stream counts as complete only when its terminal event arrived ([DONE],
    # message_stop, response.completed, a chunk with finishReason, message-end).
    # A plain (non-streamed) response is complete when it parsed.
    complete: bool = False


def as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def merge(base: Usage, **changes: object) -> Usage:
    """``base`` with every change that is not None applied (stream events refine usage)."""
    fields = {k: v for k, v in changes.items() if v is not None}
    if not fields:
        return base
    return replace(base, **fields)  # type: ignore[arg-type]
