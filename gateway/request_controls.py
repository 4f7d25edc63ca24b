"""The per-request log controls: ``weir-metadata``, ``weir-collect-log`` and
``weir-collect-log-payload`` (each also spelled ``cf-aig-*``).

``weir-metadata`` is a JSON object of at most five flat entries (string, number or
boolean values), stored with the request's log row for filtering and analytics. Anything
else is a 400 that says what was wrong, before the request goes anywhere. The collect
headers can only narrow what the gateway's config collects, never widen it.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from aiohttp import web

from gateway.call import Call
from gateway.errors import GatewayError
from gateway.pipeline import Next
from gateway.runtime import LOG_ID

MAX_ENTRIES = 5
MAX_KEY = 64
MAX_VALUE = 512
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


async def request_controls(call: Call, next_: Next) -> web.StreamResponse:
    headers = call.request.headers
    gateway = call.runtime.config.gateways[call.gateway]
    if call.collect_log and not flag(headers, "collect-log", True):
        call.collect_log = False
        del call.request[LOG_ID]  # no row, so no weir-log-id to point at one
    call.collect_payload = call.collect_log and gateway.collect_payloads and flag(headers, "collect-log-payload", True)
    raw = headers.get("weir-metadata", headers.get("cf-aig-metadata"))
    if raw is not None:
        call.metadata = parse_metadata(raw)
    return await next_(call)


def flag(headers: Mapping[str, str], name: str, default: bool) -> bool:
    """A ``weir-NAME`` (or ``cf-aig-NAME``) true/false header; a 400 for anything else."""
    value = headers.get(f"weir-{name}", headers.get(f"cf-aig-{name}"))
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise GatewayError(400, f"weir-{name} must be true or false")


def parse_metadata(raw: str) -> str:
    """The metadata as canonical JSON text, or a ``GatewayError`` naming the problem."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise GatewayError(400, 'weir-metadata must be a JSON object, e.g. {"team": "search"}') from None
    if not isinstance(value, dict):
        raise GatewayError(400, f"weir-metadata must be a JSON object, got a JSON {_kind(value)}")
    if len(value) > MAX_ENTRIES:
        raise GatewayError(400, f"weir-metadata has {len(value)} entries; at most {MAX_ENTRIES} are allowed")
    for key, item in value.items():
        if not key or len(key) > MAX_KEY:
            raise GatewayError(400, f"weir-metadata keys must be 1 to {MAX_KEY} characters long")
        if isinstance(item, (dict, list)) or item is None:
            raise GatewayError(
                400, f"weir-metadata entry {key!r} must be a string, number or boolean, got a JSON {_kind(item)}"
            )
        if isinstance(item, str) and len(item) > MAX_VALUE:
            raise GatewayError(400, f"weir-metadata entry {key!r} is longer than {MAX_VALUE} characters")
    return orjson.dumps(value).decode()


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(type(value), "number")
