"""Gateway-made errors and how they are rendered in the caller's format."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from aiohttp import web

from gateway.providers.family import Family


class GatewayError(Exception):
    """Answer the request with ``status`` and ``message`` in the caller's error shape.

    The message must say what was wrong and never carry a header value or credential.
    """

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers  # e.g. Retry-After on a 429


def error_response(family: Family, status: int, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    body = orjson.dumps(family.error_body(status, message))
    return web.Response(status=status, body=body, content_type="application/json", headers=headers)
