"""Who is calling: static gateway tokens in ``weir-authorization`` (alias
``cf-aig-authorization``), separate from the provider key.

Tokens are configured only as salted hashes (``weir hash-token`` prints one), compared
in constant time. Identity comes from a verified token and nowhere else — never from
``Host`` or ``X-Forwarded-*``. A token that is present but wrong is refused even when
authentication is optional: a caller who meant to be someone must not silently become
anonymous. (JWT identities build on this stage in a later change.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import web

from config.schema import TokenConfig
from gateway.call import Call
from gateway.errors import GatewayError
from gateway.pipeline import Next
from policies.policy import ANONYMOUS, Identity

_HEADERS = ("weir-authorization", "cf-aig-authorization")


def hash_token(token: str, salt: bytes | None = None) -> str:
    """``sha256$SALT$DIGEST``: HMAC-SHA256 of the token under a random 16-byte salt."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hmac.new(salt, token.encode(), hashlib.sha256).hexdigest()
    return f"sha256${salt.hex()}${digest}"


def verify_token(token: str, stored: str) -> bool:
    scheme, _, rest = stored.partition("$")
    salt_hex, _, digest = rest.partition("$")
    if scheme != "sha256" or not salt_hex or not digest:
        return False
    try:
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(hmac.new(salt, token.encode(), hashlib.sha256).hexdigest(), digest)


def identify(token: str, tokens: tuple[TokenConfig, ...]) -> Identity | None:
    for entry in tokens:
        if verify_token(token, entry.hash):
            return Identity(entry.user, entry.groups)
    return None


async def authenticate(call: Call, next_: Next) -> web.StreamResponse:
    auth = call.runtime.config.gateways[call.gateway].auth
    header = next((call.request.headers[name] for name in _HEADERS if name in call.request.headers), None)
    if header is None:
        if auth.required:
            raise GatewayError(401, "this gateway requires a token: send weir-authorization: Bearer <token>")
        call.identity = ANONYMOUS
        return await next_(call)
    scheme, _, token = header.partition(" ")
    identity = identify(token.strip(), auth.tokens) if scheme.lower() == "bearer" and token.strip() else None
    if identity is None:
        raise GatewayError(401, "the weir-authorization token is not valid for this gateway")
    call.identity = identity
    return await next_(call)
