"""Which headers cross the gateway, in each direction.

Framing is the gateway's own: ``Host``, ``Content-Length``, ``Transfer-Encoding``, the
hop-by-hop headers and every header the client named in ``Connection`` are dropped and
recomputed. The gateway's own control headers (``weir-*`` and their ``cf-aig-*``
aliases) and client-supplied ``X-Forwarded-*`` never reach a provider. Everything else
— including the client's own credentials — passes unchanged.
"""

from __future__ import annotations

import hashlib

from multidict import CIMultiDictProxy

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_REQUEST_DROP = HOP_BY_HOP | {"host", "content-length", "expect", "forwarded", "x-real-ip"}
_RESPONSE_DROP = HOP_BY_HOP | {"content-length", "date", "server"}
_GATEWAY_PREFIXES = ("weir-", "cf-aig-", "x-forwarded-")
_CONNECTION_OPTIONS = frozenset({"", "close", "keep-alive"})
_NONE: frozenset[str] = frozenset()

# Where clients put provider credentials; forwarded on pass-through, never logged.
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key", "x-goog-api-key")


def connection_named(headers: CIMultiDictProxy[str]) -> frozenset[str]:
    """The header names listed in ``Connection``: hop-by-hop by declaration."""
    if "connection" not in headers:
        return _NONE
    tokens = (token.strip().lower() for value in headers.getall("connection") for token in value.split(","))
    return frozenset(token for token in tokens if token not in _CONNECTION_OPTIONS) or _NONE


def upstream_request_headers(incoming: CIMultiDictProxy[str]) -> list[tuple[str, str]]:
    return _filtered(incoming, _REQUEST_DROP, _GATEWAY_PREFIXES)


def downstream_response_headers(upstream: CIMultiDictProxy[str]) -> list[tuple[str, str]]:
    return _filtered(upstream, _RESPONSE_DROP, ())


def _filtered(headers: CIMultiDictProxy[str], drop: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    # A list of pairs, not a CIMultiDict: aiohttp copies headers into its own multidict
    # anyway, and building one here too costs a measurable share of a request.
    named = connection_named(headers)
    out = []
    for name, value in headers.items():
        lower = name.lower()
        if lower in drop or lower in named or (prefixes and lower.startswith(prefixes)):
            continue
        out.append((name, value))
    return out


def client_credential(headers: CIMultiDictProxy[str]) -> str | None:
    """The provider key a client sent, whichever header it used (for the unified endpoint)."""
    auth = headers.get("authorization")
    if auth:
        scheme, _, token = auth.partition(" ")
        return token.strip() if scheme.lower() in {"bearer", "token"} and token.strip() else None
    for name in CREDENTIAL_HEADERS[1:]:
        value = headers.get(name)
        if value:
            return value.strip()
    return None


def carries_credential(headers: CIMultiDictProxy[str], query_string: str) -> bool:
    """Whether the client sent a provider key of its own (a header, or Gemini's ``?key=``)."""
    return client_credential(headers) is not None or "key=" in query_string


def credential_fingerprint(headers: CIMultiDictProxy[str]) -> str | None:
    """Which provider key a request used, for the log: 16 hex digits of its SHA-256.

    Enough to tell keys apart in analytics and to match a key the operator holds; not a
    lookup key for anything (cache and limiter keys hash the whole credential).
    """
    credential = client_credential(headers)
    if credential is None:
        return None
    return hashlib.sha256(credential.encode()).hexdigest()[:16]


def auth_headers(style: str, key: str) -> dict[str, str]:
    """``key`` sent the way a provider expects it (``ProviderConfig.auth``)."""
    if style == "bearer":
        return {"Authorization": f"Bearer {key}"}
    if style == "token":
        return {"Authorization": f"Token {key}"}
    return {style: key}
