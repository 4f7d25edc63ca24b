"""Credentials in the vendors' real formats (prefix, length, alphabet, checksum) with random bodies.

GitHub and npm tokens carry their CRC32 checksum in base62 like the real ones; private keys are
PEM blocks whose DER body starts with the real ASN.1 header of that key type; JWTs have a real
base64url JSON header and payload and a signature of the algorithm's length. Values are random,
so none of them grants access to anything.
"""

from __future__ import annotations

import base64
import json
import string
import zlib

from bench.dlp_corpus_base import ALNUM, B64URL, HEX, Gen

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_AWS_ID = string.ascii_uppercase + "234567"
_B64 = ALNUM + "+/"


def _base62_crc(body: str) -> str:
    """The 6-character base62 CRC32 that GitHub and npm append to their tokens."""
    n = zlib.crc32(body.encode())
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _BASE62[r] + out
    return out.rjust(6, "0")


def openai_key(g: Gen) -> str:
    kind = g.rng.random()
    if kind < 0.3:  # the legacy user key
        return f"sk-{g.chars(ALNUM, 20)}T3BlbkFJ{g.chars(ALNUM, 20)}"
    prefix = "sk-proj-" if kind < 0.85 else g.pick(("sk-svcacct-", "sk-admin-"))
    return f"{prefix}{g.chars(B64URL, 74)}T3BlbkFJ{g.chars(B64URL, 74)}"


def anthropic_key(g: Gen) -> str:
    prefix = "sk-ant-api03-" if g.chance(0.85) else "sk-ant-admin01-"
    return f"{prefix}{g.chars(B64URL, 93)}AA"


def aws_access_key(g: Gen) -> str:
    return g.pick(("AKIA", "AKIA", "AKIA", "ASIA")) + g.chars(_AWS_ID, 16)


def aws_secret_key(g: Gen) -> str:
    return g.chars(_B64, 40)


def github_token(g: Gen) -> str:
    if g.chance(0.25):  # fine-grained personal access token
        return f"github_pat_11{g.chars(string.ascii_uppercase + string.digits, 20)}_{g.chars(ALNUM, 59)}"
    body = g.chars(ALNUM, 30)
    return f"{g.pick(('ghp', 'ghp', 'gho', 'ghu', 'ghs', 'ghr'))}_{body}{_base62_crc(body)}"


def gitlab_token(g: Gen) -> str:
    return g.pick(("glpat-", "glpat-", "glpat-", "gldt-", "glrt-")) + g.chars(B64URL, 20)


def slack_token(g: Gen) -> str:
    kind = g.rng.random()
    team, user = g.digits(g.rng.randint(10, 13)), g.digits(g.rng.randint(10, 13))
    if kind < 0.5:
        return f"xoxb-{team}-{user}-{g.chars(ALNUM, 24)}"
    if kind < 0.8:
        return f"xoxp-{team}-{user}-{g.digits(13)}-{g.chars(HEX, 32)}"
    return f"xapp-1-A{g.chars(string.ascii_uppercase + string.digits, 10)}-{g.digits(13)}-{g.chars(HEX, 64)}"


def slack_webhook(g: Gen) -> str:
    upper = string.ascii_uppercase + string.digits
    return (
        f"https://hooks.slack.com/services/T{g.chars(upper, g.rng.randint(8, 10))}"
        f"/B{g.chars(upper, g.rng.randint(8, 10))}/{g.chars(ALNUM, 24)}"
    )


def stripe_key(g: Gen) -> str:
    kind = g.rng.random()
    if kind < 0.15:
        return f"whsec_{g.chars(ALNUM, 32)}"
    prefix = "sk_live_" if kind < 0.8 else "rk_live_"
    return prefix + (g.chars(ALNUM, 24) if g.chance(0.4) else "51" + g.chars(ALNUM, 97))


def google_api_key(g: Gen) -> str:
    return "AIza" + g.chars(B64URL, 35)


def azure_key(g: Gen) -> str:
    """Either the classic 32-hex Cognitive Services key or the 84-character 2024 format."""
    if g.chance(0.5):
        return g.chars(HEX, 32)
    upper = string.ascii_uppercase
    return (
        f"{g.chars(ALNUM, 52)}JQQJ99B{g.chars('ABCDEFGHIJKL', 1)}AC{g.chars(ALNUM, 5)}"
        f"XJ3w3AAA{g.chars(upper, 2)}COG{g.chars(ALNUM, 4)}"
    )


