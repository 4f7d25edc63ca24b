"""The DLP evaluation corpus is reproducible, well-formed and holds real formats."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import dlp_corpus_keys as keys
from bench import dlp_corpus_values as values
from bench.dlp_corpus import Case, build_corpus, composition, fingerprint
from bench.dlp_corpus_base import ENTRY_TOPIC, STRUCTURED_ENTRIES, Gen
from bench.dlp_corpus_load import prompt_4k

REPO = Path(__file__).resolve().parents[2]
_DIGIT_RUN = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b")


@pytest.fixture(scope="module")
def corpus() -> list[Case]:
    return build_corpus()


def test_same_seed_same_corpus(corpus: list[Case]) -> None:
    assert fingerprint(build_corpus()) == fingerprint(corpus)
    assert fingerprint(build_corpus(seed=1)) != fingerprint(corpus)


def test_same_corpus_in_another_process_with_another_hash_seed(corpus: list[Case]) -> None:
    code = "from bench.dlp_corpus import build_corpus, fingerprint; print(fingerprint(build_corpus()))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == fingerprint(corpus)


def test_cases_are_well_formed(corpus: list[Case]) -> None:
    assert len(corpus) >= 3000
    assert len({c.id for c in corpus}) == len(corpus)
    assert len({c.text for c in corpus}) == len(corpus), "a repeated text would weigh twice in the rates"
    for c in corpus:
        assert c.text.strip(), c.id
        assert c.expected <= ENTRY_TOPIC.keys(), c.id
        assert c.topics == {ENTRY_TOPIC[e] for e in c.expected}, c.id
        assert c.id.startswith(c.kind + "-")
        if c.benign:
            assert c.expected <= {"SOURCE_CODE"}, c.id
        else:
            assert c.expected - {"SOURCE_CODE"}, c.id
        assert not re.search(r"\{\{\w+\}\}|@(KEY|VAR|VENDOR|HARM|LANG|EVADE)\b", c.text), c.id


def test_composition_meets_the_brief(corpus: list[Case]) -> None:
    per_entry, per_kind = composition(corpus)
    for entry in STRUCTURED_ENTRIES:
        assert per_entry[entry] >= 150, entry
    assert sum("intent_jailbreak" in c.topics for c in corpus) >= 300
    assert sum(c.benign and not c.expected for c in corpus) >= 1000
    languages = {k.removeprefix("jailbreak_") for k in per_kind if k.startswith("jailbreak_")}
    assert {"de", "fr", "es", "it", "pt", "ru", "zh"} <= languages
    techniques = {k for k in per_kind if k.startswith("evasion_")}
    assert techniques == {f"evasion_{t}" for t in ("zero_width", "fullwidth", "homoglyph", "base64", "url_encoded")}
    assert all(n > 0 for n in Counter(e for c in corpus for e in c.expected).values())


def test_cards_in_positives_are_luhn_valid_and_benign_ones_are_test_cards(corpus: list[Case]) -> None:
    for c in corpus:
        if c.is_evasion or not ({"CREDIT_CARD"} & c.expected or c.kind == "benign_test_card"):
            continue
        runs = [re.sub(r"[ -]", "", m) for m in _DIGIT_RUN.findall(c.text)]
        cards = [r for r in runs if values.luhn_valid(r) and 13 <= len(r) <= 19]
        assert cards, c.id
        if c.benign:
            assert set(cards) <= set(values.TEST_CARDS), c.id
        else:
            assert not set(cards) & set(values.TEST_CARDS), c.id


def test_ibans_in_positives_pass_mod97(corpus: list[Case]) -> None:
    checked = 0
    for c in corpus:
        if "IBAN" in c.expected and not c.is_evasion:
            found = [m for m in _IBAN.findall(c.text) if m[:2] in values.IBAN_COUNTRIES]
            assert any(values.iban_valid(m) for m in found), c.id
            checked += 1
    assert checked >= 150


@pytest.mark.parametrize("seed", range(40))
def test_value_generators_follow_the_real_rules(seed: int) -> None:
    g = Gen(seed)
    card = values.card_number(g)
    assert values.luhn_valid(card) and card[0] in "23456" and 14 <= len(card) <= 16
    area, group, serial = values.ssn(g).split("-")
    assert area not in ("000", "666") and int(area) < 900 and group != "00" and serial != "0000"
    assert values.itin(g).startswith("9")
    iban = values.iban(g)
    assert values.iban_valid(iban) and values.iban_valid(values.format_iban(g, iban))
    aba = values.aba_routing(g)
    assert sum(int(d) * w for d, w in zip(aba, (3, 7, 1) * 3, strict=True)) % 10 == 0


_KEY_FORMATS: dict[Callable[[Gen], str], str] = {
    keys.openai_key: r"sk-(?:proj-|svcacct-|admin-)?[\w-]{20,74}T3BlbkFJ[\w-]{20,74}",
    keys.anthropic_key: r"sk-ant-(?:api03|admin01)-[\w-]{93}AA",
    keys.aws_access_key: r"(?:AKIA|ASIA)[A-Z2-7]{16}",
    keys.aws_secret_key: r"[A-Za-z0-9/+]{40}",
    keys.github_token: r"gh[pousr]_[A-Za-z0-9]{36}|github_pat_11[A-Z0-9]{20}_[A-Za-z0-9]{59}",
    keys.gitlab_token: r"gl(?:pat|dt|rt)-[\w-]{20}",
    keys.slack_token: (
        r"xox[bp]-\d{10,13}-\d{10,13}-(?:[A-Za-z0-9]{24}|\d{13}-[a-f0-9]{32})"
        r"|xapp-1-A[A-Z0-9]{10}-\d{13}-[a-f0-9]{64}"
    ),
    keys.slack_webhook: r"https://hooks\.slack\.com/services/T[A-Z0-9]{8,10}/B[A-Z0-9]{8,10}/[A-Za-z0-9]{24}",
    keys.stripe_key: r"(?:sk|rk)_live_(?:[A-Za-z0-9]{24}|51[A-Za-z0-9]{97})|whsec_[A-Za-z0-9]{32}",
    keys.google_api_key: r"AIza[\w-]{35}",
    keys.azure_key: r"[0-9a-f]{32}|[A-Za-z0-9]{52}JQQJ99B[A-L]AC[A-Za-z0-9]{5}XJ3w3AAA[A-Z]{2}COG[A-Za-z0-9]{4}",
    keys.twilio_key: r"SK[0-9a-f]{32}",
    keys.sendgrid_key: r"SG\.[\w-]{22}\.[\w-]{43}",
    keys.npm_token: r"npm_[A-Za-z0-9]{36}",
    keys.pypi_token: r"pypi-AgEIcHlwaS5vcmc[\w-]{70,160}",
}


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("make", list(_KEY_FORMATS), ids=lambda f: f.__name__)
def test_keys_have_the_vendor_format(make: Callable[[Gen], str], seed: int) -> None:
    value = make(Gen(seed))
    assert re.fullmatch(_KEY_FORMATS[make], value), value
    if value.startswith(("gh", "npm_")) and not value.startswith("github_pat_"):
        assert keys.github_checksum_ok(value)


@pytest.mark.parametrize("seed", range(20))
def test_private_keys_and_jwts_are_structurally_real(seed: int) -> None:
    g = Gen(seed)
    lines = keys.private_key(g).splitlines()
    label = re.fullmatch(r"-----BEGIN ([A-Z ]+)-----", lines[0])
    assert label and lines[-1] == f"-----END {label.group(1)}-----"
    assert base64.b64decode("".join(lines[1:-1]), validate=True)
    header, payload, signature = keys.jwt(g).split(".")
    assert json.loads(_b64url(header))["alg"] in ("HS256", "RS256", "ES256", "HS512")
    assert "exp" in json.loads(_b64url(payload))
    assert len(_b64url(signature)) in (32, 64, 256)


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_speed_prompt_is_4kb() -> None:
    assert len(prompt_4k()) == 4096
