"""The request log: records, encrypted payloads, the DuckDB writer and the SQL surfaces."""

from __future__ import annotations

import logging
from pathlib import Path

from config import Config
from gateway.logs.sealed import load_public_key
from gateway.logs.store import LogStore
from gateway.logs.writer import LogWriter
from gateway.pricing import Pricing

log = logging.getLogger("weir.logs")


def log_directory(config: Config) -> Path:
    return Path(config.server.data_dir) / "logs"


def build_log_writer(config: Config) -> LogWriter | None:
    """The configured writer, not started; None when logging is off. Raises ``KeyFileError``
    when the configured public key cannot be read: better no start than silent plaintext."""
    logs = config.logs
    if not logs.enabled:
        return None
    public_key = load_public_key(logs.public_key_file) if logs.public_key_file else None
    if public_key is None:
        log.info("request log: rows only; bodies are not stored until [logs] public_key_file names a key")
    retention = {"*": float(logs.retention)}
    retention.update(
        {name: float(g.log_retention) for name, g in config.gateways.items() if g.log_retention is not None}
    )
    return LogWriter(
        LogStore(log_directory(config), logs.sql_memory_limit),
        public_key=public_key,
        queue_size=logs.queue_size,
        flush_interval=logs.flush_interval,
        retention=retention,
        cost=Pricing(config.pricing).of_exchange,
    )
