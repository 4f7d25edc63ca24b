"""Liveness, readiness and the Prometheus scrape endpoint.

With ``[state] backend = "redis"``, ``/readyz`` pings Redis and says in its body whether
it answered, but stays 200 either way: Redis is shared by every gateway, so failing
readiness would take all of them out of the load balancer at once, while rate limits
(fail open) and the cache (a miss) keep serving without it. Requests under a budget are
refused with a 503 of their own meanwhile; ``weir_redis_up`` and
``weir_redis_failures_total`` on ``/metrics`` are what to alert on.
"""

from __future__ import annotations

from aiohttp import web

from gateway.runtime import RUNTIME
from gateway.state_redis import RedisState


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    runtime = request.app.get(RUNTIME)
    if runtime is None or runtime.session.closed:
        return web.json_response({"status": "starting"}, status=503)
    if runtime.log_writer is not None and not runtime.log_writer.alive:
        return web.json_response({"status": "log writer stopped"}, status=503)
    if isinstance(runtime.state, RedisState):
        problem = await runtime.state.ping()
        redis = "ok" if problem is None else f"unreachable ({problem})"
        return web.json_response({"status": "ready", "redis": redis})
    return web.json_response({"status": "ready"})


async def metrics(request: web.Request) -> web.Response:
    body = request.app[RUNTIME].metrics.render()
    return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})
