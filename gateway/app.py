"""Assembles the aiohttp application: routes, middlewares and the runtime's lifecycle."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence

import aiohttp
from aiohttp import web

from config import Config
from gateway.errors import error_response
from gateway.exchange import ExchangeObserver
from gateway.health import healthz, metrics, readyz
from gateway.metrics import Metrics
from gateway.providers import FAMILIES, build_providers
from gateway.routes import add_routes
from gateway.runtime import RUNTIME, Runtime

log = logging.getLogger("weir")
_OPENAI = FAMILIES["openai"]
_ROUTING_ERRORS = {
    404: "no such endpoint; Weir serves /v1/{gateway}/{provider}/..., /v1/{gateway}/compat/chat/completions, "
    "/v1/{gateway}/compat/embeddings, /v1/{gateway}/compat/messages, /healthz, /readyz and /metrics",
    405: "method not allowed on this endpoint",
}


def build_app(config: Config, observers: Sequence[ExchangeObserver] = ()) -> web.Application:
    app = web.Application(
        client_max_size=config.limits.max_request_body,
        middlewares=[_json_errors],
        handler_args={
            "max_line_size": config.limits.max_header_line,
            "max_field_size": config.limits.max_header_line,
            "max_headers": config.limits.max_header_count,
        },
    )
    app.cleanup_ctx.append(_runtime_ctx(config, tuple(observers)))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    add_routes(app)
    return app


def _runtime_ctx(
    config: Config, observers: tuple[ExchangeObserver, ...]
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        timeouts = config.timeouts
        connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300, keepalive_timeout=30)
        session = aiohttp.ClientSession(connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar())
        metrics_ = Metrics()
        app[RUNTIME] = Runtime(
            config=config,
            providers=build_providers(config),
            session=session,
            metrics=metrics_,
            observers=(metrics_.observe, *observers),
            upstream_timeout=aiohttp.ClientTimeout(
                total=timeouts.upstream_total, sock_connect=timeouts.connect, sock_read=timeouts.upstream_read
            ),
        )
        yield
        await session.close()

    return ctx


@web.middleware
async def _json_errors(request: web.Request, handler: Callable[[web.Request], object]) -> web.StreamResponse:
    """Routing errors and unexpected failures as JSON, never an HTML page or a trace."""
    try:
        return await handler(request)  # type: ignore[misc, no-any-return]
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        # The path is not echoed: a mistyped URL can carry a key.
        message = _ROUTING_ERRORS.get(exc.status, exc.reason)
        return error_response(_OPENAI, exc.status, message)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path[:200])
        return error_response(_OPENAI, 500, "internal gateway error; the request was not completed")
