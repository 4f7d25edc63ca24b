"""Exchanges for log tests: a finished request as the dispatcher would publish it."""

from __future__ import annotations

import time
from typing import Any

from gateway.exchange import Attempt, Exchange
from gateway.logs.ids import uuid7
from gateway.providers.usage import Usage


def exchange(**overrides: Any) -> Exchange:
    now = overrides.pop("started_at", time.time())
    values: dict[str, Any] = {
        "gateway": "default",
        "provider": "openai",
        "endpoint": "passthrough",
        "method": "POST",
        "path": "/v1/default/openai/chat/completions",
        "status": 200,
        "started_at": now,
        "duration": 0.120,
        "ttfb": 0.080,
        "streamed": False,
        "usage": Usage("gpt-4o-mini", 12, 7, 0, 0, "stop", True),
        "request_body": b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}',
        "response_body": b'{"choices":[{"message":{"content":"hi there"}}]}',
        "log_id": uuid7(),
        "attempts": (Attempt("openai", None, now, 200, 0.07),),
    }
    values.update(overrides)
    return Exchange(**values)
