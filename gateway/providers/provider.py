"""A resolved provider: its configuration (data) joined with its API family (functions)."""

from __future__ import annotations

from dataclasses import dataclass

from yarl import URL

from config import ProviderConfig
from gateway.headers import auth_headers
from gateway.providers.family import Family
from gateway.upstream_url import build_upstream_url


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    config: ProviderConfig
    family: Family

    def url(self, raw_tail: str, raw_query: str = "") -> URL:
        """The upstream URL for a client path tail; raises ``UnsafePath`` if it escapes."""
        return build_upstream_url(self.config.base_url, raw_tail, raw_query)

    def auth(self, key: str) -> dict[str, str]:
        return auth_headers(self.config.auth, key)
