"""Builds upstream URLs so that the caller never chooses the host.

An upstream URL is the provider's configured base plus the client's path tail. The
tail is checked on its raw (still percent-encoded) form: it must be plain RFC 3986
path segments, none of which decodes (even repeatedly) to ``.`` or ``..`` or hides a
``/`` or ``\\``; ``//`` and absolute URLs are refused. The joined URL is then parsed
again and must still sit under the base: scheme, host, port and path prefix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from yarl import URL

# RFC 3986 pchar: unreserved / pct-encoded / sub-delims / ":" / "@".
_SEGMENT = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$")
_QUERY = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$")
_DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class UnsafePath(ValueError):
    """The client's path or query would leave the provider's base URL."""


@lru_cache(maxsize=4096)  # a provider sees few distinct paths; this sits on every request
def build_upstream_url(base_url: str, raw_tail: str, raw_query: str) -> URL:
    """``base_url`` + ``/`` + ``raw_tail`` (+ ``?raw_query``), refusing anything that escapes.

    ``raw_tail`` is the request path after ``/v1/{gateway}/{provider}/``, exactly as the
    client sent it. A base holding ``{resource}`` (Azure) takes its value from the first
    segment, which must be a DNS label.
    """
    if "{resource}" in base_url:
        resource, _, raw_tail = raw_tail.partition("/")
        if not _DNS_LABEL.match(resource):
            raise UnsafePath(f"the first path segment must name a resource (a DNS label), got {resource!r}")
        base_url = base_url.replace("{resource}", resource)
    _check_tail(raw_tail)
    if raw_query and not _QUERY.match(raw_query):
        raise UnsafePath("the query string holds characters that must be percent-encoded")
    base = URL(base_url)
    joined = base_url.rstrip("/") + ("/" + raw_tail if raw_tail else "")
    if raw_query:
        joined += "?" + raw_query
    url = URL(joined, encoded=True)
    base_path = base.path.rstrip("/")
    if (
        url.scheme != base.scheme
        or url.host != base.host
        or url.port != base.port
        or not (url.path == base_path or url.path.startswith(base_path + "/"))
    ):
        raise UnsafePath("the path leaves the provider's base URL")
    return url


def _check_tail(raw_tail: str) -> None:
    if "\\" in raw_tail or "//" in raw_tail or raw_tail.startswith("/"):
        raise UnsafePath("the path holds an empty segment or a backslash")
    for segment in raw_tail.split("/") if raw_tail else ():
        if not _SEGMENT.match(segment):
            raise UnsafePath("the path holds characters that must be percent-encoded")
        decoded = segment
        for _ in range(3):  # %252e%252e decodes twice; three rounds cover stacked proxies
            decoded = unquote(decoded)
        if decoded in {".", ".."} or "/" in decoded or "\\" in decoded or decoded != decoded.strip("\x00"):
            raise UnsafePath("the path climbs out of the provider's base (dot segments or encoded slashes)")
