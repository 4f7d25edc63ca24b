"""Who is calling: a gateway token in ``weir-authorization`` (alias
``cf-aig-authorization``), separate from the provider key.

Two kinds of token: JWTs, verified by the gateway's ``[auth.jwt]`` (see ``jwt_auth``),
and static tokens, configured only as salted hashes (``weir hash-token`` prints one) and
compared in constant time. Identity comes from a verified token and nowhere else —
never from ``Host`` or ``X-Forwarded-*``. A token that is present but wrong is refused
even when authentication is optional: a caller who meant to be someone must not
silently become anonymous.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from aiohttp import web

from config import Config
from config.schema import AuthConfig, TokenConfig
from gateway.call import Call
from gateway.errors import GatewayError
from gateway.jwt_auth import JwtVerifier, TokenRejected, looks_like_jwt
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


def build_verifiers(config: Config) -> dict[str, JwtVerifier]:
    """One verifier per gateway with ``[auth.jwt]``; raises ``JwtSetupError`` before serving."""
    return {
        name: JwtVerifier(gateway.auth.jwt, f"gateways.{name}.auth.jwt")
        for name, gateway in config.gateways.items()
        if gateway.auth.jwt is not None
    }


def gateway_token(headers: Mapping[str, str]) -> str | None:
    return next((headers[name] for name in _HEADERS if name in headers), None)


def identity_of(header: str, auth: AuthConfig, verifier: JwtVerifier | None) -> Identity:
    """The identity a ``weir-authorization`` value proves; ``GatewayError(401)`` saying why not."""
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise GatewayError(401, "send the gateway token as weir-authorization: Bearer <token>")
    if verifier is not None and looks_like_jwt(token):
        try:
            return verifier.verify(token)
        except TokenRejected as exc:
            raise GatewayError(401, f"the weir-authorization token was refused: {exc}") from None
    identity = identify(token, auth.tokens)
    if identity is None:
        raise GatewayError(401, "the weir-authorization token is not valid for this gateway")
    return identity


async def authenticate(call: Call, next_: Next) -> web.StreamResponse:
    auth = call.runtime.config.gateways[call.gateway].auth
    header = gateway_token(call.request.headers)
    if header is None:
        if auth.required:
            raise GatewayError(401, "this gateway requires a token: send weir-authorization: Bearer <token>")
        call.identity = ANONYMOUS
        return await next_(call)
    call.identity = identity_of(header, auth, call.runtime.verifiers.get(call.gateway))
    return await next_(call)
