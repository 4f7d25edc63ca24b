"""``POST /api/inspect``: run the gateway's DLP policy over a text or a JSON body and
return the findings and the decision, without the matched values.

Request: ``{"text": "..."}`` or ``{"body": {...}}``, optionally ``"direction"``
(``request``/``response``), ``"provider"`` and ``"model"``. Like every ``/api`` route it
needs an admin (``gateway.admin``).
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from gateway.admin import ADMIN_REQUIRED, require_admin
from gateway.errors import error_response
from gateway.providers import FAMILIES
from gateway.runtime import RUNTIME
from policies.policy import Context

_OPENAI = FAMILIES["openai"]


async def handle_inspect(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    identity = require_admin(request)
    if identity is None:
        return error_response(_OPENAI, 401, ADMIN_REQUIRED)
    if runtime.inspector is None:
        return error_response(_OPENAI, 409, "DLP is disabled on this gateway ([dlp] enabled = false)")
    try:
        payload = orjson.loads(await request.read())
    except orjson.JSONDecodeError as exc:
        return error_response(_OPENAI, 400, f"the request body is not valid JSON: {exc}")
    if not isinstance(payload, dict) or ("text" in payload) == ("body" in payload):
        return error_response(_OPENAI, 400, 'send a JSON object with either "text" (a string) or "body" (a JSON value)')
    direction = payload.get("direction", "request")
    if direction not in ("request", "response") or ("text" in payload and not isinstance(payload["text"], str)):
        return error_response(_OPENAI, 400, 'direction must be "request" or "response"; text must be a string')
    context = Context(identity, "default", _str(payload.get("provider")), _str(payload.get("model")), direction)
    if "text" in payload:
        inspection = runtime.inspector.inspect_text(payload["text"], context)
    else:
        inspection = runtime.inspector.inspect(payload["body"], context)
    return web.json_response({"action": inspection.action, "findings": inspection.findings()})


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
