"""Runs a real gateway in-process against the provider fakes, on loopback ports."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace

from aiohttp import web

from config import Config, ServerConfig, parse_config
from gateway.app import build_app
from gateway.exchange import Exchange
from gateway.server import server_kwargs
from tests.fakes.anthropic import AnthropicFake
from tests.fakes.cohere import CohereFake
from tests.fakes.gemini import GeminiFake
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import serve


@asynccontextmanager
async def running_gateway(config: Config, exchanges: list[Exchange] | None = None) -> AsyncIterator[str]:
    """Serve the gateway exactly as ``weir serve`` would; yield its base URL.

    A config that keeps the default data directory gets a temporary one, so the request
    log of a test never lands in the working tree.
    """
    observers = (exchanges.append,) if exchanges is not None else ()
    with tempfile.TemporaryDirectory(prefix="weir-test-") as scratch:
        if config.server.data_dir == ServerConfig().data_dir:
            config = replace(config, server=replace(config.server, data_dir=scratch))
        app = build_app(config, observers)
        runner = web.AppRunner(app, shutdown_timeout=0.5, **server_kwargs(config))  # type: ignore[arg-type]
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            yield f"http://127.0.0.1:{runner.addresses[0][1]}"
        finally:
            await runner.cleanup()


@dataclass
class Stack:
    """Four provider fakes and a gateway pointed at them."""

    openai: OpenAIFake = field(default_factory=OpenAIFake)
    anthropic: AnthropicFake = field(default_factory=AnthropicFake)
    gemini: GeminiFake = field(default_factory=GeminiFake)
    cohere: CohereFake = field(default_factory=CohereFake)
    urls: dict[str, str] = field(default_factory=dict)
    gateway: str = ""
    exchanges: list[Exchange] = field(default_factory=list)

    def providers_toml(self) -> str:
        bases = {
            "openai": self.urls["openai"] + "/v1",
            "anthropic": self.urls["anthropic"],
            "google-ai-studio": self.urls["gemini"],
            "cohere": self.urls["cohere"],
            "custom-local": self.urls["openai"] + "/v1",
        }
        return "".join(f'[providers.{name}]\nbase_url = "{url}"\n' for name, url in bases.items())

    def url(self, path: str) -> str:
        return self.gateway + path


@asynccontextmanager
async def running_stack(extra_toml: str = "") -> AsyncIterator[Stack]:
    stack = Stack()
    async with AsyncExitStack() as exits:
        for name in ("openai", "anthropic", "gemini", "cohere"):
            fake = getattr(stack, name)
            stack.urls[name] = await exits.enter_async_context(serve(fake.app))
        config = parse_config(stack.providers_toml() + extra_toml, "test.toml")
        stack.gateway = await exits.enter_async_context(running_gateway(config, stack.exchanges))
        yield stack
