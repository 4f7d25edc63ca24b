"""JWT identities through the gateway: refusals are 401s in the caller's format saying
why; a verified identity drives policies, limits, logs and the admin API."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.harness import Stack, running_stack

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CHAT = "/v1/default/openai/chat/completions"
PROVIDER_KEY = {"Authorization": "Bearer sk-test"}


def token(**claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": "ana", "groups": ["eng"], "exp": now + 300, "iss": "idp", "aud": "weir", **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, KEY, algorithm="RS256")


@pytest.fixture
def jwt_toml(tmp_path: Path) -> str:
    pem = tmp_path / "idp.pem"
    pem.write_bytes(
        KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return (
        "[gateways.default.auth]\nrequired = true\n"
        f'[gateways.default.auth.jwt]\nalgorithms = ["RS256"]\npublic_key_file = "{pem}"\n'
        'issuer = "idp"\naudience = "weir"\n'
    )


async def post(stack: Stack, headers: dict[str, str], path: str = CHAT) -> tuple[int, dict[str, Any]]:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    async with aiohttp.ClientSession() as session, session.post(stack.url(path), json=body, headers=headers) as r:
        return r.status, await r.json(content_type=None)


async def test_a_verified_token_is_the_identity(jwt_toml: str) -> None:
    async with running_stack(jwt_toml) as stack:
        headers = {**PROVIDER_KEY, "weir-authorization": f"Bearer {token()}", "X-Forwarded-User": "root"}
        status, _ = await post(stack, headers)
        assert status == 200
        assert stack.exchanges[-1].user == "ana"  # never the forwarded header
        assert stack.exchanges[-1].groups == ("eng",)
        assert "weir-authorization" not in stack.openai.requests[-1].headers  # never sent upstream


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "this gateway requires a token"),
        ("Bearer " + token(exp=int(time.time()) - 3600), "the token has expired"),
        ("Bearer " + token(aud="other"), "another audience"),
        ("Bearer " + token(iss="evil"), "another issuer"),
        ("Bearer " + token(exp=None), "no 'exp' claim"),
        ("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbmEifQ.", "'none' is not allowed"),
        ("Bearer not.a.jwt", "not a well-formed JWT"),
        ("Bearer some-static-token", "not valid for this gateway"),
        ("Basic YW5hOnB3", "weir-authorization: Bearer <token>"),
    ],
)
async def test_refusals_are_401s_saying_why(jwt_toml: str, header: str | None, message: str) -> None:
    async with running_stack(jwt_toml) as stack:
        headers = dict(PROVIDER_KEY)
        if header is not None:
            headers["cf-aig-authorization"] = header
        status, body = await post(stack, headers)
        assert status == 401
        assert message in body["error"]["message"]
        assert not stack.openai.requests
        if header is not None:
            assert header.split(" ", 1)[1] not in body["error"]["message"]


async def test_an_admin_jwt_opens_the_admin_api(jwt_toml: str) -> None:
    async with running_stack(jwt_toml) as stack, aiohttp.ClientSession() as session:
        admin = {"weir-authorization": f"Bearer {token(groups=['admin'])}"}
        async with session.get(stack.url("/api/logs"), headers=admin) as response:
            assert response.status == 200
        user = {"weir-authorization": f"Bearer {token()}"}
        async with session.get(stack.url("/api/logs"), headers=user) as response:
            assert response.status == 401
        async with session.get(stack.url("/api/logs")) as response:
            assert response.status == 401
