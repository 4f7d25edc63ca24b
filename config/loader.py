"""Loads TOML into the typed ``Config`` tree and validates every key.

The conversion is driven by the dataclasses' type hints, so adding a config key is
adding a field to ``config/schema.py``. Errors are ``ConfigError`` and name the file,
the dotted key and what was expected, e.g.::

    weir.toml: timeouts.connect: expected a duration like "60s", got 60
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, Union

from config.schema import (
    BudgetRule,
    Bytes,
    Config,
    GatewayConfig,
    PolicyFile,
    ProviderConfig,
    RateLimitRule,
    Seconds,
)

T = TypeVar("T")

_LIMIT_SUBJECT = re.compile(r"^(gateway|key|user|group|metadata\.[A-Za-z0-9_.-]{1,64})$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)\s*$")
_SIZE_UNITS = {"B": 1, "KB": 1000, "KiB": 1024, "MB": 10**6, "MiB": 1 << 20, "GB": 10**9, "GiB": 1 << 30}
_CUSTOM_PROVIDER = re.compile(r"^custom-[a-z0-9][a-z0-9-]{0,62}$")
_GATEWAY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file, key and expectation."""


def load_config(path: str | Path | None = None) -> Config:
    """Load ``path`` (or the embedded default) and validate it into a ``Config``."""
    if path is None:
        source = "config/default.toml"
        text = resources.files("config").joinpath("default.toml").read_text()
    else:
        source = str(path)
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ConfigError(f"{source}: cannot read the file: {exc.strerror}") from None
    return parse_config(text, source)


def parse_config(text: str, source: str = "<string>") -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    try:
        return _build(raw, source)
    except _KeyError as exc:
        raise ConfigError(f"{source}: {exc.path}: {exc.message}") from None


def builtin_provider_names() -> tuple[str, ...]:
    return tuple(_builtin_providers())


class _KeyError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _builtin_providers() -> dict[str, dict[str, Any]]:
    text = resources.files("config").joinpath("providers.toml").read_text()
    return tomllib.loads(text)


def _build(raw: dict[str, Any], source: str) -> Config:
    raw = dict(raw)
    raw["providers"] = _merge_providers(raw.get("providers", {}))
    raw["pricing"] = _merge_pricing(raw.get("pricing", {}))
    raw.setdefault("gateways", {"default": {}})
    config: Config = _convert_table(raw, Config, "")
    for name, gateway in config.gateways.items():
        _check_gateway(name, gateway, config.providers)
    if config.server.workers < 1:
        raise _KeyError("server.workers", f"expected a whole number ≥ 1, got {config.server.workers}")
    if not 0 <= config.server.port <= 65535:
        raise _KeyError("server.port", f"expected a port from 0 to 65535, got {config.server.port}")
    preset = load_policy(config.dlp.policy)
    return dataclasses.replace(config, source=source, policy_rules=config.dlp.rules + preset.rules)


