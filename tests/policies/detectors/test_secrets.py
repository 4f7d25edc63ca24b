"""Provider keys (the table in secrets_keys.py) through SecretsDetector.

Every vector is built here in the provider's real format with a random body, so no test
holds a real key. Near misses must not fire, or fire low where the preamble says so.
"""

from __future__ import annotations

import base64
import json
import random
import string
import time

import pytest

from policies.detectors.secrets import SecretsDetector
from policies.finding import Finding, Level

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
UPPER_B32 = string.ascii_uppercase + "234567"
DIGITS = string.digits

_rng = random.Random(20240611)


def rnd(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


def b64url_json(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def jwt(header: dict[str, str], signature: str) -> str:
    return f"{b64url_json(header)}.{b64url_json({'sub': rnd(8), 'exp': 1900000000})}.{signature}"


DETECTOR = SecretsDetector()


def only(text: str) -> Finding:
    findings = DETECTOR.detect(text)
    assert len(findings) == 1, findings
    return findings[0]


# (entry, secret, level): the secret is embedded in "key: <secret> end" and must be spanned exactly.
KEYS = [
    ("OPENAI_API_KEY", f"sk-{rnd(20)}T3BlbkFJ{rnd(20)}", Level.HIGH),
    ("OPENAI_API_KEY", f"sk-proj-{rnd(74, B64URL)}T3BlbkFJ{rnd(74, B64URL)}", Level.HIGH),
    ("OPENAI_API_KEY", f"sk-svcacct-{rnd(58, B64URL)}T3BlbkFJ{rnd(58, B64URL)}", Level.HIGH),
    ("OPENAI_API_KEY", f"sk-admin-{rnd(58, B64URL)}T3BlbkFJ{rnd(58, B64URL)}", Level.HIGH),
    ("OPENAI_API_KEY", f"sk-{rnd(48)}", Level.MEDIUM),  # marker-less legacy shape, shared with other vendors
    ("ANTHROPIC_API_KEY", f"sk-ant-api03-{rnd(93, B64URL)}AA", Level.HIGH),
    ("ANTHROPIC_API_KEY", f"sk-ant-admin01-{rnd(93, B64URL)}AA", Level.HIGH),
    ("AWS_ACCESS_KEY", f"AKIA{rnd(16, UPPER_B32)}", Level.HIGH),
    ("AWS_ACCESS_KEY", f"ASIA{rnd(16, UPPER_B32)}", Level.HIGH),
    ("GITHUB_TOKEN", f"ghp_{rnd(36)}", Level.HIGH),
    ("GITHUB_TOKEN", f"gho_{rnd(36)}", Level.HIGH),
    ("GITHUB_TOKEN", f"ghs_{rnd(36)}", Level.HIGH),
    ("GITHUB_TOKEN", f"github_pat_{rnd(22)}_{rnd(59)}", Level.HIGH),
    ("GITLAB_TOKEN", f"glpat-{rnd(20, B64URL)}", Level.HIGH),
    ("SLACK_TOKEN", f"xoxb-{rnd(12, DIGITS)}-{rnd(13, DIGITS)}-{rnd(24)}", Level.HIGH),
    ("SLACK_TOKEN", f"xoxp-{rnd(12, DIGITS)}-{rnd(12, DIGITS)}-{rnd(12, DIGITS)}-{rnd(32, HEX)}", Level.HIGH),
    ("SLACK_TOKEN", f"xapp-1-A{rnd(10, UPPER_B32)}-{rnd(13, DIGITS)}-{rnd(64, HEX)}", Level.HIGH),
    (
        "SLACK_WEBHOOK",
        f"hooks.slack.com/services/T{rnd(10, UPPER_B32)}/B{rnd(10, UPPER_B32)}/{rnd(24)}",
        Level.HIGH,
    ),
    ("STRIPE_KEY", f"sk_live_{rnd(24)}", Level.HIGH),
    ("STRIPE_KEY", f"rk_live_{rnd(99)}", Level.HIGH),
    ("STRIPE_KEY", f"sk_test_{rnd(24)}", Level.MEDIUM),
    ("STRIPE_KEY", f"pk_live_{rnd(24)}", Level.LOW),  # publishable keys are public by design
    ("GOOGLE_API_KEY", f"AIza{rnd(35, B64URL)}", Level.HIGH),
    ("AZURE_KEY", f"AccountKey={rnd(86, B64)}==", Level.HIGH),
    ("AZURE_KEY", f"SharedAccessKey={rnd(43, B64)}=", Level.HIGH),
    ("TWILIO_KEY", f"SK{rnd(32, HEX)}", Level.HIGH),
    ("SENDGRID_KEY", f"SG.{rnd(22, B64URL)}.{rnd(43, B64URL)}", Level.HIGH),
    ("NPM_TOKEN", f"npm_{rnd(36)}", Level.HIGH),
    ("PYPI_TOKEN", f"pypi-AgEIcHlwaS5vcmc{rnd(60, B64URL)}", Level.HIGH),
    ("JWT", jwt({"alg": "HS256", "typ": "JWT"}, rnd(43, B64URL)), Level.HIGH),
    ("JWT", jwt({"alg": "none"}, ""), Level.MEDIUM),  # unsigned
]


@pytest.mark.parametrize(("entry", "secret", "level"), KEYS, ids=[f"{k[0]}-{i}" for i, k in enumerate(KEYS)])
def test_provider_key(entry: str, secret: str, level: Level) -> None:
    text = f"key: {secret} end"
    found = only(text)
    assert (found.entry, found.topic, found.level) == (entry, "credentials", level)
    assert text[found.start : found.end] == secret


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (f'OPENAI_API_KEY="sk-{rnd(20)}T3BlbkFJ{rnd(20)}"', "OPENAI_API_KEY"),
        (f"export STRIPE_WEBHOOK_SECRET=whsec_{rnd(32)}", "STRIPE_KEY"),
        (f"GITLAB_TOKEN=glrt-{rnd(20, B64URL)}", "GITLAB_TOKEN"),
        (f"AZURE_OPENAI_API_KEY={rnd(52)}JQQJ99{rnd(26)}", "AZURE_KEY"),
        (f"SENDGRID_KEY=SG.-{rnd(21, B64URL)}.{rnd(43, B64URL)}", "SENDGRID_KEY"),
        (f"aws_secret_access_key = /{rnd(39, ALNUM)}", "AWS_SECRET_KEY"),
        (f"https://hooks.slack.com/services/T{rnd(9, UPPER_B32)}/B{rnd(9, UPPER_B32)}/{rnd(24)}", "SLACK_WEBHOOK"),
        (f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={rnd(86, B64)}==;", "AZURE_KEY"),
        (f"export AWS_SECRET_ACCESS_KEY={rnd(20, B64)}{rnd(20, ALNUM)}", "AWS_SECRET_KEY"),
        (f"aws_access_key_id = AKIA{rnd(16, UPPER_B32)}", "AWS_ACCESS_KEY"),
        (f"Ocp-Apim-Subscription-Key: {rnd(32, HEX)}", "AZURE_KEY"),
        (f"TWILIO_ACCOUNT_SID=AC{rnd(32, HEX)} and the auth token", "TWILIO_KEY"),
        (f"?sv=2022-11-02&ss=b&sp=r&se=2030-01-01&sig={rnd(43, ALNUM)}%3D", "AZURE_KEY"),
    ],
)
def test_key_in_context(text: str, entry: str) -> None:
    assert [f.entry for f in DETECTOR.detect(text)] == [entry]


def test_token_inside_a_url_is_both() -> None:
    text = f"git clone https://x:ghp_{rnd(36)}@github.com/o/r"
    assert [f.entry for f in DETECTOR.detect(text)] == ["URL_CREDENTIALS", "GITHUB_TOKEN"]


def test_generic_gives_way_to_a_specific_key() -> None:
    assert [f.entry for f in DETECTOR.detect(f'password = "ghp_{rnd(36)}"')] == ["GITHUB_TOKEN"]


@pytest.mark.parametrize(
    "text",
    [
        f"sk-{rnd(20)}",  # too short
        f"ghp_{rnd(35)}",  # one short
        f"ghp_{rnd(37)}",  # one long
        f"xghp_{rnd(36)}",  # not at a token boundary
        f"AKIA{rnd(15, UPPER_B32)}",
        "ASIAN_COUNTRIES_LIST_2024",
        f"AIza{rnd(34, B64URL)}",
        f"glpat-{rnd(10)}",
        "xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx",
        "xoxb-my-bot-token",
        f"SK{rnd(31, HEX)}",
        f"{rnd(32, HEX)}",  # a bare 32-hex value: an MD5, an id
        f"AC{rnd(32, HEX)}",  # a Twilio account SID alone is an identifier, not a secret
        f"{rnd(40, B64)}",  # 40 base64 characters with nothing AWS nearby
        "eyJhbGciOiJIUzI1NiJ9.not-base64-json.sig",
        f"{b64url_json({'typ': 'JWT'})}.{b64url_json({'a': 1})}.{rnd(43, B64URL)}",  # no "alg"
        "sk_test_short",
        "pk_live_",
        f"sha256:{rnd(64, HEX)}",
        "550e8400-e29b-41d4-a716-446655440000",
    ],
)
def test_near_misses_do_not_fire(text: str) -> None:
    assert DETECTOR.detect(f"value {text} here") == []


@pytest.mark.parametrize(
    "text",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",  # jwt.io's example
        f"sk_live_{'0' * 24}",
        'stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',  # Stripe's quickstart key
    ],
)
def test_documented_examples_and_dummies_are_low(text: str) -> None:
    findings = DETECTOR.detect(text)
    assert findings, "reported, but low"
    assert all(f.level is Level.LOW for f in findings)


