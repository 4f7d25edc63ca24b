"""Which headers cross the gateway, in each direction.

Framing is the gateway's own: ``Host``, ``Content-Length``, ``Transfer-Encoding``, the
hop-by-hop headers and every header the client named in ``Connection`` are dropped and
recomputed. The gateway's own control headers (``weir-*`` and their ``cf-aig-*``
aliases) and client-supplied ``X-Forwarded-*`` never reach a provider. Everything else
— including the client's own credentials — passes unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from multidict import CIMultiDict, CIMultiDictProxy

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

# Where clients put provider credentials; forwarded on pass-through, never logged.
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key", "x-goog-api-key")


def connection_named(headers: Mapping[str, str] | CIMultiDictProxy[str]) -> frozenset[str]:
    values: Iterable[str] = (
        headers.getall("connection", [])
        if isinstance(headers, CIMultiDictProxy)
        else ([headers["connection"]] if "connection" in headers else [])
    )
    return frozenset(token.strip().lower() for value in values for token in value.split(",") if token.strip())


def upstream_request_headers(incoming: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    named = connection_named(incoming)
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in incoming.items():
        lower = name.lower()
        if lower in _REQUEST_DROP or lower in named or lower.startswith(_GATEWAY_PREFIXES):
            continue
        out.add(name, value)
    return out


def downstream_response_headers(upstream: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    named = connection_named(upstream)
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in upstream.items():
        lower = name.lower()
        if lower in _RESPONSE_DROP or lower in named:
            continue
        out.add(name, value)
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


def auth_headers(style: str, key: str) -> dict[str, str]:
    """``key`` sent the way a provider expects it (``ProviderConfig.auth``)."""
    if style == "bearer":
        return {"Authorization": f"Bearer {key}"}
    if style == "token":
        return {"Authorization": f"Token {key}"}
    return {style: key}
