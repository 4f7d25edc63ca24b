"""Secrets without a vendor marker (secrets_generic.py) and structured ones (secrets_blocks.py).

Passwords assigned in code and config, random tokens near secret words, PEM private keys,
and URLs or connection strings carrying a password; each with its near misses.
"""

from __future__ import annotations

import random
import string

import pytest

from policies.detectors.secrets import SecretsDetector
from policies.detectors.secrets_generic import entropy, token_kind
from policies.finding import Level

_rng = random.Random(7)
ALNUM = string.ascii_letters + string.digits


def rnd(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


DETECTOR = SecretsDetector()


def findings(text: str) -> list[tuple[str, str, Level]]:
    return [(f.entry, text[f.start : f.end], f.level) for f in DETECTOR.detect(text)]


@pytest.mark.parametrize(
    ("text", "value", "level"),
    [
        ('password = "hunter2!x"', "hunter2!x", Level.HIGH),
        ("db_password: 'Tr0ub4dor&3'", "Tr0ub4dor&3", Level.HIGH),
        ('{"password": "s3cr3t-P@ss"}', "s3cr3t-P@ss", Level.HIGH),
        ('dbPassword := "zx81Spectrum"', "zx81Spectrum", Level.HIGH),
        ("export PGPASSWORD=s3cret99", "s3cret99", Level.MEDIUM),
        ("PGPASSWORD=lWipAFxPyrqssc psql -h db", "lWipAFxPyrqssc", Level.MEDIUM),  # a bare word, in a shell
        ("DB_PASSWD=abc12345", "abc12345", Level.MEDIUM),
        ("pwd=Kx9#mQ2v", "Kx9#mQ2v", Level.MEDIUM),
        ("password: hunter22  # yaml", "hunter22", Level.MEDIUM),
        ("mysql --password hunter2x", "hunter2x", Level.MEDIUM),
        ("CREATE USER app WITH PASSWORD 'Zq8vN3xw'", "Zq8vN3xw", Level.MEDIUM),
        ("<password>hunter2x</password>", "hunter2x", Level.MEDIUM),
        ('password = "mysecretpassword"', "mysecretpassword", Level.MEDIUM),  # letters only
        ('password="test"', "test", Level.LOW),  # a weak test value
    ],
)
def test_password_assignment(text: str, value: str, level: Level) -> None:
    assert findings(text) == [("PASSWORD_ASSIGNMENT", value, level)]


@pytest.mark.parametrize(
    "text",
    [
        "password = os.environ['DB_PASSWORD']",
        "password = os.getenv('DB_PASSWORD')",
        "password=None",
        "password: str",
        "password: Optional[str] = None",
        "password: SecretStr",
        "password = getpass()",
        "password = getpass.getpass('Password: ')",
        "password = self.password",
        "password = request.form['password']",
        "const password = await bcrypt.hash(plain, 10);",
        'password = "${DB_PASSWORD}"',
        "PASSWORD=$(cat /run/secrets/db)",
        'password = "<password>"',
        'password = "changeme"',
        'password = "your-password-here"',
        'password = "********"',
        '"password": "password"',
        '"password": ""',
        '"password": "Please enter your password"',  # a UI string: low, checked below
        "password == 'abc'",
        "if len(password) >= 8:",
        "password_hash = '$2b$12$abcdefghijklmnopqrstuv'",
        "password_min_length: 12",
        "The password is stored hashed.",
        "the password for the account was reset yesterday",
        "or pass 'ignore' to ignore errors",
        "bypass = 'shortcut1'",
        "'HAVE_STRUCT_PASSWD_PW_PASSWD': 1,",
    ],
)
def test_password_near_misses(text: str) -> None:
    assert all(level is Level.LOW for _, _, level in findings(text)), findings(text)


@pytest.mark.parametrize(
    ("text", "entry", "level"),
    [
        (f'api_token = "{rnd(32)}"', "GENERIC_SECRET", Level.HIGH),
        (f"Authorization: Bearer {rnd(40)}", "GENERIC_SECRET", Level.HIGH),
        (f'headers["X-Auth-Token"] = "{rnd(28)}"', "GENERIC_SECRET", Level.HIGH),
        (f"here is my secret: {rnd(28)}", "GENERIC_SECRET", Level.HIGH),
        ("SECRET_KEY = 'django-insecure-)vx#skjy2zh&jrs*a8a^iy=9g3b'", "GENERIC_SECRET", Level.HIGH),
        ('client_secret = "q8Zr2LmV"', "GENERIC_SECRET", Level.HIGH),
        ("the admin password for the staging router is gAP0YGM1R!K..uB, can you", "PASSWORD_ASSIGNMENT", Level.MEDIUM),
        ("jdbc:postgresql://db:5432/app?user=svc&password=Bluesummer8817.", "CONNECTION_STRING", Level.HIGH),
        (f"use this token {rnd(28)} for the API", "GENERIC_SECRET", Level.MEDIUM),
        (f'api_key = "{rnd(40)}"', "GENERIC_SECRET", Level.HIGH),
        (f"SECRET_KEY = '{rnd(64, '0123456789abcdef')}'", "GENERIC_SECRET", Level.MEDIUM),  # hex, named
    ],
)
def test_generic_secret(text: str, entry: str, level: Level) -> None:
    [(found_entry, _, found_level)] = findings(text)
    assert (found_entry, found_level) == (entry, level)


@pytest.mark.parametrize(
    "text",
    [
        f"cache_key = '{rnd(40, '0123456789abcdef')}'",  # a digest named key, not secret
        f"commit {rnd(40, '0123456789abcdef')} fixed the token refresh",
        f"request id {rnd(28)} for the order",  # random, but nothing secret-ish near
        "token_counts_by_model_name_2024 = {}",
        "the auth flow uses getUserProfileHandlerV2 internally",
        "request_id = '550e8400-e29b-41d4-a716-446655440000'",  # a UUID
        "token: /home/user2/projects/app1/src/config_loader",
    ],
)
def test_generic_near_misses(text: str) -> None:
    assert findings(text) == []


def test_pem_private_key_spans_the_block() -> None:
    body = "\n".join(rnd(64, ALNUM + "+/") for _ in range(6))
    key = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----"
    assert findings(f"my key:\n{key}\nthanks") == [("PRIVATE_KEY", key, Level.HIGH)]


@pytest.mark.parametrize("label", ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "PGP PRIVATE KEY BLOCK"])
def test_pem_labels(label: str) -> None:
    key = f"-----BEGIN {label}-----\n{rnd(64, ALNUM)}\n-----END {label}-----"
    assert [e for e, _, _ in findings(key)] == ["PRIVATE_KEY"]