def test_entries_are_declared() -> None:
    for _, secret, _ in KEYS:
        for finding in DETECTOR.detect(f"x {secret} y"):
            assert finding.entry in DETECTOR.entries


def test_benign_code_and_prose_are_silent() -> None:
    text = (
        "import hashlib\n"
        "digest = hashlib.sha256(b'abc').hexdigest()\n"
        "# 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'\n"
        "commit = '3f2a9c1e5b7d8f0a1c2e3b4d5f6a7b8c9d0e1f2a'\n"
        "request_id = '550e8400-e29b-41d4-a716-446655440000'\n"
        "HAVE_GCC_ASM_FOR_MC68881 = 1\n"
        "path = '/usr/lib/python3.11/site-packages/numpy/core/__init__.py'\n"
        "img = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
        "hwGA60e6kgAAAABJRU5ErkJggg=='\n"
        "The tracking number is 1Z999AA10123456784 and the order 2024-05-01T12:00:00Z shipped.\n"
        "def check(password: str) -> bool:\n    return bcrypt.checkpw(password.encode(), stored)\n"
    )
    assert DETECTOR.detect(text) == []


def _elapsed(text: str) -> float:
    start = time.perf_counter()
    DETECTOR.detect(text)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "unit",
    [
        "a",
        "7",
        "-",
        "sk-",
        "ghp_",
        "AKIA",
        "eyJ",
        "eyJa.",
        "SG.",
        "://",
        "://a:b",
        "password=",
        "-----BEGIN ",
        "[{(",
        " ",
    ],
)
def test_hostile_input_is_linear(unit: str) -> None:
    n = 256 * 1024 // len(unit)
    small = min(_elapsed(unit * n) for _ in range(2))
    large = min(_elapsed(unit * (4 * n)) for _ in range(2))
    assert large / max(small, 2e-3) < 8  # the floor keeps timer noise on tiny runs out


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("db: postgres://admin:" + "p" * 256 + "@db.internal:5432/app", id="longest-password"),
        pytest.param("mail a@b.c, d@e.f; then redis://u:s3cr3tPass@cache.internal", id="after-other-ats"),
    ],
)
def test_credentialed_url_is_found_however_far_its_at(text: str) -> None:
    assert "CONNECTION_STRING" in {f.entry for f in DETECTOR.detect(text)}


def test_many_ats_without_a_url_find_nothing() -> None:
    assert DETECTOR.detect("@" * 200_000 + " :// " + "x@" * 1000) == []
