"""Assembles the aiohttp application: routes, middlewares and the runtime's lifecycle."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence

import aiohttp
from aiohttp import web

from config import Config
from gateway.api_inspect import handle_inspect
from gateway.auth import build_verifiers
from gateway.errors import error_response
from gateway.exchange import ExchangeObserver
from gateway.health import healthz, metrics, readyz
from gateway.jwt_auth import JwtVerifier
from gateway.keystore import StoredKey, stored_keys
from gateway.logs import build_log_writer
from gateway.logs.api import add_log_routes
from gateway.metrics import Metrics
from gateway.pricing import Pricing
from gateway.providers import FAMILIES, build_providers
from gateway.response_cache import MemoryResponseCache, ResponseCache
from gateway.response_cache_redis import RedisResponseCache
from gateway.routes import add_routes
from gateway.runtime import CACHE_STATUS, LOG_ID, RUNTIME, Runtime
from gateway.state import MemoryState, StateBackend
from gateway.state_redis import RedisState
from policies import build_inspector
from policies.inspector import Inspector

log = logging.getLogger("weir")
_OPENAI = FAMILIES["openai"]
_NO_SUCH_ENDPOINT = (
    "no such endpoint; Weir serves /v1/{gateway}/{provider}/..., /v1/{gateway}/compat/chat/completions, "
    "/v1/{gateway}/compat/embeddings, /v1/{gateway}/compat/messages, GET /healthz, /readyz and /metrics"
)


def build_app(config: Config, observers: Sequence[ExchangeObserver] = ()) -> web.Application:
    app = web.Application(
        client_max_size=config.limits.max_request_body,
        handler_args={
            "max_line_size": config.limits.max_header_line,
            "max_field_size": config.limits.max_header_line,
            "max_headers": config.limits.max_header_count,
            # Bodies stay as the client encoded them: pass-through forwards them byte for
            # byte with their Content-Encoding, and gateway/codecs.py decodes (bounded)
            # where the gateway must read them.
            "auto_decompress": False,
        },
    )
    inspector = build_inspector(config.dlp, config.policy_rules)  # raises on a bad policy, before serving
    verifiers = build_verifiers(config)  # raises on a JWT setup that cannot work, before serving
    keys = stored_keys(config.keys.file, config.keys.secret_env)  # raises on an unreadable key file
    app.cleanup_ctx.append(_runtime_ctx(config, tuple(observers), inspector, verifiers, keys))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    app.on_response_prepare.append(_weir_headers)
    app.router.add_post("/api/inspect", handle_inspect)
    add_log_routes(app)  # /api/logs, /api/logs/{id}, /api/analytics, /api/sql
    add_routes(app)
    app.router.add_route("*", "/{path:.*}", _no_such_endpoint)  # last: JSON, not aiohttp's page
    return app


async def _weir_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``weir-log-id`` on every response that will have a log row, errors included, and
    ``weir-cache-status`` wherever the cache applied."""
    log_id = request.get(LOG_ID)
    if log_id is not None:
        response.headers["weir-log-id"] = log_id
    cache_status = request.get(CACHE_STATUS)
    if cache_status is not None:
        response.headers["weir-cache-status"] = cache_status
        response.headers["cf-aig-cache-status"] = cache_status


async def _no_such_endpoint(request: web.Request) -> web.Response:
    # The path is not echoed: a mistyped URL can carry a key.
    return error_response(_OPENAI, 404, _NO_SUCH_ENDPOINT)


def _runtime_ctx(
    config: Config,
    observers: tuple[ExchangeObserver, ...],
    inspector: Inspector | None,
    verifiers: Mapping[str, JwtVerifier],
    keys: Mapping[str, StoredKey],
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        metrics_ = Metrics()
        state, cache = _shared_state(config, metrics_)  # first: a bad redis_url stops the start with nothing open
        timeouts = config.timeouts
        connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300, keepalive_timeout=30)
        session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            # No sock_read: a per-read timer on every response costs ~12 µs a request
            # (measured); the relay arms the idle timeout on streams only.
            timeout=aiohttp.ClientTimeout(total=timeouts.upstream_total, sock_connect=timeouts.connect),
        )
        writer = build_log_writer(config)
        log_observers: tuple[ExchangeObserver, ...] = ()
        if writer is not None:
            metrics_.log_writer = writer
            writer.start()
            log_observers = (writer.submit,)
        app[RUNTIME] = Runtime(
            config=config,
            providers=build_providers(config),
            session=session,
            metrics=metrics_,
            observers=(metrics_.observe, *log_observers, *observers),
            inspector=inspector,
            log_writer=writer,
            verifiers=verifiers,
            stored_keys=keys,
            pricing=Pricing(config.pricing),
            cache=cache,
            state=state,
        )
        if isinstance(state, RedisState):
            await state.ping()  # an unreachable Redis is logged at start, not first at a request
        yield
        await session.close()
        await state.close()
        if writer is not None:
            await asyncio.get_running_loop().run_in_executor(None, writer.stop)

    return ctx


def _shared_state(config: Config, metrics_: Metrics) -> tuple[StateBackend, ResponseCache | None]:
    """Limits, budgets and the cache: in this process, or in Redis for every process."""
    if config.state.backend == "memory":
        memory = MemoryResponseCache(config.cache.max_bytes, config.cache.max_entry) if config.cache.enabled else None
        return MemoryState(), memory
    state = RedisState.from_config(config.state)
    metrics_.registry.register(state.health)
    shared = RedisResponseCache(state.client, config.state.key_prefix, config.cache.max_entry, state.health)
    return state, shared if config.cache.enabled else None
