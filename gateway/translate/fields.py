"""Typed reads of JSON values that name the field path when the value is wrong.

Translators take untrusted JSON (`dict[str, Any]`) from clients and upstreams; every
read goes through these helpers so a wrong type becomes a `TranslationError` that says
where, instead of a `KeyError` or `AttributeError` deep inside a translator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from gateway.translate.errors import TranslationError


def describe(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    text = json.dumps(value, default=repr)  # default: never fail while reporting a failure
    return text if len(text) <= 40 else text[:37] + "..."


def as_dict(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TranslationError(path, f"expected an object, got {describe(value)}")
    return value


def as_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise TranslationError(path, f"expected an array, got {describe(value)}")
    return value


def as_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise TranslationError(path, f"expected a string, got {describe(value)}")
    return value


def tagged_objects(value: Any, path: str, tag: str = "type") -> Iterator[tuple[str, dict[str, Any], str]]:
    """Each object of an array with its path and its tag, the string under `tag`: content
    blocks by `type`, messages by `role`. Checked one item at a time, as it is reached."""
    for index, raw in enumerate(as_list(value, path)):
        item_path = f"{path}[{index}]"
        item = as_dict(raw, item_path)
        yield item_path, item, as_str(item.get(tag), f"{item_path}.{tag}")


def opt_dict(body: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = body.get(key)
    return None if value is None else as_dict(value, path)


def opt_list(body: dict[str, Any], key: str, path: str) -> list[Any] | None:
    value = body.get(key)
    return None if value is None else as_list(value, path)


def opt_str(body: dict[str, Any], key: str, path: str) -> str | None:
    value = body.get(key)
    return None if value is None else as_str(value, path)


def opt_int(body: dict[str, Any], key: str, path: str) -> int | None:
    value = body.get(key)
    # bool is an int in Python but never a token count in JSON.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TranslationError(path, f"expected an integer, got {describe(value)}")
    return value


def opt_number(body: dict[str, Any], key: str, path: str) -> float | int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TranslationError(path, f"expected a number, got {describe(value)}")
    return value


def opt_bool(body: dict[str, Any], key: str, path: str) -> bool | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TranslationError(path, f"expected true or false, got {describe(value)}")
    return value


def int_or_zero(body: Any, key: str) -> int:
    """A token count from an upstream usage object; absent or malformed counts as 0.

    Usage is bookkeeping: a provider that omits a counter must not turn a good answer
    into an error.
    """
    if not isinstance(body, dict):
        return 0
    value = body.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def parse_json_object(text: str, path: str) -> dict[str, Any]:
    """Tool-call arguments: OpenAI carries them as JSON text, others as an object."""
    if not text.strip():
        # Models emit "" for a call without parameters; that means {}.
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranslationError(path, f"invalid JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(value, dict):
        raise TranslationError(path, f"expected a JSON object, got {describe(value)}")
    return value


def dump_json(value: Any) -> str:
    """Compact JSON as OpenAI writes tool arguments; non-ASCII kept readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_event_json(data: str, path: str) -> dict[str, Any]:
    """The JSON payload of one upstream stream event."""
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        raise TranslationError(path, f"invalid JSON ({exc.msg} at position {exc.pos})") from None
    return as_dict(value, path)


def nested_str(value: Any, *keys: str) -> str | None:
    """`value[k1][k2]…` when every step is an object and the end is a string; else None.

    For error bodies from upstreams, whose shape is not guaranteed: a missing message
    falls back to a generic one instead of raising while reporting another error.
    """
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, str) else None


def as_vector(value: Any, path: str) -> list[float]:
    """An embedding: an array of numbers."""
    items = as_list(value, path)
    for index, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int | float):
            raise TranslationError(f"{path}[{index}]", f"expected a number, got {describe(item)}")
    return items


def nested_dict(value: Any, *keys: str) -> dict[str, Any] | None:
    """`value[k1][k2]…` when every step, the end included, is an object; else None."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, dict) else None
