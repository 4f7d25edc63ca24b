"""Weir's configuration: the typed schema, its loader and the embedded defaults."""

from config.loader import ConfigError, builtin_provider_names, load_config, parse_config
from config.schema import (
    Config,
    GatewayConfig,
    LimitsConfig,
    LogsConfig,
    ProviderConfig,
    ServerConfig,
    TimeoutsConfig,
)

__all__ = [
    "Config",
    "ConfigError",
    "GatewayConfig",
    "LimitsConfig",
    "LogsConfig",
    "ProviderConfig",
    "ServerConfig",
    "TimeoutsConfig",
    "builtin_provider_names",
    "load_config",
    "parse_config",
]
