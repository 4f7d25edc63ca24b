"""Operator customer lists end to end: hashed by `weir hash-list`, loaded from config
with the salt from the environment, matched in prompts, never stored in clear."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openai
import pytest

from config import parse_config
from policies import build_inspector
from tests.harness import running_stack

SALT = "edm-salt-0123456789abcdef"
CUSTOMERS = "Acme Widgets Ltd\nGlobex Corporation\nInitech\n"


def hash_list(tmp_path: Path) -> Path:
    source = tmp_path / "customers.txt"
    source.write_text(CUSTOMERS)
    env = {**os.environ, "WEIR_EDM_SALT": SALT, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "hash-list", str(source)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    out = tmp_path / "customers.edm.json"
    out.write_text(result.stdout)
    return out


async def test_a_listed_customer_is_blocked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digests = hash_list(tmp_path)
    assert "Acme" not in digests.read_text() and "initech" not in digests.read_text().lower()
    monkeypatch.setenv("WEIR_EDM_SALT", SALT)
    toml = (
        f'[[dlp.exact_data]]\nentry = "CUSTOMER_NAME"\nfile = "{digests}"\n'
        '[[dlp.rules]]\nname = "no-customer-names"\nentries = ["CUSTOMER_NAME"]\naction = "block"\n'
    )
    async with running_stack(toml) as stack:
        client = openai.AsyncOpenAI(base_url=stack.url("/v1/default/openai"), api_key="sk-test", max_retries=0)
        with pytest.raises(openai.PermissionDeniedError) as info:
            await client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "Summarise the ACME widgets ltd. renewal"}]
            )
        assert "CUSTOMER_NAME" in info.value.body["message"]  # type: ignore[index]
        reply = await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Summarise the Umbrella renewal"}]
        )
        assert reply.choices[0].message.content


def test_a_missing_salt_stops_start_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digests = hash_list(tmp_path)
    monkeypatch.delenv("WEIR_EDM_SALT", raising=False)
    config = parse_config(f'[[dlp.exact_data]]\nentry = "CUSTOMER_NAME"\nfile = "{digests}"\n')
    with pytest.raises(
        ValueError, match=r"dlp.exact_data\[0\] \(CUSTOMER_NAME\): the environment variable WEIR_EDM_SALT"
    ):
        build_inspector(config.dlp, config.policy_rules)
