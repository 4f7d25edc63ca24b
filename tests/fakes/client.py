"""Reading a fake's answers the way a test client needs to: a streamed body as SSE
events, and those events' JSON payloads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import aiohttp

from gateway.sse import SSEEvent, SSEParser


async def read_sse(response: aiohttp.ClientResponse) -> list[SSEEvent]:
    """Every event of a streamed response, read as the bytes arrive."""
    parser = SSEParser()
    events: list[SSEEvent] = []
    async for chunk in response.content.iter_any():
        events += parser.feed(chunk)
    return events + parser.finish()


def payloads(events: Iterable[SSEEvent]) -> list[Any]:
    """The JSON data of ``events``; OpenAI's ``[DONE]`` sentinel is skipped."""
    return [json.loads(event.data) for event in events if event.data != "[DONE]"]