def twilio_key(g: Gen) -> str:
    return "SK" + g.chars(HEX, 32)


def sendgrid_key(g: Gen) -> str:
    return f"SG.{g.chars(B64URL, 22)}.{g.chars(B64URL, 43)}"


def npm_token(g: Gen) -> str:
    body = g.chars(ALNUM, 30)
    return f"npm_{body}{_base62_crc(body)}"


def pypi_token(g: Gen) -> str:
    # "AgEIcHlwaS5vcmc" is the base64 macaroon header naming pypi.org: every real token has it.
    return "pypi-AgEIcHlwaS5vcmc" + g.chars(B64URL, g.rng.randint(70, 160))


def github_checksum_ok(token: str) -> bool:
    """True when a ``gh?_``/``npm_`` token's last six characters are its body's CRC32."""
    body = token.split("_", 1)[1]
    return _base62_crc(body[:-6]) == body[-6:]


# DER headers of each private-key type; the rest of the body is random bytes.
_PEM_KINDS: tuple[tuple[str, bytes, int], ...] = (
    ("RSA PRIVATE KEY", bytes.fromhex("308204a40201000282010100"), 1192),
    (
        "PRIVATE KEY",
        bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100"),
        1217,
    ),
    ("EC PRIVATE KEY", bytes.fromhex("307702010104"), 121),
    ("ENCRYPTED PRIVATE KEY", bytes.fromhex("3082052c305606092a864886f70d01050d3049"), 1328),
    ("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none", 400),
    ("DSA PRIVATE KEY", bytes.fromhex("308201bb02010002818100"), 443),
)


def private_key(g: Gen) -> str:
    """A PEM private-key block: real armour and DER header, random body, 64-column lines."""
    label, header, size = g.pick(_PEM_KINDS)
    body = header + g.rng.randbytes(size - len(header))
    b64 = base64.b64encode(body).decode()
    width = 70 if label.startswith("OPENSSH") else 64
    lines = [b64[i : i + width] for i in range(0, len(b64), width)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def _b64url_json(obj: dict[str, object]) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt(g: Gen) -> str:
    """A JWT with a real header and payload (no personal data in the claims) and a random signature."""
    alg, sig_bytes = g.pick((("HS256", 32), ("RS256", 256), ("ES256", 64), ("HS512", 64)))
    header: dict[str, object] = {"alg": alg, "typ": "JWT"}
    if alg.startswith(("RS", "ES")) and g.chance(0.6):
        header["kid"] = g.chars(B64URL, 22)
    issued = 1_700_000_000 + g.rng.randint(0, 60_000_000)
    payload: dict[str, object] = {
        "sub": g.fake().uuid4() if g.chance(0.5) else g.digits(8),
        "iat": issued,
        "exp": issued + g.pick((900, 3600, 86_400)),
    }
    if g.chance(0.6):
        payload["iss"] = f"https://auth.{g.pick(('corp-sso', 'login', 'id'))}.{g.pick(('io', 'net', 'dev'))}/"
    if g.chance(0.5):
        payload["scope"] = g.pick(("read:orders write:orders", "openid profile", "admin", "api.read"))
    signature = base64.urlsafe_b64encode(g.rng.randbytes(sig_bytes)).decode().rstrip("=")
    return f"{_b64url_json(header)}.{_b64url_json(payload)}.{signature}"


def password(g: Gen) -> str:
    """A human-made password: words, digits and a symbol, the kind that ends up in config files.

    Symbols are limited to ones that need no quoting in a URL, a shell or YAML, as people who
    paste working config end up choosing.
    """
    words = ("Summer", "Falcon", "Orange", "Tiger", "Winter", "Blue", "Rocket", "Maple", "Delta", "Coffee")
    if g.chance(0.5):
        return f"{g.pick(words)}{g.pick(words).lower()}{g.digits(g.rng.randint(2, 4))}{g.pick('!$*-_.')}"
    body = g.chars(ALNUM + "!$*-_.", g.rng.randint(11, 19))
    return g.chars(string.ascii_letters, 1) + body


def generic_secret(g: Gen) -> str:
    """A random secret without a vendor prefix (Django SECRET_KEY, client secrets, signing keys)."""
    return g.pick(
        (
            g.chars(ALNUM + "!@#%^&*(-_=+)", 50),
            g.chars(HEX, g.pick((32, 40, 64))),
            g.chars(B64URL, g.rng.randint(32, 48)),
        )
    )
