"""Who may use the ``/api`` routes: the admin rule.

An admin sends a token the default gateway accepts — a static token or a JWT its
``[auth.jwt]`` verifies — in ``weir-authorization`` (or its alias
``cf-aig-authorization``), and the token's identity is in the ``admin`` group. A default
gateway with neither tokens nor JWT configured is a local, single-user setup (the server
listens on 127.0.0.1 unless told otherwise): there every caller is an admin.
"""

from __future__ import annotations

from aiohttp import web

from gateway.auth import gateway_token, identity_of
from gateway.errors import GatewayError
from gateway.runtime import RUNTIME
from policies.policy import ANONYMOUS, Identity

ADMIN_GROUP = "admin"
ADMIN_REQUIRED = "an admin token is required: weir-authorization: Bearer <token>"


def require_admin(request: web.Request) -> Identity | None:
    """The calling admin's identity (``ANONYMOUS`` where no tokens are configured); None
    when the caller is not an admin, who then gets a 401 saying ``ADMIN_REQUIRED``."""
    runtime = request.app[RUNTIME]
    gateway = runtime.config.gateways.get("default")
    if gateway is None or (not gateway.auth.tokens and gateway.auth.jwt is None):
        return ANONYMOUS
    header = gateway_token(request.headers)
    if header is None:
        return None
    try:
        identity = identity_of(header, gateway.auth, runtime.verifiers.get("default"))
    except GatewayError:
        return None
    return identity if ADMIN_GROUP in identity.groups else None
