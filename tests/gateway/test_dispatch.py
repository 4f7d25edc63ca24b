"""dispatch(): every call ends as one Exchange, defects included."""

from __future__ import annotations

import aiohttp
import pytest

import gateway.passthrough
from tests.harness import Stack


async def test_a_defect_is_a_json_500_in_the_callers_format_and_is_recorded(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(*args: object) -> None:
        raise RuntimeError("secret internals sk-123")

    monkeypatch.setattr(gateway.passthrough, "relay", explode)
    async with (
        aiohttp.ClientSession() as session,
        session.post(stack.url("/v1/default/anthropic/v1/messages"), json={}, headers={"x-api-key": "k"}) as r,
    ):
        body = await r.json()
    assert r.status == 500
    assert body == {
        "type": "error",
        "error": {"type": "api_error", "message": "internal gateway error; the request was not completed"},
    }
    assert stack.exchanges[-1].status == 500
