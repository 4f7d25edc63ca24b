"""JWT identities: good tokens become identities; every known attack is refused with a
clear reason. Table-driven over real keys of each family."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from config.schema import JwtConfig, Seconds
from gateway.jwt_auth import JwtSetupError, JwtVerifier, TokenRejected, looks_like_jwt
from policies.policy import Identity

SECRET = "s" * 40
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
ED_KEY = ed25519.Ed25519PrivateKey.generate()


def pem(key: Any) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)  # type: ignore[no-any-return]


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"sub": "ana", "groups": ["eng", "admin"], "tenant": "acme", "exp": now + 300, "iat": now}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


@pytest.fixture
def rsa_verifier(tmp_path: Path) -> JwtVerifier:
    path = tmp_path / "rsa.pem"
    path.write_bytes(pem(RSA_KEY))
    return JwtVerifier(JwtConfig(algorithms=("RS256",), public_key_file=str(path), issuer="idp", audience="weir"))


def rs256(payload: dict[str, Any], key: Any = RSA_KEY, headers: dict[str, Any] | None = None) -> str:
    return jwt.encode(payload, key, algorithm="RS256", headers=headers)


def test_a_good_token_is_an_identity(rsa_verifier: JwtVerifier) -> None:
    token = rs256(claims(iss="idp", aud="weir"))
    assert rsa_verifier.verify(token) == Identity("ana", ("eng", "admin"), "acme")


def test_groups_may_be_a_space_separated_string(rsa_verifier: JwtVerifier) -> None:
    token = rs256(claims(iss="idp", aud="weir", groups="eng ops"))
    assert rsa_verifier.verify(token).groups == ("eng", "ops")


def _b64(data: bytes) -> str:
    return jwt.utils.base64url_encode(data).decode()


def _unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}."


def _tampered() -> str:
    head, _, signature = rs256(claims(iss="idp", aud="weir")).split(".")
    evil = _b64(json.dumps(claims(iss="idp", aud="weir", sub="root")).encode())
    return f"{head}.{evil}.{signature}"


ATTACKS = [
    (
        "alg none",
        lambda: _unsigned({"alg": "none", "typ": "JWT"}, claims(iss="idp", aud="weir")),
        "'none' is not allowed",
    ),
    ("RS256 to HS256 confusion: HMAC over the public key", lambda: _hs256_with_public_key(), "'HS256' is not allowed"),
    ("expired", lambda: rs256(claims(iss="idp", aud="weir", exp=int(time.time()) - 3600)), "has expired"),
    ("not yet valid", lambda: rs256(claims(iss="idp", aud="weir", nbf=int(time.time()) + 3600)), "not valid yet"),
    ("wrong audience", lambda: rs256(claims(iss="idp", aud="other")), "another audience"),
    ("no audience", lambda: rs256(claims(iss="idp")), "'aud' claim"),
    ("wrong issuer", lambda: rs256(claims(iss="evil", aud="weir")), "another issuer"),
    ("signed by another key", lambda: rs256(claims(iss="idp", aud="weir"), OTHER_RSA), "signature does not verify"),
    ("payload swapped after signing", _tampered, "signature does not verify"),
    ("no exp", lambda: rs256(claims(iss="idp", aud="weir", exp=None)), "no 'exp' claim"),
    ("jku", lambda: rs256(claims(iss="idp", aud="weir"), headers={"jku": "https://evil/jwks"}), "carries 'jku'"),
    ("x5u", lambda: rs256(claims(iss="idp", aud="weir"), headers={"x5u": "https://evil/cert"}), "carries 'x5u'"),
    ("embedded jwk", lambda: rs256(claims(iss="idp", aud="weir"), headers={"jwk": {"kty": "RSA"}}), "carries 'jwk'"),
    ("x5c", lambda: rs256(claims(iss="idp", aud="weir"), headers={"x5c": ["MII"]}), "carries 'x5c'"),
    ("kid path trick", lambda: rs256(claims(iss="idp", aud="weir"), headers={"kid": "../../dev/null"}), "plain key"),
    ("kid injection", lambda: rs256(claims(iss="idp", aud="weir"), headers={"kid": "x' OR '1'='1"}), "plain key"),
    ("malformed", lambda: "not-a-token", "not a well-formed JWT"),
    ("two segments", lambda: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0", "not a well-formed JWT"),
    ("garbage segments", lambda: "@@@.###.$$$", "not a well-formed JWT"),
    ("no subject", lambda: rs256(claims(iss="idp", aud="weir", sub=None)), "no 'sub' claim"),
    ("groups not strings", lambda: rs256(claims(iss="idp", aud="weir", groups=[1, 2])), "list of strings"),
]


def _hs256_with_public_key() -> str:
    # pyjwt refuses to sign HMAC with a PEM key; an attacker's own code would not: sign by hand.
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims(iss="idp", aud="weir")).encode())
    signature = hmac.new(pem(RSA_KEY), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


@pytest.mark.parametrize(("name", "make", "message"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attacks_are_refused_with_a_clear_reason(rsa_verifier: JwtVerifier, name: str, make: Any, message: str) -> None:
    token = make()
    with pytest.raises(TokenRejected, match=message) as info:
        rsa_verifier.verify(token)
    assert token not in str(info.value)


def test_confusion_fails_even_when_hmac_is_also_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIR_JWT_SECRET", SECRET)
    path = tmp_path / "rsa.pem"
    path.write_bytes(pem(RSA_KEY))
    verifier = JwtVerifier(
        JwtConfig(algorithms=("RS256", "HS256"), public_key_file=str(path), secret_env="WEIR_JWT_SECRET")
    )
    # HS256 is checked against the configured secret only, never against the RSA key.
    with pytest.raises(TokenRejected, match="signature does not verify"):
        verifier.verify(_hs256_with_public_key())
    assert verifier.verify(jwt.encode(claims(), SECRET, algorithm="HS256")).user == "ana"


@pytest.mark.parametrize(
    ("algorithm", "key"),
    [("ES256", EC_KEY), ("EdDSA", ED_KEY), ("PS256", RSA_KEY)],
)
def test_each_asymmetric_family(tmp_path: Path, algorithm: str, key: Any) -> None:
    path = tmp_path / "key.pem"
    path.write_bytes(pem(key))
    verifier = JwtVerifier(JwtConfig(algorithms=(algorithm,), public_key_file=str(path)))  # type: ignore[arg-type]
    assert verifier.verify(jwt.encode(claims(), key, algorithm=algorithm)).user == "ana"


def test_jwks_kid_picks_the_key(tmp_path: Path) -> None:
    document = {
        "keys": [
            {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key())), "kid": "one"},
            {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(OTHER_RSA.public_key())), "kid": "two"},
        ]
    }
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(document))
    verifier = JwtVerifier(JwtConfig(algorithms=("RS256",), jwks_file=str(path)))
    assert verifier.verify(rs256(claims(sub="b"), OTHER_RSA, {"kid": "two"})).user == "b"
    with pytest.raises(TokenRejected, match="signature does not verify"):
        verifier.verify(rs256(claims(), OTHER_RSA, {"kid": "one"}))
    with pytest.raises(TokenRejected, match="names no key"):
        verifier.verify(rs256(claims(), RSA_KEY, {"kid": "three"}))


@pytest.mark.parametrize(("age", "ok"), [(10, True), (120, False)])
def test_clock_skew_is_bounded_by_leeway(rsa_verifier: JwtVerifier, age: int, ok: bool) -> None:
    token = rs256(claims(iss="idp", aud="weir", exp=int(time.time()) - age))
    if ok:
        assert rsa_verifier.verify(token).user == "ana"
    else:
        with pytest.raises(TokenRejected, match="expired"):
            rsa_verifier.verify(token)


@pytest.mark.parametrize(
    ("config", "env", "message"),
    [
        (JwtConfig(algorithms=()), {}, "name at least one algorithm"),
        (JwtConfig(algorithms=("HS256",)), {}, "configure public_key_file, jwks_file or secret_env"),
        (JwtConfig(algorithms=("HS256",), secret_env="S"), {"S": "short"}, "at least 32 characters"),
        (JwtConfig(algorithms=("RS256",), secret_env="S"), {"S": SECRET}, "RS256 needs a RSA public key"),
        (JwtConfig(algorithms=("RS256",), public_key_file="/nonexistent.pem"), {}, "cannot read /nonexistent.pem"),
        (JwtConfig(algorithms=("HS256",), secret_env="S", leeway=Seconds(600)), {"S": SECRET}, "at most 300s"),
    ],
)
def test_setup_errors_name_the_key(
    monkeypatch: pytest.MonkeyPatch, config: JwtConfig, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(JwtSetupError, match=message):
        JwtVerifier(config)


def test_a_symmetric_key_in_a_jwks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [{"kty": "oct", "k": _b64(SECRET.encode()), "kid": "x"}]}))
    with pytest.raises(JwtSetupError, match="symmetric"):
        JwtVerifier(JwtConfig(algorithms=("HS256",), jwks_file=str(path)))


@pytest.mark.parametrize(
    ("token", "is_jwt"), [("a.b.c", True), ("a.b.", True), ("sk-abc", False), ("a.b", False), ("a b.c.d", False)]
)
def test_looks_like_jwt(token: str, is_jwt: bool) -> None:
    assert looks_like_jwt(token) is is_jwt
