"""Stored provider keys end to end: injected only when the client sends none, never
shown in errors, logs or metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from config import parse_config
from gateway.keystore import KeyStore
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import serve
from tests.harness import running_gateway

SECRET = "a long enough key-file secret"
STORED = "sk-stored-0123456789abcdefghijklmnop"


def chat() -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WEIR_KEYS_SECRET", SECRET)
    path = tmp_path / "keys.json"
    KeyStore(path, SECRET).add("openai", STORED)
    return path


@pytest.mark.parametrize("path", ["/v1/default/openai/chat/completions", "/v1/default/compat/chat/completions"])
async def test_a_stored_key_is_injected_when_the_client_sends_none(key_file: Path, path: str) -> None:
    fake = OpenAIFake(api_keys={STORED, "sk-client-own"})
    async with serve(fake.app) as upstream:
        config = parse_config(
            f'[providers.openai]\nbase_url = "{upstream}/v1"\n[keys]\nfile = "{key_file}"\n', "test.toml"
        )
        exchanges: list[Any] = []
        async with running_gateway(config, exchanges) as gateway, aiohttp.ClientSession() as session:
            body = chat() if "openai/" in path else {**chat(), "model": "openai/gpt-4o-mini"}
            async with session.post(gateway + path, json=body) as response:
                assert response.status == 200
            assert fake.requests[-1].headers["Authorization"] == f"Bearer {STORED}"
            headers = {"Authorization": "Bearer sk-client-own"}
            async with session.post(gateway + path, json=body, headers=headers) as response:
                assert response.status == 200
            assert fake.requests[-1].headers["Authorization"] == "Bearer sk-client-own"
            async with session.get(gateway + "/metrics") as response:
                assert STORED not in await response.text()
    assert exchanges[0].key_fingerprint is not None
    assert STORED not in repr(exchanges)


async def test_a_bad_key_file_stops_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIR_KEYS_SECRET", "the wrong secret, long enough")
    path = tmp_path / "keys.json"
    KeyStore(path, SECRET).add("openai", STORED)
    config = parse_config(f'[keys]\nfile = "{path}"\n', "test.toml")
    with pytest.raises(ValueError, match="does not decrypt"):
        async with running_gateway(config):
            pass