def load_policy(name_or_path: str) -> PolicyFile:
    """A policy preset from ``config/policies/NAME.toml``, or a TOML file at a path."""
    if "/" not in name_or_path and not name_or_path.endswith(".toml"):
        resource = resources.files("config").joinpath("policies", f"{name_or_path}.toml")
        if not resource.is_file():
            presets = sorted(
                p.name.removesuffix(".toml") for p in resources.files("config").joinpath("policies").iterdir()
            )
            raise _KeyError("dlp.policy", f"no policy preset {name_or_path!r}; presets: {', '.join(presets)}")
        source, text = f"config/policies/{name_or_path}.toml", resource.read_text()
    else:
        source = name_or_path
        try:
            text = Path(name_or_path).read_text()
        except OSError as exc:
            raise _KeyError("dlp.policy", f"cannot read {name_or_path}: {exc.strerror}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _KeyError("dlp.policy", f"{source} is not valid TOML: {exc}") from None
    try:
        return _convert_table(raw, PolicyFile, "")
    except _KeyError as exc:
        raise _KeyError("dlp.policy", f"{source}: {exc.path}: {exc.message}") from None


def _merge_pricing(user: Any) -> dict[str, Any]:
    """The built-in price list with the config's ``[pricing.PROVIDER."MODEL"]`` entries over it."""
    if not isinstance(user, dict):
        raise _KeyError("pricing", f"expected a table, got {_describe(user)}")
    merged: dict[str, Any] = tomllib.loads(resources.files("config").joinpath("pricing.toml").read_text())
    for provider, models in user.items():
        if not isinstance(models, dict):
            raise _KeyError(f"pricing.{provider}", f"expected a table of models, got {_describe(models)}")
        merged[provider] = {**merged.get(provider, {}), **models}
    return merged


def _merge_providers(user: Any) -> dict[str, Any]:
    if not isinstance(user, dict):
        raise _KeyError("providers", f"expected a table, got {_describe(user)}")
    merged: dict[str, Any] = _builtin_providers()
    for name, overlay in user.items():
        path = f"providers.{name}"
        if not isinstance(overlay, dict):
            raise _KeyError(path, f"expected a table, got {_describe(overlay)}")
        if name in merged:
            merged[name] = {**merged[name], **overlay}
        elif _CUSTOM_PROVIDER.match(name):
            if "base_url" not in overlay:
                raise _KeyError(f"{path}.base_url", "a custom provider needs a base_url")
            merged[name] = dict(overlay)
        else:
            known = ", ".join(sorted(merged))
            raise _KeyError(path, f"unknown provider; expected one of {known}, or custom-NAME")
    for name, table in merged.items():
        _check_base_url(f"providers.{name}.base_url", table.get("base_url"))
    return merged


def _check_base_url(path: str, value: Any) -> None:
    if not isinstance(value, str) or not re.match(r"^https?://[^/?#\s]+(/[^?#\s]*)?$", value):
        raise _KeyError(path, f"expected an http(s) URL without query or fragment, got {value!r}")


def _check_gateway(name: str, gateway: GatewayConfig, providers: Mapping[str, ProviderConfig]) -> None:
    if not _GATEWAY_NAME.match(name) or name in {"compat"}:
        raise _KeyError(f"gateways.{name}", "expected a name of letters, digits, '-' and '_'")
    for index, provider in enumerate(gateway.providers):
        if provider not in providers:
            raise _KeyError(f"gateways.{name}.providers[{index}]", f"unknown provider {provider!r}")
    rule_lists: tuple[tuple[str, tuple[RateLimitRule | BudgetRule, ...]], ...] = (
        ("rate_limits", gateway.rate_limits),
        ("budgets", gateway.budgets),
    )
    for kind, rules in rule_lists:
        seen: set[str] = set()
        for index, rule in enumerate(rules):
            path = f"gateways.{name}.{kind}[{index}]"
            if not _LIMIT_SUBJECT.match(rule.per):
                raise _KeyError(f"{path}.per", f"expected gateway, key, user, group or metadata.NAME, got {rule.per!r}")
            if rule.name in seen:
                raise _KeyError(f"{path}.name", f"another rule is already named {rule.name!r}")
            seen.add(rule.name)
    for index, limit in enumerate(gateway.rate_limits):
        path = f"gateways.{name}.rate_limits[{index}]"
        if limit.limit < 1:
            raise _KeyError(f"{path}.limit", f"expected a whole number ≥ 1, got {limit.limit}")
        if not 0 < limit.window <= 31 * 86400:
            raise _KeyError(f"{path}.window", "expected a duration between 1s and 31d")
    for index, budget in enumerate(gateway.budgets):
        if not budget.limit_usd > 0:
            raise _KeyError(
                f"gateways.{name}.budgets[{index}].limit_usd", f"expected an amount > 0, got {budget.limit_usd}"
            )


def _convert(value: Any, hint: Any, path: str) -> Any:
    """Convert one TOML value to the type ``hint`` or raise ``_KeyError`` at ``path``."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _convert_table(value, hint, path)
    if hint is Seconds:
        return _duration(value, path)
    if hint is Bytes:
        return _size(value, path)
    origin = typing.get_origin(hint)
    if origin is Literal:
        if value not in typing.get_args(hint):
            choices = ", ".join(repr(a) for a in typing.get_args(hint))
            raise _KeyError(path, f"expected one of {choices}, got {value!r}")
        return value
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(value, options[0], path)
    if origin is tuple:
        if not isinstance(value, list):
            raise _KeyError(path, f"expected an array, got {_describe(value)}")
        (item,) = typing.get_args(hint)[:1]
        return tuple(_convert(v, item, f"{path}[{i}]") for i, v in enumerate(value))
    if origin in (Mapping, dict) or hint is Mapping:
        if not isinstance(value, dict):
            raise _KeyError(path, f"expected a table, got {_describe(value)}")
        item = typing.get_args(hint)[1]
        return types.MappingProxyType({k: _convert(v, item, f"{path}.{k}") for k, v in value.items()})
    return _scalar(value, hint, path)


def _convert_table(value: Any, cls: type[T], path: str) -> T:
    if not isinstance(value, dict):
        raise _KeyError(path, f"expected a table, got {_describe(value)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}  # type: ignore[arg-type]
    for key in value:
        if key not in fields:
            expected = ", ".join(fields)
            raise _KeyError(_join(path, key), f"unknown key; expected one of {expected}")
    kwargs: dict[str, Any] = {}
    for name, spec in fields.items():
        if name in value:
            kwargs[name] = _convert(value[name], hints[name], _join(path, name))
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise _KeyError(_join(path, name), "required key is missing")
    return cls(**kwargs)


def _scalar(value: Any, hint: Any, path: str) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise _KeyError(path, f"expected true or false, got {_describe(value)}")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _KeyError(path, f"expected a whole number, got {_describe(value)}")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise _KeyError(path, f"expected a number, got {_describe(value)}")
    if hint is str:
        if isinstance(value, str):
            return value
        raise _KeyError(path, f"expected a string, got {_describe(value)}")
    raise TypeError(f"config schema uses an unsupported type at {path}: {hint!r}")


def _duration(value: Any, path: str) -> Seconds:
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        raise _KeyError(path, f'expected a duration like "60s", got {_describe(value)}')
    return Seconds(float(match.group(1)) * _DURATION_UNITS[match.group(2)])


def _size(value: Any, path: str) -> Bytes:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Bytes(value)
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None:
        raise _KeyError(path, f'expected a size like "10MiB" or a number of bytes, got {_describe(value)}')
    return Bytes(int(float(match.group(1)) * _SIZE_UNITS[match.group(2)]))


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value).lower() if isinstance(value, bool) else repr(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
