"""Serving a fake: ``async with serve(app) as base_url`` runs an aiohttp application on a
free loopback port for the duration of the block."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

# Streams a test leaves hanging (a reset, a slow drip) must not hold up shutdown.
SHUTDOWN_TIMEOUT_S = 0.5


@asynccontextmanager
async def serve(app: web.Application, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Yield ``http://HOST:PORT`` for ``app`` served on an OS-chosen port."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, 0)
        await site.start()
        port = runner.addresses[0][1]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()
