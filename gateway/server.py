"""Runs the gateway: one process, or N worker processes sharing the port (SO_REUSEPORT)."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.process
import signal
import sys
from dataclasses import replace

from aiohttp import web

from config import Config, load_config
from gateway.app import build_app

log = logging.getLogger("weir")


def server_kwargs(config: Config) -> dict[str, object]:
    """What the aiohttp server needs beyond the app: slow-client and cancellation rules.

    ``keepalive_timeout`` also bounds how long a new connection may take to send its
    request headers (aiohttp closes a connection still waiting for a request), which is
    the header-read timeout against slow clients. ``handler_cancellation`` cancels the
    handler — and with it the upstream call — when the client disconnects.
    """
    return {"handler_cancellation": True, "keepalive_timeout": config.timeouts.client_idle, "access_log": None}


def serve(config: Config, path: str | None = None) -> None:
    """Run the gateway. With ``server.workers`` > 1, each extra worker process loads the
    config again from ``path`` (a config tree holds read-only mappings, which do not
    pickle) with the same server overrides, and all share the port."""
    workers = config.server.workers
    children: list[multiprocessing.process.BaseProcess] = []
    if workers > 1:
        context = multiprocessing.get_context("spawn")
        server = config.server
        for _ in range(workers - 1):
            child = context.Process(target=_run_worker, args=(path, server.host, server.port, workers), daemon=True)
            child.start()
            children.append(child)
    try:
        _run_one(config, workers > 1)
    finally:
        for process in children:
            process.terminate()
        for process in children:
            process.join(timeout=5)


def _run_worker(path: str | None, host: str, port: int, workers: int) -> None:
    _run_one(with_overrides(load_config(path), host, port, workers), reuse_port=True)


def _run_one(config: Config, reuse_port: bool) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if reuse_port:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = build_app(config)
    # Everything alive now (modules, config, compiled patterns: hundreds of thousands of
    # objects once DuckDB, Arrow and the detectors are loaded) lives as long as the process;
    # frozen, the collector stops walking it on every full collection under load.
    gc.collect()
    gc.freeze()
    web.run_app(
        app,
        host=config.server.host,
        port=config.server.port,
        reuse_port=reuse_port or None,
        print=lambda message: log.info("%s", message.strip()),
        **server_kwargs(config),  # type: ignore[arg-type]
    )


def with_overrides(config: Config, host: str | None, port: int | None, workers: int | None) -> Config:
    server = config.server
    server = replace(
        server,
        host=host if host is not None else server.host,
        port=port if port is not None else server.port,
        workers=workers if workers is not None else server.workers,
    )
    return replace(config, server=server)
