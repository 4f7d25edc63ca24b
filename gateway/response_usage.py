"""Reads usage from a finished response, whatever its encoding and framing."""

from __future__ import annotations

import orjson

from gateway.codecs import BadEncoding, TooLarge, decode_body
from gateway.providers import Usage
from gateway.providers.family import Family
from gateway.sse import SSELineTooLong, SSEParser


def usage_of(family: Family, body: bytes, encoding: str | None, is_sse: bool, max_bytes: int, max_line: int) -> Usage:
    """Usage from a captured response body; an empty ``Usage`` when it cannot be read."""
    if not body:
        return Usage()
    try:
        decoded = decode_body(body, encoding, max_bytes)
    except (BadEncoding, TooLarge):
        return Usage()
    if is_sse:
        parser = SSEParser(max_line)
        try:
            events = parser.feed(decoded) + parser.finish()
        except SSELineTooLong:
            return Usage()
        return family.usage_from_events(events)
    try:
        return family.usage_from_json(orjson.loads(decoded))
    except orjson.JSONDecodeError:
        return Usage()
