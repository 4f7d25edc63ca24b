"""The admin rule of the ``/api`` routes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from config import parse_config
from gateway.admin import require_admin
from gateway.auth import hash_token
from gateway.runtime import RUNTIME
from policies.policy import ANONYMOUS, Identity

ADMIN, ANALYST = "wt-admin-0123456789", "wt-analyst-0123456789"
TOKENS = f"""
[[gateways.default.auth.tokens]]
hash = "{hash_token(ADMIN)}"
user = "ana"
groups = ["admin", "security"]
[[gateways.default.auth.tokens]]
hash = "{hash_token(ANALYST)}"
user = "bob"
groups = ["analysts"]
"""


def request(toml: str, headers: dict[str, str]) -> web.Request:
    app = web.Application()
    app[RUNTIME] = SimpleNamespace(config=parse_config(toml, "test.toml"), verifiers={})  # type: ignore[assignment]
    return make_mocked_request("GET", "/api/logs", headers=headers, app=app)


CASES = [
    ("", {}, ANONYMOUS),
    ("", {"weir-authorization": "Bearer anything"}, ANONYMOUS),
    (TOKENS, {}, None),
    (TOKENS, {"weir-authorization": f"Bearer {ADMIN}"}, Identity("ana", ("admin", "security"))),
    (TOKENS, {"weir-authorization": f"bearer  {ADMIN} "}, Identity("ana", ("admin", "security"))),
    (TOKENS, {"cf-aig-authorization": f"Bearer {ADMIN}"}, Identity("ana", ("admin", "security"))),
    (TOKENS, {"weir-authorization": f"Bearer {ANALYST}"}, None),
    (TOKENS, {"weir-authorization": f"Basic {ADMIN}"}, None),
    (TOKENS, {"weir-authorization": "Bearer wt-wrong"}, None),
    (TOKENS, {"weir-authorization": "Bearer"}, None),
    (TOKENS, {"Authorization": f"Bearer {ADMIN}"}, None),
]


@pytest.mark.parametrize(("toml", "headers", "expected"), CASES)
def test_require_admin(toml: str, headers: dict[str, str], expected: Identity | None) -> None:
    assert require_admin(request(toml, headers)) == expected
