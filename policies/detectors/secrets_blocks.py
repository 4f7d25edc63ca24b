"""Structured secrets: PEM private-key blocks and URLs that carry a password.

PEM blocks are found from their ``-----BEGIN`` line; every block's span is returned (a
certificate or public key is not a secret, but the detector must not read its base64
lines as random tokens). A URL with ``user:password@`` is URL_CREDENTIALS, or
CONNECTION_STRING for database and broker schemes.
"""

from __future__ import annotations

import re

from policies.detectors.secrets_generic import value_confidence
from policies.finding import Finding

MAX_PEM = 20_000  # an RSA-4096 key is ~3.3 KB; PGP key blocks with subkeys run longer

_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]{1,40})-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]{1,40}-----")
_PEM_BODY = re.compile(r"\r?\n(?:[A-Za-z0-9+/=]{1,100}\r?\n){0,300}")  # whole base64 lines only
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]{40}")

_URL_CREDENTIALS = re.compile(
    r"""://([^\s:/?#@\[\]"'<>]{0,128}):([^\s/?#@\[\]"'<>]{1,256})@"""
    r"([A-Za-z0-9][A-Za-z0-9._-]{0,252}|\[[0-9A-Fa-f:.]{2,64}\])(?::[0-9]{1,5})?"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}\Z")
_DB_SCHEMES = frozenset(
    {
        "postgres",
        "postgresql",
        "mysql",
        "mariadb",
        "mongodb",
        "mongodb+srv",
        "redis",
        "rediss",
        "amqp",
        "amqps",
        "mssql",
        "sqlserver",
        "oracle",
        "cockroachdb",
        "clickhouse",
        "cassandra",
        "couchdb",
        "neo4j",
        "neo4j+s",
        "bolt",
        "memcached",
        "kafka",
        "nats",
    }
)
_LOCAL_HOSTS = re.compile(r"localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|example\.(?:com|org|net)|.*\.(?:test|invalid)")


def pem_blocks(text: str) -> tuple[list[Finding], list[tuple[int, int]]]:
    """PRIVATE_KEY findings, and the spans of every PEM block (keys, certificates)."""
    findings: list[Finding] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    next_end = -2  # cached position of the next "-----END ", so hostile input stays linear
    while (begin := text.find("-----BEGIN", pos)) >= 0:
        head = _PEM_BEGIN.match(text, begin)
        if head is None:
            pos = begin + 10
            continue
        if next_end != -1 and next_end < head.end():
            next_end = text.find("-----END ", head.end())
        tail = _PEM_END.match(text, next_end) if 0 <= next_end <= head.end() + MAX_PEM else None
        nested = text.find("-----BEGIN ", head.end(), next_end) if tail is not None else -1
        if tail is not None and nested < 0:
            end = tail.end()
        else:  # truncated or pasted without its END line: take the base64 that follows
            body = _PEM_BODY.match(text, head.end())
            end = head.end() + len(body.group().rstrip()) if body else head.end()
        spans.append((begin, end))
        if "PRIVATE KEY" in head.group(1):
            # A header around "..." or "<key>" is documentation, not a key.
            real = _BASE64_LINE.search(text, head.end(), end) is not None
            findings.append(Finding("PRIVATE_KEY", "credentials", begin, end, 0.95 if real else 0.3))
        pos = max(end, begin + 10)
    return findings, spans


def url_credentials(text: str) -> list[Finding]:
    """``scheme://user:password@host`` with a real (non-placeholder) password."""
    findings = []
    for m in _URL_CREDENTIALS.finditer(text):
        scheme = _SCHEME.search(text, max(0, m.start() - 31), m.start())
        if scheme is None:
            continue
        confidence = value_confidence(m.group(2), quoted=True)
        if confidence is None:
            continue
        if _LOCAL_HOSTS.fullmatch(m.group(3).lower()):
            confidence = min(confidence, 0.6)  # a local or documentation database
        if scheme.group().lower() in _DB_SCHEMES:
            findings.append(Finding("CONNECTION_STRING", "credentials", scheme.start(), m.end(), confidence + 0.05))
        else:
            findings.append(Finding("URL_CREDENTIALS", "credentials", scheme.start(), m.end(), confidence))
    return findings
