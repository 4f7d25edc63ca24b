"""What every request needs, opened once per app: config, providers, the pooled
upstream session, metrics and the exchange observers. Lives at ``app[RUNTIME]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from config import Config, GatewayConfig
from gateway.exchange import Exchange, ExchangeObserver
from gateway.jwt_auth import JwtVerifier
from gateway.keystore import StoredKey
from gateway.logs.writer import LogWriter
from gateway.metrics import Metrics
from gateway.pricing import Pricing
from gateway.providers import Provider
from gateway.response_cache import ResponseCache
from gateway.state import MemoryState, StateBackend
from policies.inspector import Inspector


@dataclass(frozen=True, slots=True)
class Runtime:
    config: Config
    providers: Mapping[str, Provider]
    session: aiohttp.ClientSession
    metrics: Metrics
    observers: tuple[ExchangeObserver, ...]
    inspector: Inspector | None  # None when DLP is off
    log_writer: LogWriter | None = None  # None when [logs] enabled = false
    verifiers: Mapping[str, JwtVerifier] = field(default_factory=dict)  # gateway -> its [auth.jwt]
    cache: ResponseCache | None = None  # None when [cache] enabled = false
    stored_keys: Mapping[str, StoredKey] = field(default_factory=dict)  # provider -> key to inject
    state: StateBackend = field(default_factory=MemoryState)  # rate-limit windows and budget ledgers
    pricing: Pricing = field(default_factory=lambda: Pricing({}))

    def gateway(self, name: str) -> GatewayConfig | None:
        return self.config.gateways.get(name)

    def provider(self, gateway: GatewayConfig, name: str) -> Provider | None:
        if gateway.providers and name not in gateway.providers:
            return None
        return self.providers.get(name)

    # Unknown names are not echoed back: a misplaced key in a URL must not come back in
    # an error body. The configured names are listed instead, which is what helps.
    def unknown_gateway_message(self) -> str:
        return f"unknown gateway; configured gateways: {', '.join(sorted(self.config.gateways))}"

    def unknown_provider_message(self, gateway_name: str) -> str:
        gateway = self.config.gateways[gateway_name]
        names = gateway.providers or tuple(sorted(self.providers))
        return f"unknown provider on gateway {gateway_name!r}; its providers: {', '.join(names)}"

    def publish(self, exchange: Exchange) -> None:
        for observer in self.observers:
            observer(exchange)


RUNTIME = web.AppKey("runtime", Runtime)
LOG_ID = web.RequestKey("weir.log_id", str)  # for the weir-log-id response header
CACHE_STATUS = web.RequestKey("weir.cache_status", str)  # for weir-cache-status