def test_truncated_pem_takes_the_base64_that_follows() -> None:
    text = f"-----BEGIN RSA PRIVATE KEY-----\n{rnd(64)}\n{rnd(64)}\n\nthen prose"
    [(entry, span, level)] = findings(text)
    assert (entry, level) == ("PRIVATE_KEY", Level.HIGH) and span.endswith(text.split("\n")[2])


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----",
    ],
)
def test_placeholder_pem_is_low(text: str) -> None:
    assert [(e, lv) for e, _, lv in findings(text)] == [("PRIVATE_KEY", Level.LOW)]


def test_public_key_and_certificate_are_not_secrets() -> None:
    lines = "\n".join(rnd(64, ALNUM + "+/") for _ in range(6))
    text = f"public key:\n-----BEGIN PUBLIC KEY-----\n{lines}\n-----END PUBLIC KEY-----\n"
    text += f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----"
    assert findings(text) == []


@pytest.mark.parametrize(
    ("text", "entry", "span", "level"),
    [
        (
            "see https://alice:Xk9v2mQz@api.internal.io/v1",
            "URL_CREDENTIALS",
            "https://alice:Xk9v2mQz@api.internal.io",
            Level.HIGH,
        ),
        (
            "postgres://app:s3cr3tPw9@db.prod.net:5432/app",
            "CONNECTION_STRING",
            "postgres://app:s3cr3tPw9@db.prod.net:5432",
            Level.HIGH,
        ),
        (
            "MONGO=mongodb+srv://u:Pa55w0rd1@cluster0.x.mongodb.net/db",
            "CONNECTION_STRING",
            "mongodb+srv://u:Pa55w0rd1@cluster0.x.mongodb.net",
            Level.HIGH,
        ),
        ("redis://:Zr8q1vXk@cache:6379/0", "CONNECTION_STRING", "redis://:Zr8q1vXk@cache:6379", Level.HIGH),
        (
            "jdbc:mysql://root:H4ppy!day@localhost:3306/db",
            "CONNECTION_STRING",
            "mysql://root:H4ppy!day@localhost:3306",
            Level.MEDIUM,
        ),
        ("Server=tcp:db;Database=app;User Id=sa;Password=p@ss99w;", "CONNECTION_STRING", "p@ss99w", Level.HIGH),
    ],
)
def test_credentialed_urls(text: str, entry: str, span: str, level: Level) -> None:
    assert findings(text) == [(entry, span, level)]


@pytest.mark.parametrize(
    "text",
    [
        "ssh://git@github.com/org/repo.git",
        "http://user@host/path",
        "https://user:password@example.com",
        "postgres://user:***@db/app",
        "postgres://user:<password>@db/app",
        "postgres://user:${DB_PASS}@db/app",
        "mysql://root:pass@localhost/db",
        "http://localhost:8080/path@v2",
        "see http://example.com:80/a:b@c",
    ],
)
def test_url_near_misses(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        (rnd(32), "random"),
        (rnd(40, "0123456789abcdef"), "hex"),
        ("getUserProfileHandlerV2Impl", None),
        ("HAVE_GCC_ASM_FOR_MC68881", None),
        ("550e8400-e29b-41d4-a716-446655440000", None),
        ("12345678901234567890123", None),
        ("com/document/d/1W7KCxOxP1Fy5EyF2lbJGE/edit", None),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", None),
    ],
)
def test_token_kind(token: str, kind: str | None) -> None:
    assert token_kind(token) == kind


def test_entropy() -> None:
    assert entropy("aaaa") == 0.0
    assert entropy("abcd") == 2.0
